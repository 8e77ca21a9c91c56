"""GIFT (Moodle's plain-text question format): import and export.

``parse_gift(text)`` never raises and never stops at the first bad question: it returns the
questions it could read and one ``(line, message)`` per question it could not. Each question's
``data`` has already passed its type's ``validate()`` and is given without generated ids
(``strip_ids``), so the caller validates it again when saving, which adds the ids.

Supported: ``//`` comment lines, ``::title::``, ``$CATEGORY:`` lines, ``[html]``/``[markdown]``/
``[plain]``/``[moodle]`` format markers (the text is kept as written, the marker is reported
as ``text_format``), multi-line questions, escapes ``\\~ \\= \\# \\{ \\} \\: \\n`` (and ``\\\\``), text
after the answer block (becomes a ``_____`` gap), ``####`` general feedback and:

- ``{=right ~wrong ~%50%half#feedback}``: single choice (an ``=`` answer is present);
- ``{~%50%a ~%50%b ~%-100%c}``: multiple choice (no ``=`` answer, weights in percent);
- ``{T}``/``{TRUE}``/``{F}``/``{FALSE}`` with ``#feedback if wrong#feedback if right``;
- ``{=a =%50%b#feedback}``: short answer;
- ``{=left -> right ...}``: matching (``= -> extra`` adds an extra right-hand option);
- ``{#3.14:0.01}``, ``{#1..5}``, ``{#=3.14:0.01#fb =%50%3:0.5}``: numerical;
- ``{}``: essay.

Export writes what GIFT can say; ordering questions, grader information, word limits and the
short-answer case/accent switches have no GIFT form (ordering questions become a comment).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .questions import QUESTION_TYPES, strip_ids
from .textimport import normalise_input, validation_messages

FORMATS = ("moodle", "html", "markdown", "plain")
GAP = "_____"

# Escaped characters become private-use placeholders while the structure is parsed.
_ESCAPABLE = "\\~=#{}:n"
_PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(_ESCAPABLE)}
_RESTORE = {ph: ("\n" if ch == "n" else ch) for ch, ph in _PLACEHOLDER.items()}
_ESCAPE_RE = re.compile(r"\\([\\~=#{}:n])")
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_FORMAT_RE = re.compile(r"^\s*\[(" + "|".join(FORMATS) + r")\]")


class ParsedQuestion(NamedTuple):
    line: int
    type: str
    title: str
    text: str
    data: dict
    category: str = ""
    text_format: str = "moodle"


class GiftError(Exception):
    def __init__(self, message: str, offset: int | None = None):
        super().__init__(message)
        self.message, self.offset = message, offset


def _protect(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _PLACEHOLDER[m.group(1)], text)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text)


def _clean(text: str) -> str:
    return _restore(text).strip()


# --- reading --------------------------------------------------------------------------------


def parse_gift(text: str) -> tuple[list[ParsedQuestion], list[tuple[int, str]]]:
    questions: list[ParsedQuestion] = []
    errors: list[tuple[int, str]] = []
    category = ""
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if block:
            try:
                questions.append(_parse_block(block, category))
            except GiftError as exc:
                at = block[0][0]
                if exc.offset is not None:
                    at += "\n".join(line for _n, line in block)[: exc.offset].count("\n")
                errors.append((at, exc.message))
            except Exception:  # a bug here must not lose the rest of the file
                errors.append((block[0][0], _("This question could not be read.")))
            block.clear()

    for number, line in enumerate(normalise_input(text).split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            flush()
        elif stripped.startswith("$CATEGORY:"):
            flush()
            category = stripped[len("$CATEGORY:"):].strip()
        else:
            block.append((number, line))
    flush()
    return questions, errors


def _parse_block(block: list[tuple[int, str]], category: str) -> ParsedQuestion:
    raw = _protect("\n".join(line for _n, line in block))
    title, body_start = "", 0
    if raw.lstrip().startswith("::"):
        begin = raw.index("::") + 2
        end = raw.find("::", begin)
        if end < 0:
            raise GiftError(_("The title is not closed with “::”."))
        title, body_start = _clean(raw[begin:end]), end + 2
    body = raw[body_start:]
    text_format = "moodle"
    marker = _FORMAT_RE.match(body)
    if marker:
        text_format, body = marker.group(1), body[marker.end():]
        body_start += marker.end()

    open_at = body.find("{")
    close_at = body.find("}")
    if open_at < 0:
        if close_at >= 0:
            raise GiftError(_("A “}” closes an answer block that was never opened."), body_start + close_at)
        raise GiftError(_("No answer block {…} found (a question needs one, even empty for an essay)."))
    close_at = body.find("}", open_at)
    if close_at < 0:
        raise GiftError(_("The answer block is not closed with “}”."), body_start + open_at)
    if "{" in body[open_at + 1:close_at]:
        raise GiftError(_("An answer block opens inside another one (missing “}”?)."), body_start + open_at)
    after = body[close_at + 1:]
    if "{" in after or "}" in after:
        raise GiftError(_("Only one answer block per question is supported."), body_start + close_at + 1)
    before = body[:open_at]
    question_text = _clean(before + GAP + after) if after.strip() else _clean(before)
    if not question_text:
        raise GiftError(_("The question text is empty."))

    kind, data = _parse_answers(body[open_at + 1:close_at])
    try:
        cleaned = QUESTION_TYPES[kind].validate(data)
    except ValidationError as exc:
        raise GiftError("; ".join(validation_messages(exc))) from None
    return ParsedQuestion(block[0][0], kind, title, question_text, strip_ids(cleaned), category, text_format)


def _split_feedback(part: str) -> tuple[str, str]:
    text, _sep, feedback = part.partition("#")
    return text, feedback


def _weight(answer: str, default: float) -> tuple[float, str]:
    answer = answer.lstrip()
    match = _WEIGHT_RE.match(answer)
    if not match:
        return default, answer
    return round(float(match.group(1)) / 100.0, 7), answer[match.end():]


def _parse_answers(content: str) -> tuple[str, dict]:
    content, _sep, general = content.partition("####")
    data: dict = {"general_feedback": _clean(general)}
    stripped = content.strip()
    if not stripped:
        return "essay", data
    if stripped.startswith("#"):
        data["answers"] = _numerical_answers(stripped[1:])
        return "numerical", data
    head, _sep, feedbacks = stripped.partition("#")
    if head.strip().upper() in ("T", "TRUE", "F", "FALSE"):
        answer = head.strip().upper().startswith("T")
        wrong, _sep, right = feedbacks.partition("#")
        data.update(answer=answer,
                    feedback_true=_clean(right if answer else wrong),
                    feedback_false=_clean(wrong if answer else right))
        return "true_false", data

    parts = re.split(r"(?=[=~])", stripped)
    if parts[0].strip():
        raise GiftError(_("Each answer must start with “=” (right) or “~” (wrong): %(text)s")
                        % {"text": _clean(parts[0])[:40]})
    answers = [(part[0], part[1:]) for part in parts[1:]]
    if any(marker == "~" for marker, _a in answers):
        single = any(marker == "=" for marker, _a in answers)
        choices = []
        for marker, answer in answers:
            fraction, rest = _weight(answer, 1.0 if marker == "=" else 0.0)
            text, feedback = _split_feedback(rest)
            choices.append({"text": _clean(text), "fraction": fraction, "feedback": _clean(feedback)})
        data["choices"] = choices
        return ("single_choice" if single else "multiple_choice"), data
    if any("->" in answer for _m, answer in answers):
        pairs, extras = [], []
        for _marker, answer in answers:
            if "->" not in answer:
                raise GiftError(_("Every answer of a matching question needs “->”: %(text)s")
                                % {"text": _clean(answer)[:40]})
            left, _sep, right = _split_feedback(answer)[0].partition("->")
            if _clean(left):
                pairs.append({"left": _clean(left), "right": _clean(right)})
            else:
                extras.append({"text": _clean(right)})
        data.update(pairs=pairs, distractors=extras)
        return "matching", data
    accepted = []
    for _marker, answer in answers:
        fraction, rest = _weight(answer, 1.0)
        text, feedback = _split_feedback(rest)
        accepted.append({"text": _clean(text), "fraction": fraction, "feedback": _clean(feedback)})
    data["answers"] = accepted
    return "short_answer", data


def _number(text: str) -> float:
    text = _clean(text)
    if not _NUMBER_RE.match(text):
        raise GiftError(_("“%(text)s” is not a number.") % {"text": text[:40]})
    return float(text)


def _numerical_answer(spec: str, fraction: float) -> dict:
    value_part, feedback = _split_feedback(spec)
    value_part = value_part.strip()
    if ".." in value_part:
        low, _sep, high = value_part.partition("..")
        low_value, high_value = _number(low), _number(high)
        if low_value > high_value:
            raise GiftError(_("The range %(range)s goes downwards.") % {"range": _clean(value_part)})
        value, tolerance = (low_value + high_value) / 2, (high_value - low_value) / 2
    else:
        value_text, _sep, tolerance_text = value_part.partition(":")
        value = _number(value_text)
        tolerance = _number(tolerance_text) if tolerance_text.strip() else 0.0
    return {"value": value, "tolerance": tolerance, "fraction": fraction, "feedback": _clean(feedback)}


def _numerical_answers(spec: str) -> list[dict]:
    if "=" not in spec:
        return [_numerical_answer(spec, 1.0)]
    parts = re.split(r"(?==)", spec.strip())
    if parts[0].strip():
        raise GiftError(_("Each numerical answer must start with “=”."))
    answers = []
    for part in parts[1:]:
        fraction, rest = _weight(part[1:], 1.0)
        answers.append(_numerical_answer(rest, fraction))
    return answers


# --- writing --------------------------------------------------------------------------------


def escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    for ch in "~=#{}:":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def _percent(fraction: float) -> str:
    return format(round(fraction * 100.0, 5), ".5f").rstrip("0").rstrip(".")


def _answer(marker: str, text: str, fraction: float, default: float, feedback: str = "") -> str:
    # An explicit weight also protects a text that itself starts with "%".
    weight = f"%{_percent(fraction)}%" if fraction != default or text.startswith("%") else ""
    return f"{marker}{weight}{escape(text)}" + (f"#{escape(feedback)}" if feedback else "")


def _number_text(value: float) -> str:
    return repr(float(value))


def _block(kind: str, data: dict) -> str | None:
    if kind == "single_choice":
        choices = data["choices"]
        # GIFT reads "only = answers" as short answer: if every choice is fully right, the last
        # one is written "~%100%" to keep the question a choice question.
        all_right = all(c["fraction"] == 1.0 for c in choices)
        parts = [_answer("=", c["text"], c["fraction"], 1.0, c["feedback"])
                 if c["fraction"] == 1.0 and not (all_right and i == len(choices) - 1)
                 else _answer("~", c["text"], c["fraction"], 0.0, c["feedback"])
                 for i, c in enumerate(choices)]
    elif kind == "multiple_choice":
        parts = [_answer("~", c["text"], c["fraction"], 0.0, c["feedback"]) for c in data["choices"]]
    elif kind == "short_answer":
        if any("->" in a["text"] for a in data["answers"]):
            return None  # would read back as a matching question
        parts = [_answer("=", a["text"], a["fraction"], 1.0, a["feedback"]) for a in data["answers"]]
    elif kind == "true_false":
        right = data["feedback_true"] if data["answer"] else data["feedback_false"]
        wrong = data["feedback_false"] if data["answer"] else data["feedback_true"]
        feedback = f"#{escape(wrong)}#{escape(right)}" if right else (f"#{escape(wrong)}" if wrong else "")
        parts = [("TRUE" if data["answer"] else "FALSE") + feedback]
    elif kind == "matching":
        if any("->" in p["left"] for p in data["pairs"]):
            return None
        parts = [f"={escape(p['left'])} -> {escape(p['right'])}" for p in data["pairs"]]
        parts += [f"= -> {escape(d['text'])}" for d in data.get("distractors", [])]
    elif kind == "numerical":
        def spec(a: dict) -> str:
            return (f"{_number_text(a['value'])}:{_number_text(a['tolerance'])}"
                    + (f"#{escape(a['feedback'])}" if a["feedback"] else ""))
        answers = data["answers"]
        if len(answers) == 1 and answers[0]["fraction"] == 1.0:
            parts = ["#" + spec(answers[0])]
        else:
            weights = [f"%{_percent(a['fraction'])}%" if a["fraction"] != 1.0 else "" for a in answers]
            parts = ["#"] + [f"={w}{spec(a)}" for w, a in zip(weights, answers, strict=True)]
    elif kind == "essay":
        parts = []
    else:
        return None
    general = data.get("general_feedback", "")
    return "{" + " ".join(parts) + (f" ####{escape(general)}" if general else "") + "}"


def export_gift(questions: Iterable[ParsedQuestion]) -> str:
    """GIFT text for the questions (each with type, title, text, data; category optional)."""
    out: list[str] = []
    category = ""
    for question in questions:
        kind, title, text, data = question.type, question.title, question.text, question.data
        block = _block(kind, data)
        if block is None:
            out.append("// " + _("Not exportable to GIFT (%(type)s): %(title)s")
                       % {"type": kind, "title": " ".join((title or text).split())[:80]} + "\n")
            continue
        if getattr(question, "category", "") and question.category != category:
            category = question.category
            out.append(f"$CATEGORY: {category}\n")
        fmt = getattr(question, "text_format", "moodle") or "moodle"
        marker = f"[{fmt}]" if fmt != "moodle" or text.startswith(("/", "[")) else ""
        head = f"::{escape(title)}::" if title else ""
        out.append(f"{head}{marker}{escape(text)} {block}\n")
    return "\n".join(out)
