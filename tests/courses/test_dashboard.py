"""courses.dashboard: what a trainee continues, what a trainer watches, an administrator's
figures; each read is a fixed number of queries."""

import datetime as dt

from django.utils import timezone

from backend.accounts.api import user_role_scopes
from backend.accounts.models import Role, User
from courses import dashboard, learning
from courses.models import Enrolment
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import user_with_role


def test_learner_courses_give_the_next_lesson_and_put_completed_last(tree, django_assert_num_queries):
    trainee = user_with_role(Role.TRAINEE, tree["mission"])
    done = build_course(tree["ministry"], title="Xong", modules=1, lessons=1)
    going = build_course(tree["ministry"], title="Đang học")
    fresh = build_course(tree["ministry"], title="Chưa bắt đầu")
    enrol(done, trainee)
    enrol(going, trainee)
    enrol(fresh, trainee)
    learning.lesson_complete(user=trainee, lesson_id=lessons_in_order(done)[0].pk)
    first, second = lessons_in_order(going)[:2]
    learning.lesson_complete(user=trainee, lesson_id=first.pk)

    with django_assert_num_queries(2):
        rows = dashboard.learner_courses(trainee)
    assert [r.course.title for r in rows] == ["Đang học", "Chưa bắt đầu", "Xong"]
    assert rows[0].next_lesson_id == second.pk and rows[0].percent == 25 and rows[0].started
    assert not rows[1].started and rows[2].completed and rows[2].next_lesson_id is None
    assert first.pk not in rows[0].open_lesson_ids and second.pk in rows[0].open_lesson_ids


def test_recommended_courses_are_open_courses_of_the_unit_not_taken(tree, django_assert_num_queries):
    trainee = user_with_role(Role.TRAINEE, tree["mission"])
    taken = build_course(tree["ministry"], title="Đã học")
    enrol(taken, trainee)
    build_course(tree["central"], title="Của cấp trên")
    build_course(tree["province"], title="Của tỉnh")
    build_course(tree["ministry"], title="Không mở", self_enrolment=False)
    build_course(tree["ministry"], title="Đã đóng", enrolment_closes_at=timezone.now() - dt.timedelta(days=1))
    build_course(tree["ministry"], title="Nháp", publish=False)
    fresh = User.objects.get(pk=trainee.pk)  # as a request loads it (without its unit)
    with django_assert_num_queries(2):  # the unit's path, then the courses
        titles = [c.title for c in dashboard.recommended_courses(fresh)]
    with django_assert_num_queries(1):  # a user that holds its unit (the auth cache's): the courses
        assert [c.title for c in dashboard.recommended_courses(trainee)] == titles
    assert titles == ["Của cấp trên"]


def test_trainer_courses_count_learners_in_one_query(tree, django_assert_num_queries):
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    a, b = (user_with_role(Role.TRAINEE, tree["mission"]) for _ in range(2))
    course = build_course(tree["ministry"], modules=1, lessons=2)
    build_course(tree["province"], title="Không phải của tôi")
    enrol(course, a, b)
    for lesson in lessons_in_order(course):
        learning.lesson_complete(user=a, lesson_id=lesson.pk)
    Enrolment.objects.filter(user=b).update(percent=50)
    user_role_scopes(trainer)  # the roles are read once per request (and cached on the user)
    with django_assert_num_queries(1):
        rows = dashboard.trainer_courses(trainer)
    assert len(rows) == 1
    row = rows[0]
    assert (row.enrolled, row.completed, row.average_percent) == (2, 1, 75)
    assert not row.has_unpublished_changes and row.published


def test_recent_completions_are_newest_first(tree):
    course = build_course(tree["ministry"], modules=1, lessons=1)
    people = [user_with_role(Role.TRAINEE, tree["mission"], full_name=f"Người {n}") for n in range(3)]
    enrol(course, *people)
    for person in people:
        learning.lesson_complete(user=person, lesson_id=lessons_in_order(course)[0].pk)
    names = [c.learner_name for c in dashboard.recent_completions([course.pk])]
    assert names == ["Người 2", "Người 1", "Người 0"]


def test_unit_figures_cover_the_subtree_only(tree, django_assert_num_queries):
    mine = build_course(tree["ministry"], modules=1, lessons=1)
    theirs = build_course(tree["province"], modules=1, lessons=1)
    a, b = (user_with_role(Role.TRAINEE, tree["mission"]) for _ in range(2))
    enrol(mine, a, b)
    enrol(theirs, a)
    learning.lesson_complete(user=a, lesson_id=lessons_in_order(mine)[0].pk)
    with django_assert_num_queries(5):
        figures = dashboard.unit_dashboard_figures([tree["ministry"].path])
    assert (figures.courses, figures.enrolments, figures.completions) == (1, 2, 1)
    assert figures.completion_rate == 50 and figures.enrolled_this_month == 2
    assert len(figures.months) == 6 and figures.months[-1].enrolled == 2
    assert figures.months[-1].completed == 1 and figures.pass_rate is None
    everywhere = dashboard.unit_dashboard_figures(None)
    assert everywhere.enrolments == 3


def test_months_back_crosses_the_year():
    start = timezone.localtime().replace(year=2027, month=2, day=1, hour=0, minute=0, second=0,
                                         microsecond=0)
    months = dashboard._months_back(start, 4)
    assert [(m.year, m.month) for m in months] == [(2026, 11), (2026, 12), (2027, 1), (2027, 2)]
