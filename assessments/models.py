"""Question banks, versioned questions, quizzes, attempts and responses (decision 0010).

Rules live in the pure modules (questions/, grading.py, draw.py, review.py); these tables keep
the facts and their invariants:
- a ``QuestionVersion`` never changes once written: an edit adds a version, and an attempt
  points at the versions it started with;
- an ``Attempt`` freezes its seed and layout; ``(quiz, user, number)`` is unique, so the
  attempt limit holds even if two starts race past the ``QuizUserState`` lock;
- other apps' objects are plain integers (``lesson_id``, ``course_id``, ``organisation_id``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.grading import GradingMethod
from assessments.questions import QUESTION_TYPES
from backend.accounts.api import search_key


def new_pool_token() -> int:
    return secrets.randbits(62)


def pool_changed(bank_id: int) -> None:
    """The pools drawn from this bank are no longer what a process may have kept."""
    QuestionBank.objects.filter(pk=bank_id).update(pool_token=new_pool_token())


class QuestionBank(models.Model):
    """Owned by a unit (shared by its trainers) or by one course (``course_id`` set)."""

    title = models.CharField(_("title"), max_length=255)
    organisation_id = models.PositiveBigIntegerField(db_index=True)
    # Copied from the unit so "banks of my subtrees" is one indexed filter (decision 0010).
    organisation_path = models.CharField(max_length=255, db_index=True)
    course_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Accent-free key of the title (backend.accounts search_key). NULL (not "") means "not computed
    # yet": the column was added without a default, so adding it never rewrote the table.
    search_key = models.CharField(max_length=255, null=True, editable=False)  # noqa: DJ001
    # A new random value whenever a question of the bank changes (saved, tagged): the key under
    # which a process keeps the pools drawn from it (assessments.pools, decision 0076).
    pool_token = models.BigIntegerField(default=new_pool_token, editable=False)

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_key = search_key(self.title)[:255]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)


class Category(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=255)  # "a/b" for a GIFT $CATEGORY path

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["bank", "name"], name="category_unique_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["bank", "name"], name="tag_unique_name")]

    def __str__(self) -> str:
        return self.name


class QuestionType(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True/false")
    SHORT_ANSWER = "short_answer", _("Short answer")
    NUMERICAL = "numerical", _("Numerical")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    ESSAY = "essay", _("Essay")


assert set(QuestionType.values) == set(QUESTION_TYPES), "question types and choices must agree"


class Question(models.Model):
    """The identity of a question across its versions; ``current`` is what new attempts use."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    current = models.ForeignKey("QuestionVersion", null=True, on_delete=models.PROTECT, related_name="+")
    archived = models.BooleanField(default=False)  # kept for old attempts, never drawn again
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def save(self, *args, **kwargs):
        """A saved question (new, a new current version, archived, moved) changes its bank's pools."""
        super().save(*args, **kwargs)
        pool_changed(self.bank_id)


def question_search_key(title: str, text: str) -> str:
    return search_key(f"{title} {text}")


class QuestionVersionManager(models.Manager):
    """Versions without their search key: as long as the text, read only by bank searches (in
    SQL), so attempts and reviews never load it."""

    def get_queryset(self):
        return super().get_queryset().defer("search_key")


class QuestionVersion(models.Model):
    """Immutable: attempts keep pointing at the version they started with."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    title = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    data = models.JSONField()
    default_mark = models.FloatField(default=1.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Accent-free key of title and text (question_search_key); NULL until backfilled (see above).
    search_key = models.TextField(null=True, editable=False)  # noqa: DJ001

    objects = QuestionVersionManager()

    class Meta:
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="version_unique_number")]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"#{self.question_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A question version is immutable; create a new version instead.")
        self.search_key = question_search_key(self.title, self.text)
        super().save(*args, **kwargs)


class ReviewWhen(models.TextChoices):
    IMMEDIATELY = "immediately", _("Right after submitting")
    AFTER_CLOSE = "after_close", _("After the quiz closes")
    NEVER = "never", _("Never")


class Quiz(models.Model):
    lesson_id = models.PositiveBigIntegerField(unique=True)
    course_id = models.PositiveBigIntegerField(db_index=True)
    title = models.CharField(_("title"), max_length=255)
    intro = models.TextField(blank=True)
    shuffle_questions = models.BooleanField(default=False)
    shuffle_answers = models.BooleanField(default=True)
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    max_attempts = models.PositiveIntegerField(default=0)  # 0: unlimited
    attempt_delay_seconds = models.PositiveIntegerField(default=0)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    grading_method = models.CharField(
        max_length=10, choices=[(m.value, m.value) for m in GradingMethod], default=GradingMethod.HIGHEST
    )
    pass_mark = models.FloatField(null=True, blank=True)  # percent; None: no pass mark
    review_score = models.CharField(max_length=12, choices=ReviewWhen.choices, default=ReviewWhen.IMMEDIATELY)
    review_responses = models.CharField(
        max_length=12, choices=ReviewWhen.choices, default=ReviewWhen.IMMEDIATELY
    )
    review_correct = models.CharField(
        max_length=12, choices=ReviewWhen.choices, default=ReviewWhen.AFTER_CLOSE
    )
    review_feedback = models.CharField(
        max_length=12, choices=ReviewWhen.choices, default=ReviewWhen.IMMEDIATELY
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Whether the quiz may have overrides (True from its first one until a delete leaves none):
    # a quiz without them costs a start, a submit and a quiz page no override query (0076).
    # Set by QuizOverride.save(), cleared by assessments.overrides' delete; never by Quiz.save().
    has_overrides = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        """A save of a loaded quiz writes every field but `has_overrides`, which a concurrent
        override may have changed since the quiz was read."""
        if not self._state.adding and self.pk is not None and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "has_overrides"]
        super().save(*args, **kwargs)


class QuizSlot(models.Model):
    """A fixed question, or ``count`` questions drawn from a category and/or tag."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveIntegerField()
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(QuestionBank, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(default=1)
    mark = models.FloatField(null=True, blank=True)  # None: the question's default mark

    class Meta:
        verbose_name = _("quiz slot")
        verbose_name_plural = _("quiz slots")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"slot {self.position} of quiz {self.quiz_id}"


class QuizUserState(models.Model):
    """One row per (quiz, user): locked while an attempt starts, so the limit holds."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("quiz user state")
        verbose_name_plural = _("quiz user states")
        constraints = [models.UniqueConstraint(fields=["quiz", "user"], name="quiz_user_state_unique")]

    def __str__(self) -> str:
        return f"quiz {self.quiz_id} / user {self.user_id}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS)
    seed = models.BigIntegerField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)  # None: no time limit, no close date
    finished_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    mark = models.FloatField(null=True, blank=True)
    max_mark = models.FloatField(null=True, blank=True)
    percentage = models.FloatField(null=True, blank=True)  # None while an essay waits for a grader
    needs_grading = models.BooleanField(default=False)
    override_percentage = models.FloatField(null=True, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="attempt_unique_number"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="attempt_overdue_idx")]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"attempt {self.number} of quiz {self.quiz_id} by user {self.user_id}"

    @property
    def final_percentage(self) -> float | None:
        return self.override_percentage if self.override_percentage is not None else self.percentage


class Response(models.Model):
    """One question of an attempt: the frozen version, the trainee's answer and its grade."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    max_mark = models.FloatField()
    answer = models.JSONField(null=True, blank=True)
    answered = models.BooleanField(default=False)
    fraction = models.FloatField(null=True, blank=True)  # None: not graded yet
    manual = models.BooleanField(default=False)  # graded by a person (essay or re-grade)
    feedback = models.TextField(blank=True)  # the grader's comment
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="response_unique_position")
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"response {self.position} of attempt {self.attempt_id}"


class QuizOverride(models.Model):
    """Other dates or limits on one quiz for one person or one cohort (decision 0061). A field left
    empty is not overridden; a limit of 0 means "no limit". How several apply is decided by the
    pure rule in ``assessments.time_rules``; a change applies to attempts started after it."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    cohort = models.ForeignKey("accounts.Cohort", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    time_limit_seconds = models.PositiveIntegerField(_("time limit"), null=True, blank=True)
    max_attempts = models.PositiveIntegerField(_("attempts allowed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quiz override")
        verbose_name_plural = _("quiz overrides")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False, cohort__isnull=True)
                           | models.Q(user__isnull=True, cohort__isnull=False)),
                name="quiz_override_user_xor_cohort"),
            models.UniqueConstraint(fields=["quiz", "user"], condition=models.Q(user__isnull=False),
                                    name="quiz_override_once_per_user"),
            models.UniqueConstraint(fields=["quiz", "cohort"], condition=models.Q(cohort__isnull=False),
                                    name="quiz_override_once_per_cohort"),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.user or self.cohort}"

    def save(self, *args, **kwargs):
        """Saving an override flags its quiz (`Quiz.has_overrides`), whoever saves it.

        The UPDATE writes the quiz row even when it is flagged already: it takes the row's lock,
        so it waits for a delete that holds it (and flags again after that delete's clearing),
        and a delete then waits for this transaction before counting what is left. A conditional
        `WHERE has_overrides = false` skipped a flagged row without its lock, and either order
        of a concurrent create and delete of the last override could leave a quiz unflagged
        (tests/assessments/test_override_flag_races.py)."""
        super().save(*args, **kwargs)
        Quiz.objects.filter(pk=self.quiz_id).update(has_overrides=True)
        if self._state.fields_cache.get("quiz") is not None:
            self.quiz.has_overrides = True
