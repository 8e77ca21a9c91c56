"""Courses → modules → lessons (the draft), their published snapshot, enrolments and progress.

The draft is the live rows (stable ids). `publish` copies it into `Course.published` (the
outline as JSON) and `Lesson.published` (each lesson's content), which is all trainees read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.html import lesson_search_key
from courses.uploads import lesson_file_name, lesson_video_name


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # never published
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class CompletionRule(models.TextChoices):
    ALL_REQUIRED = "all_required", _("All required lessons completed")
    MIN_PERCENT = "min_percent", _("A share of the required lessons completed")


class LessonKind(models.TextChoices):
    TEXT = "text", _("Reading")  # one word for a text lesson (docs/glossary.md): "Bài đọc"
    VIDEO = "video", _("Video")
    FILE = "file", _("File")
    H5P = "h5p", _("H5P activity")
    SCORM = "scorm", _("SCORM package")
    QUIZ = "quiz", _("Quiz")


class Course(models.Model):
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="courses")
    status = models.CharField(_("status"), max_length=12, choices=CourseStatus.choices,
                              default=CourseStatus.DRAFT, db_index=True)
    # Enrolment policy and the certificate flag are settings, not content: they apply on save.
    self_enrolment = models.BooleanField(_("self-enrolment allowed"), default=False)
    enrolment_opens_at = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    enrolment_closes_at = models.DateTimeField(_("enrolment closes"), null=True, blank=True)
    due_at = models.DateTimeField(_("due date"), null=True, blank=True)
    issues_certificate = models.BooleanField(_("issues a certificate"), default=False)
    completion_rule = models.CharField(_("completion rule"), max_length=20,
                                       choices=CompletionRule.choices,
                                       default=CompletionRule.ALL_REQUIRED)
    completion_percent = models.PositiveSmallIntegerField(_("completion threshold (%)"), default=100)
    # Optimistic concurrency: every draft write bumps it; clients send what they read.
    version = models.PositiveIntegerField(default=1)
    has_unpublished_changes = models.BooleanField(default=True)
    search_key = models.CharField(max_length=600, editable=False, default="")
    # The snapshot trainees read; None until the first publish.
    published = models.JSONField(null=True, blank=True, editable=False)
    published_search_key = models.CharField(max_length=600, editable=False, default="")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    release = models.PositiveIntegerField(default=0, editable=False)  # how many publishes
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # The cover image resized at upload (courses/covers.py): random storage names, served by
    # `course-cover` (covers are not secret, decision 0056). Empty: a generated pattern.
    cover = models.CharField(max_length=255, blank=True, editable=False)
    cover_small = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=255)
    position = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title


SEARCH_KEY_FIELDS = ("search_key", "published_search_key")


class LessonManager(models.Manager):
    """Lessons without their search keys: the keys are as long as the text and only the
    catalogue search reads them (in SQL), so outlines and players never load them."""

    def get_queryset(self):
        return super().get_queryset().defer(*SEARCH_KEY_FIELDS)


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    kind = models.CharField(_("kind"), max_length=10, choices=LessonKind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True, help_text=_("Sanitised HTML."))
    video_url = models.URLField(_("video link"), blank=True, max_length=500)
    # Private: served by GET /api/v1/lessons/{id}/file/ to who may see the lesson (decision 0042).
    video_file = models.FileField(_("video file"), upload_to=lesson_video_name, blank=True,
                                  max_length=255)
    file = models.FileField(_("attachment"), upload_to=lesson_file_name, blank=True,
                            max_length=255)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    required = models.BooleanField(_("required"), default=True)
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True,
                                           related_name="dependents")
    position = models.PositiveIntegerField(default=0)
    # Id of the activity behind the lesson (the quiz of a quiz lesson), owned by a higher app.
    activity_id = models.PositiveBigIntegerField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    published = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Accent-free keys (lesson_search_key) of the draft and of the published version; NULL
    # until the backfill ran (added without a default: no table rewrite), and the published one
    # while the lesson is not published.
    search_key = models.TextField(null=True, editable=False)  # noqa: DJ001
    published_search_key = models.TextField(null=True, editable=False)  # noqa: DJ001

    objects = LessonManager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        base_manager_name = "objects"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "body"} & set(update_fields):
            self.search_key = lesson_search_key(self.title, self.body)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    STAFF = "staff", _("Enrolled by staff")


class Enrolment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ACTIVE)
    source = models.CharField(max_length=8, choices=EnrolmentSource.choices,
                              default=EnrolmentSource.STAFF)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    enrolled_at = models.DateTimeField(_("enrolled"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    notified_at = models.DateTimeField(null=True, blank=True)
    # An extension for this person: when set it replaces the course's due date (courses.due_dates).
    due_at = models.DateTimeField(_("due date"), null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_once"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="enrolment_percent_max"),
        ]
        indexes = [models.Index(fields=["course", "status"], name="enrolment_course_status")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.course_id}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=12, choices=ProgressStatus.choices,
                              default=ProgressStatus.NOT_STARTED)
    score = models.FloatField(null=True, blank=True, help_text=_("Fraction 0–1."))
    passed = models.BooleanField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    time_spent_seconds = models.PositiveIntegerField(default=0)
    position = models.CharField(_("resume position"), max_length=255, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="progress_once"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                                   name="progress_score_fraction"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id}: {self.status}"


class EnrolmentRound(models.Model):
    """A finished round of an enrolment, kept when the person starts the course again (a
    re-take for recertification, docs/decisions/0063-recertification.md): the completion and
    every lesson result of that round, frozen, so the new round starts from nothing while the
    history stays."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    enrolled_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    # [{"lesson": id, "status", "score", "passed", "attempts", "time_spent_seconds",
    #   "started_at", "completed_at"}] as they stood when the round closed.
    progress = models.JSONField(default=list)
    reason = models.CharField(max_length=64, blank=True)  # e.g. "recertification"
    closed_at = models.DateTimeField()  # the next round starts here: results count from it

    class Meta:
        verbose_name = _("enrolment round")
        verbose_name_plural = _("enrolment rounds")
        ordering = ["enrolment", "number"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "number"],
                                               name="enrolment_round_once")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} round {self.number}"
