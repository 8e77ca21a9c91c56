"""Aiken (Moodle's simplest multiple-choice text format): import.

    Cơ quan nào chủ trì công tác thông tin đối ngoại?
    A. Bộ Ngoại giao
    B) Bộ Công Thương
    ANSWER: A

A question is one or more text lines, then options lettered A, B, C… in order with "." or
")", then ``ANSWER: <letter>``. Blank lines between questions are optional. Every question
becomes a single-choice question. ``parse_aiken`` never raises and reports each bad question
as ``(line, message)``, then carries on with the next one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .gift import ParsedQuestion
from .questions import QUESTION_TYPES, strip_ids
from .textimport import normalise_input, validation_messages

_OPTION_RE = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER_RE = re.compile(r"^ANSWER\s*:\s*(.*?)\s*$", re.IGNORECASE)


@dataclass
class _Pending:
    line: int
    text: list[str] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)
    error: tuple[int, str] | None = None


def parse_aiken(text: str | bytes) -> tuple[list[ParsedQuestion], list[tuple[int, str]]]:
    questions: list[ParsedQuestion] = []
    errors: list[tuple[int, str]] = []
    current: _Pending | None = None

    def fail(pending: _Pending, line: int, message: str) -> None:
        if pending.error is None:
            pending.error = (line, message)

    def close_unanswered(pending: _Pending | None) -> None:
        if pending is not None:
            errors.append(pending.error or (pending.line, _("The question has no “ANSWER:” line.")))

    for number, raw in enumerate(normalise_input(text).split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER_RE.match(line)
        option = _OPTION_RE.match(line)
        if answer:
            if current is None:
                errors.append((number, _("“ANSWER:” without a question before it.")))
                continue
            result = _finish(current, answer.group(1), number)
            if isinstance(result, ParsedQuestion):
                questions.append(result)
            else:
                errors.append(result)
            current = None
        elif option and current is not None and current.text:
            letter, option_text = option.groups()
            expected = chr(ord("A") + len(current.options))
            if letter != expected:
                fail(current, number, _("Option %(got)s found where %(expected)s was expected.")
                     % {"got": letter, "expected": expected})
            current.options.append((letter, option_text))
        elif current is not None and not current.options:
            current.text.append(line)  # the question text goes on
        else:
            # Text after options without an ANSWER line: the previous question is unfinished
            # and this line starts the next one.
            close_unanswered(current)
            current = _Pending(line=number, text=[line])
            if option:
                fail(current, number, _("An option comes before any question text."))
    close_unanswered(current)
    return questions, errors


def _finish(pending: _Pending, answer: str, line: int) -> ParsedQuestion | tuple[int, str]:
    if pending.error:
        return pending.error
    if len(pending.options) < 2:
        return (pending.line, _("A question needs at least two options (A., B., …)."))
    letters = [letter for letter, _text in pending.options]
    if answer.upper() not in letters:
        return (line, _("The answer “%(answer)s” is not one of the options %(letters)s.")
                % {"answer": answer, "letters": ", ".join(letters)})
    data = {"choices": [{"text": option_text, "correct": letter == answer.upper()}
                        for letter, option_text in pending.options]}
    try:
        cleaned = QUESTION_TYPES["single_choice"].validate(data)
    except ValidationError as exc:
        return (pending.line, "; ".join(validation_messages(exc)))
    return ParsedQuestion(pending.line, "single_choice", "", "\n".join(pending.text), strip_ids(cleaned))
