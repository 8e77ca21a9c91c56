"""The outline is sent without re-serialising its lessons (decision 0069): what it sends must
stay exactly what OutlineOut, the schema's serializer, would render."""

import json

from rest_framework.renderers import JSONRenderer

from courses import learning
from courses.models import Course
from courses.rest import serializers as s
from courses.rest.payloads import published_outline_payload
from courses.rest.views_learning import outline_out
from courses.selectors import enrolment_of, learner_statuses
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import UserFactory


def _rendered(data) -> dict:
    return json.loads(JSONRenderer().render(data))


def test_the_outline_sent_is_what_the_schema_serializer_renders(tree):
    course = build_course(tree["central"], modules=2, lessons=3, chain=True)
    person = UserFactory(organisation=tree["mission"])
    enrol(course, person)
    learning.lesson_complete(user=person, lesson_id=lessons_in_order(course)[0].pk)
    course = Course.objects.get(pk=course.pk)
    enrolment = enrolment_of(person.pk, course.pk)
    payload = published_outline_payload(course, learner_statuses(enrolment.pk), enrolment)
    sent = _rendered(outline_out(payload))
    assert sent == _rendered(s.OutlineOut(payload).data)
    assert sent["enrolment"]["percent"] > 0 and sent["modules"][0]["lessons"][0]["status"] == "completed"
    assert sent["modules"][0]["lessons"][1]["locked"] is False
    assert sent["modules"][0]["lessons"][2]["locked"] is True
    staff_view = published_outline_payload(course, {}, None)
    assert _rendered(outline_out(staff_view)) == _rendered(s.OutlineOut(staff_view).data)
