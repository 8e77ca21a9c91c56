"""Item statistics of a quiz from the database, through the pure ``statistics.analyse``.

Counted: finished attempts whose grade is complete (no essay waiting). ``which="first"`` takes
each trainee's first such attempt (Moodle's default: later attempts are practised ones),
``"all"`` every one. Questions are identified across versions by the question, not the version.
"""

from __future__ import annotations

from dataclasses import asdict

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from assessments import statistics
from assessments.models import Attempt, AttemptStatus, Question, Quiz, Response
from backend.db import reporting_alias
from backend.spreadsheets import csv_text

WHICH = ("first", "all")


def quiz_report(quiz: Quiz, which: str = "first") -> dict:
    """Item statistics of the quiz's finished attempts, read through `reporting_alias()`."""
    db = reporting_alias()
    attempts = Attempt.objects.using(db).filter(quiz=quiz, status=AttemptStatus.FINISHED, needs_grading=False)
    if which == "first":
        seen: set[int] = set()
        chosen = []
        for attempt_id, user_id in attempts.order_by("user_id", "number").values_list("pk", "user_id"):
            if user_id not in seen:
                seen.add(user_id)
                chosen.append(attempt_id)
    else:
        chosen = list(attempts.values_list("pk", flat=True))
    marks: dict[int, dict[int, tuple[float, float]]] = {}
    for attempt_id, question_id, fraction, max_mark in Response.objects.using(db).filter(
        attempt_id__in=chosen
    ).values_list("attempt_id", "version__question_id", "fraction", "max_mark"):
        marks.setdefault(attempt_id, {})[question_id] = ((fraction or 0.0) * max_mark, max_mark)
    report = statistics.analyse([marks[a] for a in chosen if a in marks])
    labels = {
        q.pk: (q.type, q.current.title or q.current.text[:80])
        for q in Question.objects.using(db).filter(pk__in=list(report.questions)).select_related("current")
    }
    questions = []
    for qid, stats in sorted(report.questions.items()):
        row = asdict(stats)
        row["question_id"] = qid
        row["type"], row["label"] = labels.get(qid, ("", ""))
        questions.append(row)
    return {"quiz_id": quiz.pk, "which": which, "quiz": asdict(report.quiz), "questions": questions}


CSV_COLUMNS = [
    ("question_id", _("Question")),
    ("label", _("Text")),
    ("type", _("Type")),
    ("s", _("Attempts")),
    ("facility", _("Facility index %")),
    ("sd_percent", _("Standard deviation %")),
    ("discrimination_index", _("Discrimination index %")),
    ("discriminative_efficiency", _("Discriminative efficiency %")),
    ("effective_weight", _("Effective weight %")),
    ("mean_mark", _("Mean mark")),
    ("max_mark", _("Max mark")),
]


def report_csv_rows(report: dict) -> list[list[str]]:
    """The rows of the CSV (header first): numbers with 2 decimals, as text of the language."""
    header = [str(title) for _key, title in CSV_COLUMNS]
    return [header, *([_fmt(row.get(key)) for key, _title in CSV_COLUMNS]
                      for row in report["questions"])]


def report_csv(report: dict) -> str:
    """UTF-8 with a BOM, so Excel opens Vietnamese text correctly; numbers with 2 decimals;
    question text a spreadsheet would run as a formula is quoted (backend.spreadsheets)."""
    return csv_text(report_csv_rows(report))


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return formats.number_format(value, 2, use_l10n=True)  # decimal comma in Vietnamese
    return str(value)
