"""The demo quizzes: seeded once, in Vietnamese, and the demo trainee can complete the course by
reading every lesson and passing every required quiz through the REST API."""

from django.core.management import call_command

from assessments.models import Quiz
from assessments.questions import get_type
from backend.accounts.models import User
from courses.models import Course, Lesson
from tests.h5p.statements import statement


def test_demo_quizzes_let_the_trainee_complete_the_course(db, settings, api):
    settings.DEMO_MODE = True
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)
    course = Course.objects.get()
    quizzes = list(Quiz.objects.filter(course_id=course.pk))
    assert len(quizzes) == 7  # five module checks, one optional essay, the final quiz
    final = Quiz.objects.get(title="Kiểm tra cuối khóa")
    assert final.pass_mark == 70 and len({s.question.type for s in final.slots.all()}) >= 5

    trainee = User.objects.get(email="trainee@demo.local")
    api.force_authenticate(trainee)
    assert api.post(f"/api/v1/courses/{course.pk}/enrol/").status_code == 201
    for lesson in Lesson.objects.filter(course=course).order_by("module__position", "position"):
        if lesson.kind == "text":
            assert api.post(f"/api/v1/lessons/{lesson.pk}/complete/").status_code == 200
            continue
        if lesson.kind == "h5p":  # the demo's H5P question, answered through xAPI
            response = api.post(f"/api/v1/lessons/{lesson.pk}/xapi/",
                                statement(lesson.pk, raw=1, success=True, completion=True),
                                format="json")
            assert response.status_code in (200, 201), response.content
            continue
        if lesson.kind == "scorm":  # the demo's SCORM package, each SCO played through the runtime
            package = api.get(f"/api/v1/lessons/{lesson.pk}/scorm/").json()
            for item in [i for i in package["items"] if i["is_sco"]]:
                start = api.get(f"/api/v1/lessons/{lesson.pk}/scorm/cmi/", {"sco": item["identifier"]})
                assert start.status_code == 200, start.content
                body = start.json()
                committed = api.put(f"/api/v1/lessons/{lesson.pk}/scorm/cmi/", {
                    "sco": body["sco"], "attempt": body["attempt"], "seq": body["seq"] + 1,
                    "terminated": True, "cmi": {"cmi.completion_status": "completed",
                                                "cmi.success_status": "passed", "cmi.score.scaled": "1",
                                                "cmi.score.raw": "100", "cmi.score.max": "100",
                                                "cmi.score.min": "0"}}, format="json")
                assert committed.status_code == 200 and committed.json()["applied"], committed.content
            continue
        if not lesson.required:
            continue
        quiz = Quiz.objects.get(lesson_id=lesson.pk)
        start = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
        assert start.status_code == 201, start.json()
        versions = {
            s.question.current.text: s.question.current
            for s in quiz.slots.select_related("question__current")
        }
        answers = [
            {
                "position": q["position"],
                "answer": get_type(q["type"]).correct_response(versions[q["text"]].data),
            }
            for q in start.json()["questions"]
        ]
        done = api.post(
            f"/api/v1/attempts/{start.json()['id']}/submit/", {"responses": answers}, format="json"
        )
        assert done.json()["percentage"] == 100.0, done.json()
    progress = api.get(f"/api/v1/courses/{course.pk}/progress/").json()
    assert progress["percent"] == 100 and progress["completed_at"]
