"""The demo course's SCORM lesson (courses/scorm/demo.py): a real 2004 4th edition package of two
SCOs, read by the same upload path as trainers' packages, completed and scored through the CMI API."""

from django.core.management import call_command

from backend.accounts.models import User
from courses.enrolments import enrolment_self
from courses.models import Course, Lesson, LessonProgress
from courses.scorm.models import ScormPackage


def test_the_demo_package_is_seeded_once_and_the_trainee_passes_it_through_the_cmi_api(db, settings, api,
                                                                                      tmp_path):
    settings.DEMO_MODE = True
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)
    package = ScormPackage.objects.get()
    assert package.version == "2004-4" and package.completion_rule == "all"
    assert [i["identifier"] for i in package.items] == ["item-doc", "item-quiz"]
    assert package.items[1]["scaled_passing_score"] == 0.7 and package.items[0]["completion_threshold"] == 1.0
    assert (tmp_path / "scorm" / package.package_key / "quiz" / "quiz.js").is_file()

    course = Course.objects.get()
    lesson = Lesson.objects.get(course=course, kind="scorm")
    trainee = User.objects.get(email="trainee@demo.local")
    enrolment_self(user=trainee, course_id=course.pk)
    api.force_authenticate(trainee)
    url = f"/api/v1/lessons/{lesson.pk}/scorm/cmi/"
    for sco, cmi in (("item-doc", {"cmi.completion_status": "completed", "cmi.progress_measure": "1",
                                    "cmi.location": "3", "cmi.exit": "normal"}),
                     ("item-quiz", {"cmi.completion_status": "completed", "cmi.success_status": "passed",
                                    "cmi.score.scaled": "0.67", "cmi.score.raw": "2", "cmi.score.min": "0",
                                    "cmi.score.max": "3", "cmi.exit": "normal"})):
        started = api.get(url, {"sco": sco}).json()
        assert started["cmi"]["cmi.learner_id"] and started["entry"] == "ab-initio"
        answer = api.put(url, {"sco": sco, "attempt": started["attempt"], "seq": started["seq"] + 1,
                               "cmi": cmi, "terminated": True}, format="json")
        assert answer.status_code == 200 and answer.json()["applied"] is True
    progress = LessonProgress.objects.get(lesson=lesson, enrolment__user=trainee)
    assert progress.status == "completed"
    # 0.67 is below the quiz's passing score of 0.7: the server's rule, not the SCO's claim, decides.
    assert answer.json()["result"]["passed"] is False
