"""Authoring writes: banks, categories, tags, versioned questions, GIFT/Aiken import, quizzes.

Attempts are in ``attempts.py``, manual grading and overrides in ``manual_grading.py``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.aiken import parse_aiken
from assessments.gift import ParsedQuestion, export_gift, parse_gift
from assessments.grading import GradingMethod
from assessments.models import (
    Category,
    Question,
    QuestionBank,
    QuestionVersion,
    Quiz,
    QuizSlot,
    ReviewWhen,
    Tag,
    pool_changed,
)
from assessments.questions import QUESTION_TYPES
from assessments.textimport import validation_messages
from backend.accounts.api import organisation_get, organisation_get_by_code
from backend.api.untrusted import InputError, check_text_file
from backend.audit.api import audit_record
from backend.errors import Conflict
from courses import api as courses_api

MAX_TEXT = 20_000


# --- banks, categories, tags --------------------------------------------------------------------


@transaction.atomic
def bank_create(
    *, actor, title: str, organisation: str | None = None, course_id: int | None = None
) -> QuestionBank:
    """A bank of a unit (by code) or of a course (its unit owns it too). Trainers only."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("A title is required.")})
    if course_id is not None:
        course = courses_api.course_get(course_id)
        if course is None:
            raise ValidationError({"course": _("Unknown course.")})
        unit = organisation_get(course.organisation_id)
    elif organisation:
        unit = organisation_get_by_code(organisation)
    else:
        raise ValidationError({"organisation": _("Give the owning unit or course.")})
    if unit is None:
        raise ValidationError({"organisation": _("Unknown unit.")})
    if actor is not None and not selectors.can_author_in(actor, unit.path):
        raise (
            selectors.not_found() if course_id is None else ValidationError({"course": _("Unknown course.")})
        )
    bank = QuestionBank.objects.create(
        title=title,
        organisation_id=unit.id,
        organisation_path=unit.path,
        course_id=course_id,
        created_by=actor if _is_user(actor) else None,
    )
    audit_record(actor=actor, verb="assessments.bank_created", target=bank)
    return bank


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def category_get_or_create(*, bank: QuestionBank, name: str) -> Category:
    name = " ".join((name or "").split())[:255]
    category, _created = Category.objects.get_or_create(bank=bank, name=name)
    return category


def _tags(bank: QuestionBank, names: list[str]) -> list[Tag]:
    clean = sorted({" ".join(n.split())[:100] for n in names if isinstance(n, str) and n.strip()})
    existing = {t.name: t for t in Tag.objects.filter(bank=bank, name__in=clean)}
    for name in clean:
        if name not in existing:
            existing[name] = Tag.objects.create(bank=bank, name=name)
    return [existing[n] for n in clean]


# --- questions (a new immutable version on every edit) -----------------------------------------------


def _nfc(value):
    """Every string of a question in one Unicode form (NFC): Vietnamese typed on a Mac or pasted
    from a PDF often arrives decomposed, and would then neither match nor sort with the rest."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(key): _nfc(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    return value


def _clean_version(qtype: str, text: str, data: dict, default_mark: float, title: str) -> dict:
    if qtype not in QUESTION_TYPES:
        raise ValidationError({"type": _("Unknown question type.")})
    text = _nfc(text or "").strip()
    if not text:
        raise ValidationError({"text": _("The question text is required.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("The question text is too long.")})
    if (
        isinstance(default_mark, bool)
        or not isinstance(default_mark, int | float)
        or not 0 <= default_mark <= 100
    ):
        raise ValidationError({"default_mark": _("The mark must be between 0 and 100.")})
    return {
        "type": qtype,
        "text": text,
        "title": _nfc(title or "").strip()[:255],
        "data": _nfc(QUESTION_TYPES[qtype].validate(data)),
        "default_mark": float(default_mark),
    }


@transaction.atomic
def question_create(
    *,
    actor,
    bank_id: int,
    type: str,
    text: str,
    data: dict,
    title: str = "",
    default_mark: float = 1.0,
    category: str = "",
    tags: list[str] | None = None,
    bank: QuestionBank | None = None,
) -> Question:
    bank = bank or (
        selectors.bank_get_for_author(actor, bank_id)
        if actor is not None
        else QuestionBank.objects.get(pk=bank_id)
    )
    fields = _clean_version(type, text, data, default_mark, title)
    question = Question.objects.create(
        bank=bank, type=type, category=category_get_or_create(bank=bank, name=category) if category else None
    )
    version = QuestionVersion.objects.create(
        question=question, number=1, created_by=actor if _is_user(actor) else None, **fields
    )
    question.current = version
    question.save(update_fields=["current"])
    if tags:
        question.tags.set(_tags(bank, tags))
        pool_changed(bank.pk)
    return question


@transaction.atomic
def question_update(
    *,
    actor,
    question_id: int,
    text: str,
    data: dict,
    title: str = "",
    default_mark: float | None = None,
    category: str | None = None,
    tags: list[str] | None = None,
) -> Question:
    """Edits make a new version; attempts already started keep the version they drew."""
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("bank", "current")
        .filter(pk=question_id)
        .first()
    )
    if question is None or (
        actor is not None and not selectors.can_author_in(actor, question.bank.organisation_path)
    ):
        raise selectors.not_found()
    mark = question.current.default_mark if default_mark is None else default_mark
    fields = _clean_version(question.type, text, data, mark, title)
    number = (question.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = QuestionVersion.objects.create(
        question=question, number=number, created_by=actor if _is_user(actor) else None, **fields
    )
    question.current = version
    if category is not None:
        question.category = category_get_or_create(bank=question.bank, name=category) if category else None
    question.save(update_fields=["current", "category"])
    if tags is not None:
        question.tags.set(_tags(question.bank, tags))
        pool_changed(question.bank_id)
    return question


# --- import / export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    imported: int
    errors: list[dict] = field(default_factory=list)  # [{"line": n, "message": "..."}]
    refused: bool = False  # errors were found and not accepted: nothing was imported


PARSERS = {"gift": parse_gift, "aiken": parse_aiken}


@transaction.atomic
def questions_import(
    *, actor, bank_id: int, content: bytes | str, format: str, accept_errors: bool = False
) -> ImportResult:
    """All or nothing unless ``accept_errors``: a file with any bad question imports nothing,
    and the caller gets one error per bad question naming its line."""
    bank = (
        selectors.bank_get_for_author(actor, bank_id)
        if actor is not None
        else QuestionBank.objects.get(pk=bank_id)
    )
    if format not in PARSERS:
        raise ValidationError({"format": _("Unknown format.")})
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": _("The file must be UTF-8 text.")}) from None
    try:
        check_text_file("file", content)
    except InputError as exc:
        raise ValidationError({"file": exc.message}) from None
    parsed, parse_errors = PARSERS[format](content)
    errors = [{"line": line, "message": message} for line, message in parse_errors]
    cleaned: list[tuple[ParsedQuestion, dict]] = []
    for item in parsed:
        try:
            cleaned.append((item, _clean_version(item.type, item.text, item.data, 1.0, item.title)))
        except ValidationError as exc:
            errors.append({"line": item.line, "message": "; ".join(validation_messages(exc))})
    errors.sort(key=lambda e: e["line"])
    if errors and not accept_errors:
        return ImportResult(imported=0, errors=errors, refused=True)
    for item, _fields in cleaned:
        question_create(
            actor=None,
            bank_id=bank.pk,
            bank=bank,
            type=item.type,
            text=item.text,
            data=item.data,
            title=item.title,
            category=item.category,
        )
    audit_record(
        actor=actor,
        verb="assessments.questions_imported",
        target=bank,
        details={"format": format, "imported": len(cleaned), "errors": len(errors)},
    )
    return ImportResult(imported=len(cleaned), errors=errors)


def bank_export_gift(*, bank: QuestionBank) -> str:
    questions = (
        Question.objects.filter(bank=bank, archived=False)
        .select_related("current", "category")
        .order_by("category__name", "pk")
    )
    return export_gift(
        ParsedQuestion(
            line=0,
            type=q.type,
            title=q.current.title,
            text=q.current.text,
            data=q.current.data,
            category=q.category.name if q.category else "",
        )
        for q in questions
    )


# --- quizzes ---------------------------------------------------------------------------------------

QUIZ_FIELDS = (
    "title",
    "intro",
    "shuffle_questions",
    "shuffle_answers",
    "time_limit_seconds",
    "max_attempts",
    "attempt_delay_seconds",
    "opens_at",
    "closes_at",
    "grading_method",
    "pass_mark",
    "review_score",
    "review_responses",
    "review_correct",
    "review_feedback",
)


# Upper bounds of the quiz settings, the same on the pages and in the API (also below what a
# 32-bit column holds: 2**40 seconds used to be a 500 on PostgreSQL).
QUIZ_LIMITS = {"time_limit_seconds": 24 * 3600, "max_attempts": 1000,
               "attempt_delay_seconds": 365 * 24 * 3600}


def _check_quiz(values: dict) -> None:
    for key, most in QUIZ_LIMITS.items():
        value = values.get(key)
        if value is not None and not 0 <= value <= most:
            raise ValidationError({key: _("Give a value from 0 to %(n)d.") % {"n": most}})
    if values.get("grading_method") not in GradingMethod._value2member_map_:
        raise ValidationError({"grading_method": _("Unknown grading method.")})
    for key in ("review_score", "review_responses", "review_correct", "review_feedback"):
        if values.get(key) not in ReviewWhen.values:
            raise ValidationError({key: _("Unknown review moment.")})
    pass_mark = values.get("pass_mark")
    if pass_mark is not None and not 0 < pass_mark <= 100:
        raise ValidationError({"pass_mark": _("The pass mark is a percentage above 0, at most 100.")})
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens and closes and closes <= opens:
        raise ValidationError({"closes_at": _("The quiz must close after it opens.")})
    if values.get("time_limit_seconds") == 0:
        values["time_limit_seconds"] = None
    if not (values.get("title") or "").strip():
        raise ValidationError({"title": _("A title is required.")})


@transaction.atomic
def quiz_create(*, actor, lesson_id: int, title: str, slots: list[dict] | None = None, **settings) -> Quiz:
    """The quiz behind a quiz lesson (one per lesson), linked to it at once."""
    lesson = (
        courses_api.lesson_get_for_author(user=actor, lesson_id=lesson_id)
        if actor is not None
        else courses_api.lesson_get(lesson_id)
    )
    if lesson is None:
        raise selectors.not_found()
    if lesson.kind != courses_api.LessonKind.QUIZ:
        raise ValidationError({"lesson": _("The lesson is not a quiz lesson.")})
    if Quiz.objects.filter(lesson_id=lesson.id).exists():
        raise Conflict(_("This lesson already has a quiz."), code="quiz_exists")
    quiz = Quiz(lesson_id=lesson.id, course_id=lesson.course_id, title=title)
    for key, value in settings.items():
        if key not in QUIZ_FIELDS:
            raise TypeError(f"unknown quiz setting {key}")
        setattr(quiz, key, value)
    _check_quiz({k: getattr(quiz, k) for k in QUIZ_FIELDS})
    quiz.time_limit_seconds = quiz.time_limit_seconds or None
    quiz.save()
    if slots:
        _replace_slots(actor, quiz, slots)
    courses_api.lesson_set_activity(lesson_id=lesson.id, activity_id=quiz.pk)
    audit_record(actor=actor, verb="assessments.quiz_created", target=quiz)
    return quiz


@transaction.atomic
def quiz_update(*, actor, quiz_id: int, slots: list[dict] | None = None, **changes) -> Quiz:
    quiz = selectors.quiz_get_for_author(actor, quiz_id) if actor is not None else selectors.quiz_get(quiz_id)
    quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    for key, value in changes.items():
        if key not in QUIZ_FIELDS:
            raise TypeError(f"unknown quiz setting {key}")
        setattr(quiz, key, value)
    _check_quiz({k: getattr(quiz, k) for k in QUIZ_FIELDS})
    quiz.time_limit_seconds = quiz.time_limit_seconds or None
    quiz.save()
    if slots is not None:
        _replace_slots(actor, quiz, slots)
    audit_record(
        actor=actor, verb="assessments.quiz_updated", target=quiz, details={"fields": sorted(changes)}
    )
    return quiz


def _replace_slots(actor, quiz: Quiz, slots: list[dict]) -> None:
    """Slots: {"question": id} or {"bank": id, "category": name?, "tag": name?, "count": n};
    either may carry "mark". Questions come from banks the actor may author."""
    allowed = selectors.banks_for_author(actor) if actor is not None else QuestionBank.objects.all()
    rows = []
    for position, slot in enumerate(slots, start=1):
        mark = slot.get("mark")
        if mark is not None and not 0 <= float(mark) <= 100:
            raise ValidationError(
                {"slots": _("Slot %(n)s: the mark must be between 0 and 100.") % {"n": position}}
            )
        if slot.get("question"):
            question = Question.objects.filter(pk=slot["question"], bank__in=allowed, archived=False).first()
            if question is None:
                raise ValidationError({"slots": _("Slot %(n)s: unknown question.") % {"n": position}})
            rows.append(QuizSlot(quiz=quiz, position=position, question=question, mark=mark))
            continue
        bank = allowed.filter(pk=slot.get("bank")).first()
        if bank is None:
            raise ValidationError({"slots": _("Slot %(n)s: give a question or a bank.") % {"n": position}})
        category = tag = None
        if slot.get("category"):
            category = Category.objects.filter(bank=bank, name=slot["category"]).first()
            if category is None:
                raise ValidationError({"slots": _("Slot %(n)s: unknown category.") % {"n": position}})
        if slot.get("tag"):
            tag = Tag.objects.filter(bank=bank, name=slot["tag"]).first()
            if tag is None:
                raise ValidationError({"slots": _("Slot %(n)s: unknown tag.") % {"n": position}})
        count = int(slot.get("count") or 1)
        if not 1 <= count <= 500:
            raise ValidationError(
                {"slots": _("Slot %(n)s: draw between 1 and 500 questions.") % {"n": position}}
            )
        rows.append(
            QuizSlot(
                quiz=quiz, position=position, bank=bank, category=category, tag=tag, count=count, mark=mark
            )
        )
    QuizSlot.objects.filter(quiz=quiz).delete()
    QuizSlot.objects.bulk_create(rows)
