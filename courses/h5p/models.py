"""H5P tables: stored library copies, one content per lesson, learners' state, raw xAPI statements,
attempts and the per-lesson result they add up to.

Lessons and users are referred to by id (`lesson_id`) or by the user model: courses' own tables
are reached only through `courses.api`. Results belong to (user, lesson), never to a content, so
a re-upload replaces what is played without losing what was earned.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The grading methods are shared with SCORM (courses/attempt_grading.py); this name stays for
# H5P's callers and for drf-spectacular's H5PGradingMethodEnum (backend/settings.py).
from courses.attempt_grading import GradingMethod


class H5PLibrary(models.Model):
    """One stored copy of a library version: `libraries/<machine_name>-<major>.<minor>.<patch>-
    <files_hash>/`. The same version with other bytes is another row and another folder, so an
    upload never changes what other content plays (docs/decisions/0040)."""

    machine_name = models.CharField(max_length=255)
    major = models.PositiveIntegerField()
    minor = models.PositiveIntegerField()
    patch = models.PositiveIntegerField()
    files_hash = models.CharField(max_length=32, help_text=_("Digest of the library's files."))
    title = models.CharField(max_length=255, blank=True)
    runnable = models.BooleanField(default=False)
    core_api = models.CharField(max_length=16, default="1.0")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        ordering = ["machine_name", "major", "minor", "patch", "files_hash"]
        constraints = [models.UniqueConstraint(
            fields=["machine_name", "major", "minor", "patch", "files_hash"], name="h5p_library_copy_once")]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.version} ({self.files_hash[:8]})"

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def store_folder(self) -> str:
        return f"{self.machine_name}-{self.version}-{self.files_hash}"


class H5PContent(models.Model):
    """The package a lesson plays. A re-upload rewrites this row with a fresh `content_key`
    (a fresh folder), so cached content URLs never serve the old package."""

    lesson_id = models.PositiveBigIntegerField(unique=True)
    course_id = models.PositiveBigIntegerField(db_index=True)
    content_key = models.CharField(max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(max_length=16, default="und")
    main_library = models.ForeignKey(H5PLibrary, on_delete=models.PROTECT, related_name="+")
    # Exactly the library copies this content plays (one per machine name + major.minor): the
    # player resolves library files within this set and nowhere else.
    libraries = models.ManyToManyField(H5PLibrary, related_name="contents", blank=True)
    embed_types = models.JSONField(default=list)
    warnings = models.JSONField(default=list, blank=True)
    grading_method = models.CharField(_("grading method"), max_length=10, choices=GradingMethod.choices,
                                      default=GradingMethod.HIGHEST)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()
    uploads = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("H5P content")
        verbose_name_plural = _("H5P contents")

    def __str__(self) -> str:
        return self.title


class H5PState(models.Model):
    """What the player needs to resume (its `getCurrentState()`), per learner and lesson."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson_id = models.PositiveBigIntegerField()
    content_key = models.CharField(max_length=100)  # a state of an older upload is not restored
    data = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P saved state")
        verbose_name_plural = _("H5P saved states")
        constraints = [models.UniqueConstraint(fields=["user", "lesson_id"], name="h5p_state_once")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.lesson_id}"


class H5PStatement(models.Model):
    """An xAPI statement as posted (minus actor), deduplicated by its id."""

    statement_id = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson_id = models.PositiveBigIntegerField()
    content_key = models.CharField(max_length=100)
    verb = models.CharField(max_length=255)
    sub_content_id = models.CharField(max_length=255, blank=True)
    is_root = models.BooleanField()
    raw = models.JSONField()
    stored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [models.Index(fields=["lesson_id", "user", "id"], name="h5p_statement_lesson_user")]

    def __str__(self) -> str:
        return f"{self.verb} {self.statement_id}"


class H5PAttempt(models.Model):
    """One root result statement (answered, completed, passed, failed with a score or success)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson_id = models.PositiveBigIntegerField()
    content_key = models.CharField(max_length=100)
    statement = models.OneToOneField(H5PStatement, on_delete=models.CASCADE, related_name="attempt")
    verb = models.CharField(max_length=255)
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True, help_text=_("Fraction 0–1."))
    success = models.BooleanField(null=True, blank=True)
    completion = models.BooleanField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("H5P attempt")
        verbose_name_plural = _("H5P attempts")
        ordering = ["id"]
        indexes = [models.Index(fields=["lesson_id", "user", "id"], name="h5p_attempt_lesson_user")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.lesson_id}: {self.score}"


class H5PResult(models.Model):
    """The lesson's score for a learner, as the grading method makes it from the attempts. Its
    row is also the lock that serialises result statements of one learner in one lesson."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson_id = models.PositiveBigIntegerField()
    attempts = models.PositiveIntegerField(default=0)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P result")
        verbose_name_plural = _("H5P results")
        constraints = [models.UniqueConstraint(fields=["user", "lesson_id"], name="h5p_result_once")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.lesson_id}: {self.score} ({self.attempts})"
