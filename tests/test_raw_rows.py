"""backend.raw_rows builds from a hand-written statement's row the instance the ORM builds from
the same row: JSON parsed, datetimes aware, booleans as booleans (SQLite stores 0/1 and text),
unselected fields deferred; a selection out of field order is refused, not misread."""

import pytest
from django.db import connection
from django.utils import timezone

from backend import raw_rows
from courses.models import Course, Enrolment, EnrolmentRound
from tests.courses.factories import build_course, enrol
from tests.factories import UserFactory


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def _row(model, pk, names=None):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {raw_rows.columns(model, 't', names)} "
                       f"FROM {model._meta.db_table} t WHERE t.id = %s", [pk])
        return cursor.fetchone()


@pytest.mark.django_db
def test_instances_equal_what_the_orm_loads(tree):
    course = build_course(tree["central"], modules=2, lessons=3, due_at="2027-01-31T10:00:00+07:00")
    person = UserFactory(organisation=tree["mission"])
    enrol(course, person)
    enrolment = Enrolment.objects.get(course=course, user=person)
    for model, pk in ((Course, course.pk), (Enrolment, enrolment.pk)):
        built = raw_rows.instance(model, _row(model, pk))
        assert _fields(built) == _fields(model.objects.get(pk=pk))
        assert built._state.adding is False and built._state.db == connection.alias
    built = raw_rows.instance(Course, _row(Course, course.pk))
    assert isinstance(built.published, dict) and built.published["modules"]  # parsed JSON
    assert built.due_at.tzinfo is not None and isinstance(built.self_enrolment, bool)


@pytest.mark.django_db
def test_a_selection_defers_the_rest_and_keeps_field_order(tree):
    course = build_course(tree["central"], modules=1, lessons=1)
    names = ("id", "title", "published")
    built = raw_rows.instance(Course, _row(Course, course.pk, names), names)
    assert built.title == course.title and built.published == Course.objects.get(pk=course.pk).published
    assert "summary" in built.get_deferred_fields()
    with pytest.raises(ValueError, match="order"):
        raw_rows.instance(Course, _row(Course, course.pk, ("title", "id")), ("title", "id"))


def test_one_value_is_converted_as_its_field(settings):
    assert raw_rows.value(EnrolmentRound, "closed_at", None) is None
    if connection.vendor == "sqlite":  # SQLite hands datetimes back as text
        assert raw_rows.value(EnrolmentRound, "closed_at", "2026-12-03 10:00:00").tzinfo is not None


@pytest.mark.django_db
def test_insert_writes_what_save_writes_and_sets_the_keys(tree, monkeypatch):
    """JSON, datetimes with their zone, defaults, auto_now fields; keys in order; batches."""
    course = build_course(tree["central"], modules=1, lessons=1, due_at="2027-01-31T10:00:00+07:00")
    people = [UserFactory(organisation=tree["mission"]) for _ in range(5)]
    when = timezone.now()
    rows = [Enrolment(user=p, course=course, percent=n * 10, enrolled_at=when) for n, p in enumerate(people)]
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 2)  # 3 statements
    raw_rows.insert(rows)
    assert all(r.pk and r._state.adding is False for r in rows)
    for row in rows:
        loaded = Enrolment.objects.get(pk=row.pk)
        assert (loaded.user_id, loaded.percent, loaded.status, loaded.enrolled_at) == (
            row.user_id, row.percent, row.status, when)
    saved = Course(title="Khóa học mới: Nghị quyết 59", organisation=tree["central"],
                   published={"modules": [{"title": "Chương 1", "lessons": []}]})
    raw_rows.insert([saved])
    loaded = Course.objects.get(pk=saved.pk)
    assert loaded.published == {"modules": [{"title": "Chương 1", "lessons": []}]}
    assert loaded.created_at is not None and loaded.created_at == saved.created_at  # auto_now_add
    raw_rows.insert([])  # nothing to do
