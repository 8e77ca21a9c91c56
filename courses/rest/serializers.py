"""Input and output shapes of the courses API. Outputs render plain dicts built in
`rest/payloads.py`, so trainees get published values and authors the draft."""

from __future__ import annotations

from rest_framework import serializers

from backend.api.fields import DateTimeField
from backend.limits import FREE_TEXT_MAX_CHARS
from courses.models import CompletionRule, LessonKind

# --- inputs -------------------------------------------------------------------------------------------

class CourseCreateIn(serializers.Serializer):
    organisation = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Code of the owning unit; may be left out by a trainer of exactly one unit.")
    title = serializers.CharField(max_length=255)
    summary = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=FREE_TEXT_MAX_CHARS)
    language = serializers.CharField(max_length=8, default="vi", help_text="Language code: vi or en.")
    self_enrolment = serializers.BooleanField(default=False)
    enrolment_opens_at = DateTimeField(required=False, allow_null=True, default=None)
    enrolment_closes_at = DateTimeField(required=False, allow_null=True, default=None)
    due_at = DateTimeField(required=False, allow_null=True, default=None)
    issues_certificate = serializers.BooleanField(default=False)
    completion_rule = serializers.ChoiceField(choices=CompletionRule.choices,
                                              default=CompletionRule.ALL_REQUIRED)
    completion_percent = serializers.IntegerField(min_value=1, max_value=100, default=100)


class CourseUpdateIn(serializers.Serializer):
    version = serializers.IntegerField(help_text="The `version` you read; 409 if it changed since.")
    title = serializers.CharField(max_length=255, required=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=FREE_TEXT_MAX_CHARS)
    language = serializers.CharField(max_length=8, required=False, help_text="Language code: vi or en.")
    self_enrolment = serializers.BooleanField(required=False)
    enrolment_opens_at = DateTimeField(required=False, allow_null=True)
    enrolment_closes_at = DateTimeField(required=False, allow_null=True)
    due_at = DateTimeField(required=False, allow_null=True)
    issues_certificate = serializers.BooleanField(required=False)
    completion_rule = serializers.ChoiceField(choices=CompletionRule.choices, required=False)
    completion_percent = serializers.IntegerField(min_value=1, max_value=100, required=False)


class VersionIn(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="Optional: refuse (409) if the course changed since.")


class ModuleIn(VersionIn):
    title = serializers.CharField(max_length=255)


class LessonCreateIn(VersionIn):
    kind = serializers.ChoiceField(choices=LessonKind.choices)
    title = serializers.CharField(max_length=255)
    body = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="HTML; sanitised on save.")
    video_url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    required = serializers.BooleanField(default=True)
    prerequisites = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class LessonUpdateIn(VersionIn):
    title = serializers.CharField(max_length=255, required=False)
    body = serializers.CharField(required=False, allow_blank=True)
    video_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    required = serializers.BooleanField(required=False)
    prerequisites = serializers.ListField(child=serializers.IntegerField(), required=False)


class CourseCoverIn(serializers.Serializer):
    cover = serializers.FileField(help_text="JPEG, PNG, WebP or GIF, up to 5 MB; resized to 640 and 320 px")


class LessonFileIn(VersionIn):
    file = serializers.FileField()


class ReorderModuleIn(serializers.Serializer):
    id = serializers.IntegerField()
    lessons = serializers.ListField(child=serializers.IntegerField(), default=list)


class ReorderIn(serializers.Serializer):
    version = serializers.IntegerField()
    modules = ReorderModuleIn(many=True)


class EnrolIn(serializers.Serializer):
    user_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     max_length=10000)
    emails = serializers.ListField(child=serializers.CharField(max_length=254), required=False,
                                   default=list, max_length=10000)
    cohort = serializers.CharField(required=False, allow_null=True, default=None,
                                   help_text="Cohort id or code: enrol all its members.")
    organisation = serializers.CharField(required=False, allow_null=True, default=None,
                                         help_text="Unit id or code: enrol everyone in its subtree.")

    def validate(self, attrs):
        if not (attrs["user_ids"] or attrs["emails"] or attrs["cohort"] or attrs["organisation"]):
            raise serializers.ValidationError("Give user_ids, emails, a cohort or an organisation.")
        return attrs


class TrackIn(serializers.Serializer):
    time_spent_seconds = serializers.IntegerField(min_value=0, max_value=3600, default=0)
    position = serializers.CharField(max_length=255, required=False, allow_blank=True, allow_null=True,
                                     default=None, help_text="Where to resume (e.g. video seconds).")


# --- outputs ------------------------------------------------------------------------------------------

class OrganisationOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class EnrolmentBriefOut(serializers.Serializer):
    status = serializers.CharField()
    percent = serializers.IntegerField()
    completed_at = DateTimeField(allow_null=True)
    enrolled_at = DateTimeField()


class CourseOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    language = serializers.CharField()
    status = serializers.ChoiceField(choices=["draft", "published", "archived"])
    organisation = OrganisationOut()
    self_enrolment = serializers.BooleanField()
    enrolment_opens_at = DateTimeField(allow_null=True)
    enrolment_closes_at = DateTimeField(allow_null=True)
    due_at = DateTimeField(allow_null=True)
    issues_certificate = serializers.BooleanField()
    completion_rule = serializers.CharField()
    completion_percent = serializers.IntegerField()
    published_at = DateTimeField(allow_null=True)
    release = serializers.IntegerField()
    can_edit = serializers.BooleanField()
    version = serializers.IntegerField(allow_null=True, help_text="Draft version (authors only).")
    has_unpublished_changes = serializers.BooleanField(allow_null=True)
    enrolment = EnrolmentBriefOut(allow_null=True)
    cover_url = serializers.CharField(allow_null=True, help_text="640x360 WebP; null: no cover")
    cover_small_url = serializers.CharField(allow_null=True, help_text="320x180 WebP")


class ModuleOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    position = serializers.IntegerField()


class LessonProgressOut(serializers.Serializer):
    status = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text="Fraction 0–1.")
    attempts = serializers.IntegerField()
    time_spent_seconds = serializers.IntegerField()
    position = serializers.CharField()
    completed_at = DateTimeField(allow_null=True)


class LessonOut(serializers.Serializer):
    id = serializers.IntegerField()
    course_id = serializers.IntegerField()
    module_id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="Sanitised HTML (text lessons).")
    video_url = serializers.CharField()
    video_file_url = serializers.CharField(allow_null=True)
    file_url = serializers.CharField(allow_null=True)
    file_name = serializers.CharField()
    file_size = serializers.IntegerField()
    required = serializers.BooleanField()
    prerequisites = serializers.ListField(child=serializers.IntegerField())
    position = serializers.IntegerField()
    quiz_id = serializers.IntegerField(allow_null=True)
    activity_id = serializers.IntegerField(allow_null=True)
    draft = serializers.BooleanField(help_text="True when these are unpublished draft values.")
    progress = LessonProgressOut(allow_null=True)


class OutlineLessonOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    required = serializers.BooleanField()
    prerequisites = serializers.ListField(child=serializers.IntegerField())
    position = serializers.IntegerField()
    status = serializers.CharField()
    locked = serializers.BooleanField()
    quiz_id = serializers.IntegerField(allow_null=True)


class OutlineModuleOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    position = serializers.IntegerField()
    lessons = OutlineLessonOut(many=True)


class OutlineOut(serializers.Serializer):
    course_id = serializers.IntegerField()
    title = serializers.CharField()
    draft = serializers.BooleanField()
    release = serializers.IntegerField()
    modules = OutlineModuleOut(many=True)
    enrolment = EnrolmentBriefOut(allow_null=True)
    next_lesson_id = serializers.IntegerField(allow_null=True)


class ProgressLessonOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    required = serializers.BooleanField()
    status = serializers.CharField()
    locked = serializers.BooleanField()
    score = serializers.FloatField(allow_null=True)
    attempts = serializers.IntegerField()
    time_spent_seconds = serializers.IntegerField()
    completed_at = DateTimeField(allow_null=True)


class ProgressOut(serializers.Serializer):
    course_id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    status = serializers.CharField()
    percent = serializers.IntegerField()
    completed_at = DateTimeField(allow_null=True)
    enrolled_at = DateTimeField()
    due_at = DateTimeField(allow_null=True)
    lessons = ProgressLessonOut(many=True)


class CompleteOut(serializers.Serializer):
    lesson = LessonProgressOut()
    enrolment = EnrolmentBriefOut()


class ContinueOut(serializers.Serializer):
    lesson = OutlineLessonOut(allow_null=True)
    module_id = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField()
    completed = serializers.BooleanField()


class EnrolResultOut(serializers.Serializer):
    created = serializers.IntegerField()
    reactivated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    total = serializers.IntegerField()
    not_found = serializers.ListField(child=serializers.CharField())


class UserBriefOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.CharField()


class EnrolmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    user = UserBriefOut()
    status = serializers.CharField()
    source = serializers.CharField()
    percent = serializers.IntegerField()
    enrolled_at = DateTimeField()
    completed_at = DateTimeField(allow_null=True)
    withdrawn_at = DateTimeField(allow_null=True)
    due_at = DateTimeField(allow_null=True, help_text="This person's extension (null: none).")
    effective_due_at = DateTimeField(
        allow_null=True, help_text="The extension if set, else the course's due date.")


class EnrolmentUpdateIn(serializers.Serializer):
    due_at = DateTimeField(allow_null=True, help_text=(
        "An extension for this person: replaces the course's due date for them; null removes it."))
