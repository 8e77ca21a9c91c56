"""Readable answers on the review page, from the ids the API uses."""

from django import template
from django.utils.translation import gettext as _

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
