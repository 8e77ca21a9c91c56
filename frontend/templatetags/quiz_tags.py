"""Readable answers on the review page, from the ids the API uses."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()


@register.simple_tag
def answer_text(question: dict, answer) -> str:
    if answer is None or answer == "" or answer == [] or answer == {}:
        return "—"
    kind = question.get("type")
    if kind == "true_false":
        return _("True") if answer is True else _("False")
    if kind in ("single_choice", "multiple_choice"):
        texts = {c["id"]: c["text"] for c in question.get("choices", [])}
        ids = answer if isinstance(answer, list) else [answer]
        return "; ".join(texts.get(i, "?") for i in ids)
    if kind == "matching":
        left = {i["id"]: i["text"] for i in question.get("left", [])}
        right = {i["id"]: i["text"] for i in question.get("right", [])}
        return "; ".join(f"{left.get(k, '?')} → {right.get(v, '?')}" for k, v in answer.items())
    if kind == "ordering":
        items = {i["id"]: i["text"] for i in question.get("items", [])}
        return " → ".join(items.get(i, "?") for i in answer)
    if isinstance(answer, float) and answer.is_integer():
        return str(int(answer))
    return str(answer)


def _decimal(value: float) -> str:
    """0.5 -> "0,5", 1.0 -> "1" in Vietnamese (the locale's decimal separator, at most 2 places)."""
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text), use_l10n=True)


@register.simple_tag
def marks_text(mark, max_mark) -> str:
    """ "0,5 / 1 điểm"; "— / 1 điểm" while the mark is unknown (awaiting a grader)."""
    shown = "—" if mark is None else _decimal(mark)
    return _("%(mark)s / %(max)s mark(s)") % {"mark": shown, "max": _decimal(max_mark)}


OUTCOMES = {
    # outcome: (icon, label); the icon and the colour only repeat what the text says
    "correct": ("✓", gettext_lazy("Correct")),
    "partial": ("◐", gettext_lazy("Partially correct")),
    "incorrect": ("✗", gettext_lazy("Incorrect")),
    "unanswered": ("○", gettext_lazy("Not answered")),
    "pending": ("…", gettext_lazy("Awaiting grading")),
    "answered": ("•", gettext_lazy("Answered")),
}


def question_outcome(question: dict, score_shown: bool) -> str:
    """How a reviewed question went, from what the payload (the review policy) already shows:
    without the score, only answered / not answered (never correctness)."""
    if not question.get("answered"):
        return "unanswered"
    if not score_shown:
        return "answered"
    mark = question.get("mark")
    if mark is None:
        return "pending"
    if mark >= question["max_mark"] - 1e-9:
        return "correct"
    return "incorrect" if mark <= 1e-9 else "partial"


@register.inclusion_tag("frontend/quiz/_outcome.html")
def outcome_badge(question: dict, score_shown: bool) -> dict:
    outcome = question_outcome(question, score_shown)
    icon, label = OUTCOMES[outcome]
    return {"outcome": outcome, "icon": icon, "label": label}


@register.filter
def outcome_of(question: dict, score_shown: bool) -> str:
    return question_outcome(question, score_shown)


@register.filter
def outcome_label(outcome: str) -> str:
    return str(OUTCOMES[outcome][1])
