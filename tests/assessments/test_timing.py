"""Effective rules on the database: overrides of a person and their cohorts, accommodations, the
deadline frozen at start, and the REST endpoints for overrides, extensions and accommodations."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import attempts
from assessments.api import effective_rules, effective_rules_for_many
from assessments.dashboard import quiz_deadlines
from assessments.models import Quiz, QuizOverride
from assessments.overrides import override_create, override_delete
from assessments.timing import closes_at_for
from backend.accounts.models import Accommodation, CohortMembership, Role, User
from backend.accounts.services import accommodation_set
from backend.audit.models import AuditEntry
from courses.api import effective_due_at, with_effective_due_at
from courses.dashboard import learner_courses
from courses.models import Enrolment
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.factories import CohortFactory, user_with_role


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


@pytest.fixture
def world(tree, trainee):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["true_false", "single_choice"])
    quiz = make_quiz(lesson, questions, time_limit_seconds=600, max_attempts=1)
    enrol(course, trainee)
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    return {"course": course, "quiz": quiz, "trainer": trainer}


def cohort_with(tree, *users):
    cohort = CohortFactory(organisation=tree["ministry"])
    for user in users:
        CohortMembership.objects.create(cohort=cohort, user=user)
    return cohort


# --- the loaders -----------------------------------------------------------------------------------

def test_cohorts_user_override_and_accommodation_combine(world, tree, trainee):
    quiz = world["quiz"]
    a, b = cohort_with(tree, trainee), cohort_with(tree, trainee)
    QuizOverride.objects.create(quiz=quiz, cohort=a, time_limit_seconds=900)
    QuizOverride.objects.create(quiz=quiz, cohort=b, time_limit_seconds=1200, max_attempts=2)
    assert effective_rules(quiz, trainee).time_limit_seconds == 1200
    accommodation_set(actor=None, user=trainee, time_factor="1.5", extra_attempts=1)
    rules = effective_rules(quiz, trainee)
    assert (rules.time_limit_seconds, rules.max_attempts, rules.accommodated) == (1800, 3, True)
    QuizOverride.objects.create(quiz=quiz, user=trainee, max_attempts=5)
    rules = effective_rules(quiz.pk, trainee.pk)
    assert (rules.time_limit_seconds, rules.max_attempts, rules.source) == (1800, 5, "user")


def test_rules_for_many_take_a_constant_number_of_queries(world, tree, trainee, django_assert_num_queries):
    quiz = world["quiz"]
    people = [user_with_role(Role.TRAINEE, tree["mission"]) for _ in range(12)]
    cohort = cohort_with(tree, *people[:6])
    QuizOverride.objects.create(quiz=quiz, cohort=cohort, max_attempts=4)
    accommodation_set(actor=None, user=people[0], time_factor=2)
    ids = [p.pk for p in people] + [trainee.pk]
    with django_assert_num_queries(3):
        rules = effective_rules_for_many(quiz, ids)
    assert rules[people[0].pk].time_limit_seconds == 1200 and rules[people[0].pk].max_attempts == 4
    assert rules[people[7].pk].max_attempts == 1 and rules[trainee.pk].time_limit_seconds == 600


@pytest.mark.parametrize("limits", [{}, {"time_limit_seconds": 600}, {"max_attempts": 2},
                                    {"time_limit_seconds": 600, "max_attempts": 2}])
def test_one_persons_rules_agree_with_the_many_loader_in_fewer_queries(
        world, tree, trainee, django_assert_num_queries, limits):
    """effective_rules (one person: overrides with the cohorts as a subquery, the accommodation
    only when a limit it could change applies) gives what effective_rules_for_many gives."""
    quiz = world["quiz"]
    quiz.time_limit_seconds = limits.get("time_limit_seconds")
    quiz.max_attempts = limits.get("max_attempts", 0)
    quiz.save()
    people = [user_with_role(Role.TRAINEE, tree["mission"]) for _ in range(4)]
    cohort = cohort_with(tree, people[1], people[2])
    QuizOverride.objects.create(quiz=quiz, cohort=cohort, closes_at=timezone.now() + timedelta(days=3))
    QuizOverride.objects.create(quiz=quiz, user=people[2], max_attempts=7)
    for person in people[:3]:
        accommodation_set(actor=None, user=person, time_factor="1.5", extra_attempts=1)
    many = effective_rules_for_many(quiz, [p.pk for p in people])
    for person in people:
        # the accommodation is read only when a limit it could change applies (people[2]'s own
        # attempt limit is never stretched)
        may_change = "time_limit_seconds" in limits or ("max_attempts" in limits and person is not people[2])
        with django_assert_num_queries(2 if may_change else 1):
            one = effective_rules(quiz, person)
        assert one == many[person.pk], person
        with django_assert_num_queries(1):
            assert closes_at_for(quiz, person.pk) == many[person.pk].closes_at


def test_deadline_uses_the_time_factor_and_stays_frozen(world, trainee):
    quiz = world["quiz"]
    accommodation_set(actor=None, user=trainee, time_factor="1.5")
    start = timezone.now()
    result = attempts.attempt_start(user=trainee, quiz_id=quiz.pk, now=start)
    assert result.attempt.deadline == start + timedelta(seconds=900)
    accommodation_set(actor=None, user=trainee, time_factor="3")  # changed during the attempt
    QuizOverride.objects.create(quiz=quiz, user=trainee, time_limit_seconds=60)
    again = attempts.attempt_start(user=trainee, quiz_id=quiz.pk, now=start + timedelta(seconds=5))
    assert not again.created
    assert again.attempt.deadline == start + timedelta(seconds=900)
    result.attempt.refresh_from_db()
    assert result.attempt.deadline == start + timedelta(seconds=900)


def test_override_reopens_a_closed_quiz_and_gives_attempts(world, trainee):
    quiz = world["quiz"]
    now = timezone.now()
    quiz.closes_at = now - timedelta(hours=1)
    quiz.save()
    with pytest.raises(Exception) as refused:
        attempts.attempt_start(user=trainee, quiz_id=quiz.pk, now=now)
    assert refused.value.code == "quiz_closed"
    QuizOverride.objects.create(quiz=quiz, user=trainee, closes_at=now + timedelta(days=1))
    result = attempts.attempt_start(user=trainee, quiz_id=quiz.pk, now=now)
    assert result.created and result.attempt.deadline == now + timedelta(seconds=600)


def test_effective_due_at_prefers_the_extension(world, trainee):
    course = world["course"]
    course.due_at = timezone.now() + timedelta(days=3)
    course.save()
    enrolment = Enrolment.objects.get(course=course, user=trainee)
    assert effective_due_at(enrolment) == course.due_at
    later = course.due_at + timedelta(days=7)
    Enrolment.objects.filter(pk=enrolment.pk).update(due_at=later)
    row = with_effective_due_at(Enrolment.objects.filter(pk=enrolment.pk)).get()
    assert row.effective_due_at == later and effective_due_at(row) == later


# --- REST: overrides -------------------------------------------------------------------------------

def test_override_crud_is_audited_and_says_running_attempts_keep_their_deadline(api, world, trainee):
    quiz = world["quiz"]
    attempts.attempt_start(user=trainee, quiz_id=quiz.pk)
    as_user(api, world["trainer"])
    r = api.post(f"/api/v1/quizzes/{quiz.pk}/overrides/", {"user": trainee.pk, "time_limit_seconds": 1200},
                 format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["user"]["id"] == trainee.pk and body["running_attempts"] == 1 and body["notice"]
    listed = api.get(f"/api/v1/quizzes/{quiz.pk}/overrides/").json()
    assert [o["id"] for o in listed] == [body["id"]]
    r = api.patch(f"/api/v1/overrides/{body['id']}/", {"max_attempts": 3}, format="json")
    assert r.status_code == 200 and r.json()["max_attempts"] == 3 and r.json()["time_limit_seconds"] == 1200
    assert api.delete(f"/api/v1/overrides/{body['id']}/").status_code == 204
    assert not QuizOverride.objects.exists()
    verbs = list(AuditEntry.objects.filter(verb__startswith="assessments.override")
                 .values_list("verb", flat=True))
    assert sorted(verbs) == ["assessments.override_created", "assessments.override_deleted",
                             "assessments.override_updated"]


def test_a_quiz_without_overrides_asks_no_override_query_and_one_with_them_does(
        world, tree, trainee, django_assert_num_queries):
    """Quiz.has_overrides (decision 0076): set by the first override, whoever saves it; a delete
    that leaves none clears it; a save of a quiz read before the override keeps it."""
    quiz = world["quiz"]
    stale = Quiz.objects.get(pk=quiz.pk)
    assert not quiz.has_overrides
    with django_assert_num_queries(0):  # no limit an accommodation changes is read for a user id
        assert closes_at_for(quiz, trainee.pk) is None
    other = user_with_role(Role.TRAINEE, tree["mission"])
    enrol(world["course"], other)
    first = override_create(actor=None, quiz_id=quiz.pk, user_id=trainee.pk, time_limit_seconds=1200).override
    second = override_create(actor=None, quiz_id=quiz.pk, user_id=other.pk, max_attempts=4).override
    stale.title = "Bài kiểm tra cuối khóa"
    stale.save()  # read before the overrides: must not clear the flag
    quiz = Quiz.objects.get(pk=quiz.pk)
    assert quiz.has_overrides and quiz.title == "Bài kiểm tra cuối khóa"
    assert effective_rules(quiz, trainee).time_limit_seconds == 1200
    override_delete(actor=None, override_id=first.pk)
    quiz = Quiz.objects.get(pk=quiz.pk)
    assert quiz.has_overrides  # the other person's is left
    assert effective_rules(quiz, trainee).time_limit_seconds == 600
    assert effective_rules(quiz, other).max_attempts == 4
    override_delete(actor=None, override_id=second.pk)
    quiz = Quiz.objects.get(pk=quiz.pk)
    assert not quiz.has_overrides
    assert effective_rules(quiz, other).max_attempts == 1


def test_the_migration_flags_the_quizzes_that_already_have_overrides(world, trainee):
    from importlib import import_module

    from django.apps import apps

    quiz = world["quiz"]
    QuizOverride.objects.create(quiz=quiz, user=trainee, max_attempts=3)
    Quiz.objects.filter(pk=quiz.pk).update(has_overrides=False)  # as before the migration
    import_module("assessments.migrations.0006_quiz_has_overrides").flag_overridden(apps, None)
    assert Quiz.objects.get(pk=quiz.pk).has_overrides
    assert effective_rules(Quiz.objects.get(pk=quiz.pk), trainee).max_attempts == 3


@pytest.mark.parametrize("body,field", [
    ({"time_limit_seconds": 60}, "user"),                      # neither a person nor a cohort
    ({"user": "me", "cohort": "c", "max_attempts": 2}, "cohort"),  # both
    ({"user": "stranger", "max_attempts": 2}, "user"),          # not enrolled
    ({"user": "me", "closes_at": "past"}, "closes_at"),         # closes before it opens
    ({"user": "me", "opens_at": "0091-11-08T15:19:36Z"}, "opens_at"),  # found by the fuzzer:
    ({"user": "me", "closes_at": "2400-01-01T00:00:00Z"}, "closes_at"),  # outside 1970-2199
])
def test_bad_override_input_names_the_field(api, world, tree, trainee, body, field):
    quiz = world["quiz"]
    quiz.opens_at = timezone.now()
    quiz.save()
    stranger = user_with_role(Role.TRAINEE, tree["mission"])
    cohort = cohort_with(tree, trainee)
    values = {"me": trainee.pk, "stranger": stranger.pk, "c": cohort.pk,
              "past": (quiz.opens_at - timedelta(days=1)).isoformat()}
    sent = {k: values.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    as_user(api, world["trainer"])
    r = api.post(f"/api/v1/quizzes/{quiz.pk}/overrides/", sent, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert r.status_code == 400, r.json()
    assert field in r.json()["fields"], r.json()
    assert not QuizOverride.objects.exists()


def test_another_units_cohort_reads_as_unknown(api, world, tree, trainee):
    """A trainer names only cohorts of their own units (the ones the page offers), even when
    members of another unit's cohort are enrolled in the course."""
    theirs = CohortFactory(organisation=tree["province"])
    CohortMembership.objects.create(cohort=theirs, user=trainee)
    as_user(api, world["trainer"])
    url = f"/api/v1/quizzes/{world['quiz'].pk}/overrides/"
    r = api.post(url, {"cohort": theirs.pk, "max_attempts": 5}, format="json")
    assert r.status_code == 400 and "cohort" in r.json()["fields"], r.json()
    assert not QuizOverride.objects.exists()
    ours = cohort_with(tree, trainee)
    assert api.post(url, {"cohort": ours.pk, "max_attempts": 5}, format="json").status_code == 201


def test_a_second_override_for_the_same_person_is_a_conflict(api, world, trainee):
    as_user(api, world["trainer"])
    url = f"/api/v1/quizzes/{world['quiz'].pk}/overrides/"
    assert api.post(url, {"user": trainee.pk, "max_attempts": 2}, format="json").status_code == 201
    r = api.post(url, {"user": trainee.pk, "max_attempts": 3}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "override_exists"


def test_overrides_are_for_the_courses_staff_only(api, world, tree, trainee):
    url = f"/api/v1/quizzes/{world['quiz'].pk}/overrides/"
    as_user(api, trainee)
    assert api.post(url, {"user": trainee.pk, "max_attempts": 9}, format="json").status_code == 403
    outsider = user_with_role(Role.TRAINER, tree["province"])
    as_user(api, outsider)
    assert api.get(url).status_code == 404
    assert api.post(url, {"user": trainee.pk, "max_attempts": 9}, format="json").status_code == 404


def test_quiz_page_payload_shows_the_persons_rules(api, world, trainee):
    accommodation_set(actor=None, user=trainee, time_factor=2, extra_attempts=1)
    as_user(api, trainee)
    body = api.get(f"/api/v1/quizzes/{world['quiz'].pk}/").json()
    assert body["time_limit_seconds"] == 1200 and body["max_attempts"] == 2 and body["accommodated"]


# --- REST: extensions and accommodations ---------------------------------------------------------

def test_enrolment_due_date_extension(api, world, tree, trainee):
    enrolment = Enrolment.objects.get(course=world["course"], user=trainee)
    when = (timezone.now() + timedelta(days=20)).replace(microsecond=0)
    as_user(api, trainee)
    assert api.patch(f"/api/v1/enrolments/{enrolment.pk}/", {"due_at": when.isoformat()},
                     format="json").status_code == 403
    as_user(api, user_with_role(Role.TRAINER, tree["province"]))
    assert api.patch(f"/api/v1/enrolments/{enrolment.pk}/", {"due_at": when.isoformat()},
                     format="json").status_code == 404
    as_user(api, world["trainer"])
    r = api.patch(f"/api/v1/enrolments/{enrolment.pk}/", {"due_at": "soon"}, format="json")
    assert r.status_code == 400 and "due_at" in r.json()["fields"]
    r = api.patch(f"/api/v1/enrolments/{enrolment.pk}/", {"due_at": when.isoformat()}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["effective_due_at"] is not None
    enrolment.refresh_from_db()
    assert enrolment.due_at == when
    assert AuditEntry.objects.filter(verb="course.due_date_extended").count() == 1
    listed = api.get(f"/api/v1/courses/{world['course'].pk}/enrolments/").json()
    assert listed["results"][0]["due_at"] is not None


@pytest.mark.parametrize("factor", ["0.5", "5.01", "6", "abc"])
def test_time_factor_outside_1_to_5_names_the_field(api, admin_user, trainee, factor):
    as_user(api, admin_user)
    r = api.put(f"/api/v1/users/{trainee.pk}/accommodation/", {"time_factor": factor}, format="json")
    assert r.status_code == 400 and "time_factor" in r.json()["fields"], r.json()
    assert not Accommodation.objects.exists()


def test_accommodation_set_and_read_by_the_persons_administrator(api, admin_user, tree, trainee):
    url = f"/api/v1/users/{trainee.pk}/accommodation/"
    as_user(api, trainee)
    assert api.put(url, {"time_factor": "2"}, format="json").status_code == 403
    as_user(api, user_with_role(Role.ADMINISTRATOR, tree["province"]))
    assert api.put(url, {"time_factor": "2"}, format="json").status_code == 404
    as_user(api, admin_user)
    assert api.get(url).json()["time_factor"] == 1
    r = api.put(url, {"time_factor": "1.5", "extra_attempts": 2, "reason": "Khiếm thị"}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["time_factor"] == 1.5 and r.json()["notice"]
    row = Accommodation.objects.get(user=trainee)
    assert row.time_factor == Decimal("1.50") and row.extra_attempts == 2 and row.set_by_id == admin_user.pk
    assert AuditEntry.objects.filter(verb="user.accommodation_set").count() == 1
    r = api.put(url, {"time_factor": "2", "extra_attempts": -1}, format="json")
    assert r.status_code == 400 and "extra_attempts" in r.json()["fields"]


def test_trainee_dashboard_shows_the_persons_own_dates(client, world, trainee):
    """The dashboard reads the same rules: an override's close date and an extension show there."""
    course, quiz = world["course"], world["quiz"]
    closes = timezone.now() + timedelta(days=2)
    QuizOverride.objects.create(quiz=quiz, user=trainee, closes_at=closes)  # the quiz itself never closes
    extension = timezone.now() + timedelta(days=9)
    Enrolment.objects.filter(course=course, user=trainee).update(due_at=extension)
    deadlines = quiz_deadlines([quiz.lesson_id], user_id=trainee.pk)
    assert [(d.quiz_id, d.closes_at) for d in deadlines] == [(quiz.pk, closes)]
    assert quiz_deadlines([quiz.lesson_id]) == []  # everyone else: no close date
    [card] = learner_courses(User.objects.get(pk=trainee.pk))
    assert card.due_at == extension


def test_after_close_review_waits_for_the_persons_own_close_date(api, world, trainee):
    """Correct answers shown "after the quiz closes" stay hidden from someone whose exception
    keeps the quiz open for them: they could still start an attempt."""
    quiz = world["quiz"]
    quiz.max_attempts, quiz.review_correct = 0, "after_close"
    quiz.save()
    started = attempts.attempt_start(user=trainee, quiz_id=quiz.pk)
    attempts.attempt_submit(user=trainee, attempt_id=started.attempt.pk)
    quiz.closes_at = timezone.now() - timedelta(minutes=1)
    quiz.save()
    as_user(api, trainee)
    assert api.get(f"/api/v1/attempts/{started.attempt.pk}/").json()["review"]["correct"] is True
    QuizOverride.objects.create(quiz=quiz, user=trainee, closes_at=timezone.now() + timedelta(days=1))
    assert api.get(f"/api/v1/attempts/{started.attempt.pk}/").json()["review"]["correct"] is False
