"""The migrations that add search keys fill them in batches, and on PostgreSQL add trigram
indexes (backend.search_migrations)."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from assessments.models import QuestionBank, QuestionVersion
from backend.accounts.models import Cohort
from backend.search_migrations import backfill
from courses.models import Lesson
from tests.assessments.factories import bank_with_questions
from tests.courses.factories import build_course
from tests.factories import CohortFactory


def migration(app_module: str, name: str):
    return importlib.import_module(f"{app_module}.migrations.{name}")


def test_backfill_fills_only_missing_keys_batch_by_batch(tree, django_assert_max_num_queries):
    cohorts = [CohortFactory(name=f"Lớp Đặc biệt {n}", organisation=tree["ministry"]) for n in range(7)]
    Cohort.objects.filter(pk__in=[c.pk for c in cohorts[:5]]).update(search_key=None)
    Cohort.objects.filter(pk=cohorts[6].pk).update(search_key="kept")
    with django_assert_max_num_queries(3 * 2 + 1):  # per batch: read + bulk update (+savepoint)
        done = backfill(Cohort, "search_key", lambda c: f"k{c.pk}", batch=2)
    assert done == 5
    assert Cohort.objects.get(pk=cohorts[6].pk).search_key == "kept"
    assert Cohort.objects.get(pk=cohorts[0].pk).search_key == f"k{cohorts[0].pk}"


def test_each_migration_computes_the_same_key_as_saving_does(tree):
    course = build_course(tree["central"], modules=1, lessons=2)
    cohort = CohortFactory(name="Lớp Thông tin Đối ngoại K1", organisation=tree["ministry"])
    bank, _questions = bank_with_questions(tree["ministry"], ["single_choice", "essay"])
    saved = {
        "lesson": dict(Lesson.objects.filter(course=course).values_list("pk", "search_key")),
        "published": dict(Lesson.objects.filter(course=course).values_list("pk", "published_search_key")),
        "cohort": Cohort.objects.get(pk=cohort.pk).search_key,
        "bank": QuestionBank.objects.get(pk=bank.pk).search_key,
        "versions": dict(QuestionVersion.objects.values_list("pk", "search_key")),
    }
    assert all(saved["lesson"].values()) and all(saved["published"].values())
    Lesson.objects.update(search_key=None, published_search_key=None)
    Cohort.objects.update(search_key=None)
    QuestionBank.objects.update(search_key=None)
    QuestionVersion.objects.update(search_key=None)

    migration("courses", "0004_lesson_search_keys").fill(apps, None)
    migration("backend.accounts", "0002_cohort_search_key").fill(apps, None)
    migration("assessments", "0003_search_keys").fill(apps, None)

    assert dict(Lesson.objects.filter(course=course).values_list("pk", "search_key")) == saved["lesson"]
    assert dict(Lesson.objects.filter(course=course).values_list(
        "pk", "published_search_key")) == saved["published"]
    assert Cohort.objects.get(pk=cohort.pk).search_key == saved["cohort"] == (
        f"lop thong tin doi ngoai k1 {cohort.code}")
    assert QuestionBank.objects.get(pk=bank.pk).search_key == saved["bank"]
    assert dict(QuestionVersion.objects.values_list("pk", "search_key")) == saved["versions"]


@pytest.mark.django_db
def test_unpublished_lessons_keep_no_published_key(tree):
    course = build_course(tree["central"], modules=1, lessons=1, publish=False)
    Lesson.objects.update(search_key=None)
    migration("courses", "0004_lesson_search_keys").fill(apps, None)
    assert Lesson.objects.get(course=course).published_search_key is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
@pytest.mark.django_db
def test_postgresql_has_trigram_indexes_for_the_long_keys():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        found = dict(cursor.fetchall())
    assert set(found) >= {"lesson_search_trgm", "lesson_pub_search_trgm", "question_version_search_trgm"}
    assert all("gin_trgm_ops" in definition for definition in found.values())
    # The query the catalogue runs can use it (`contains` is LIKE, not UPPER(...) LIKE).
    query = Lesson.objects.filter(search_key__contains="thong tin doi ngoai").values("course_id")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "lesson_search_trgm" in plan, plan
