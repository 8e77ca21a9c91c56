"""SCORM tables: the package a lesson plays (its manifest, read once at upload), each learner's
attempts of each SCO with the CMI data model they committed, and the per-lesson result they add
up to.

Lessons are referred to by id (`lesson_id`): courses' own tables are reached only through
`courses.api`. Attempts and results belong to (user, lesson), never to a package, so a re-upload
replaces what is played without losing what was earned (as for H5P).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.attempt_grading import GradingMethod


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", _("SCORM 1.2")
    SCORM_2004_3 = "2004-3", _("SCORM 2004 3rd edition")
    SCORM_2004_4 = "2004-4", _("SCORM 2004 4th edition")


class CompletionRule(models.TextChoices):
    ALL = "all", _("All SCOs completed")
    REQUIRED = "required", _("The SCOs the package marks as required completed")


class ScormPackage(models.Model):
    """The package a lesson plays. A re-upload rewrites this row with a fresh `package_key`
    (a fresh folder under SCORM_ROOT), so cached content URLs never serve the old package.

    `items` is the default organisation flattened in manifest order, one dict per item:
    identifier, title, depth, is_sco, href (launch file, relative to the package root, with the
    manifest's parameters), mastery_score (1.2, 0-100), scaled_passing_score (2004, -1..1),
    completion_threshold (2004, 0..1), launch_data, max_time_allowed, time_limit_action,
    required (counts for the lesson's completion)."""

    lesson_id = models.PositiveBigIntegerField(unique=True)
    course_id = models.PositiveBigIntegerField(db_index=True)
    package_key = models.CharField(max_length=100, unique=True)
    version = models.CharField(_("SCORM version"), max_length=8, choices=ScormVersion.choices)
    title = models.CharField(_("title"), max_length=255)
    manifest_identifier = models.CharField(max_length=255, blank=True)
    organization = models.CharField(max_length=255, blank=True)
    items = models.JSONField(default=list)
    completion_rule = models.CharField(_("completion rule"), max_length=10, choices=CompletionRule.choices,
                                       default=CompletionRule.ALL)
    grading_method = models.CharField(_("grading method"), max_length=10, choices=GradingMethod.choices,
                                      default=GradingMethod.HIGHEST)
    warnings = models.JSONField(default=list, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()
    uploads = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self) -> str:
        return self.title


class ScormAttempt(models.Model):
    """One attempt of one SCO by one learner: the CMI data model as last committed (`cmi`,
    interactions and objectives included) and the fields results are made from. `seq` is the
    sequence number of the last commit applied: a commit with a number not above it changes
    nothing (stale or duplicate)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson_id = models.PositiveBigIntegerField()
    package_key = models.CharField(max_length=100)
    sco = models.CharField(max_length=255, help_text=_("Identifier of the item in the manifest."))
    number = models.PositiveIntegerField(default=1)
    seq = models.PositiveBigIntegerField(default=0)
    cmi = models.JSONField(default=dict)
    completion_status = models.CharField(max_length=20, blank=True)
    success_status = models.CharField(max_length=20, blank=True)
    score_raw = models.FloatField(null=True, blank=True)
    score_min = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True, help_text=_("Fraction 0–1."))
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    # Total time = the earlier sessions' time + this session's latest `session_time`, so a
    # session committing many times counts once (services.py, "time").
    total_time_seconds = models.FloatField(default=0)
    prior_time_seconds = models.FloatField(default=0)
    session_time_seconds = models.FloatField(default=0)
    exit = models.CharField(max_length=20, blank=True)
    terminated = models.BooleanField(default=False, help_text=_("The last session ended with Terminate."))
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["user", "lesson_id", "sco", "number"],
                                               name="scorm_attempt_once")]
        indexes = [models.Index(fields=["lesson_id", "user", "id"], name="scorm_attempt_lesson_user")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.lesson_id}/{self.sco}#{self.number}"


class ScormResult(models.Model):
    """The lesson's result for a learner, as the package's rules and the grading method make it
    from the attempts. Its row is also the lock that serialises commits of one learner in one
    lesson."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson_id = models.PositiveBigIntegerField()
    attempts = models.PositiveIntegerField(default=0)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SCORM result")
        verbose_name_plural = _("SCORM results")
        constraints = [models.UniqueConstraint(fields=["user", "lesson_id"], name="scorm_result_once")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.lesson_id}: {self.score} ({self.attempts})"
