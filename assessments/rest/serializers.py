"""Input and output shapes of the assessments API. Outputs are plain dicts built in
``assessments/payloads.py`` (where the review policy is applied); the output serializers here
describe them for the OpenAPI schema."""

from __future__ import annotations

from rest_framework import serializers

from assessments.grading import GradingMethod
from assessments.models import QuestionType, ReviewWhen
from assessments.services import QUIZ_LIMITS
from backend.api.fields import DateTimeField
from backend.api.schema import ErrorOut
from backend.limits import FREE_TEXT_MAX_CHARS

# --- inputs -------------------------------------------------------------------------------------------


class BankIn(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    organisation = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Code of the owning unit (or give `course`); a trainer of exactly one unit may "
        "leave both out.",
    )
    course = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A course-owned bank (its unit's trainers share it).",
    )


class QuestionIn(serializers.Serializer):
    type = serializers.ChoiceField(choices=QuestionType.choices)
    text = serializers.CharField(max_length=20000)
    title = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    data = serializers.JSONField(help_text="The type's definition (see docs/assessments.md).")
    default_mark = serializers.FloatField(min_value=0, max_value=100, default=1.0)
    category = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)


class QuestionUpdateIn(serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    title = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    data = serializers.JSONField()
    default_mark = serializers.FloatField(min_value=0, max_value=100, required=False)
    category = serializers.CharField(max_length=255, required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)


class ImportIn(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=[("gift", "GIFT"), ("aiken", "Aiken")])
    accept_errors = serializers.BooleanField(
        default=False,
        help_text=(
            "False (default): a file with any bad question imports nothing. True: import the valid ones."
        ),
    )


class SlotIn(serializers.Serializer):
    question = serializers.IntegerField(required=False, allow_null=True, help_text="A fixed question.")
    bank = serializers.IntegerField(required=False, allow_null=True, help_text="Random draw from this bank…")
    category = serializers.CharField(required=False, allow_blank=True, help_text="…in this category…")
    tag = serializers.CharField(required=False, allow_blank=True, help_text="…with this tag.")
    count = serializers.IntegerField(min_value=1, max_value=500, required=False, default=1)
    mark = serializers.FloatField(min_value=0, max_value=100, required=False, allow_null=True)


class QuizSettingsIn(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    intro = serializers.CharField(required=False, allow_blank=True, max_length=FREE_TEXT_MAX_CHARS)
    shuffle_questions = serializers.BooleanField(required=False)
    shuffle_answers = serializers.BooleanField(required=False)
    time_limit_seconds = serializers.IntegerField(min_value=0, max_value=QUIZ_LIMITS["time_limit_seconds"],
                                                  required=False, allow_null=True)
    max_attempts = serializers.IntegerField(min_value=0, max_value=QUIZ_LIMITS["max_attempts"],
                                            required=False, help_text="0: unlimited.")
    attempt_delay_seconds = serializers.IntegerField(
        min_value=0, max_value=QUIZ_LIMITS["attempt_delay_seconds"], required=False)
    opens_at = DateTimeField(required=False, allow_null=True)
    closes_at = DateTimeField(required=False, allow_null=True)
    grading_method = serializers.ChoiceField(choices=[m.value for m in GradingMethod], required=False)
    pass_mark = serializers.FloatField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="Percent; null: no pass mark (finishing completes).",
    )
    review_score = serializers.ChoiceField(choices=ReviewWhen.choices, required=False)
    review_responses = serializers.ChoiceField(choices=ReviewWhen.choices, required=False)
    review_correct = serializers.ChoiceField(choices=ReviewWhen.choices, required=False)
    review_feedback = serializers.ChoiceField(choices=ReviewWhen.choices, required=False)
    slots = SlotIn(many=True, required=False)


class QuizCreateIn(QuizSettingsIn):
    lesson = serializers.IntegerField(help_text="A lesson of kind `quiz` you author.")


class QuizUpdateIn(QuizSettingsIn):
    title = serializers.CharField(max_length=255, required=False)


class AnswerIn(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)
    answer = serializers.JSONField(
        allow_null=True,
        help_text=(
            "single_choice: choice id; multiple_choice: [ids]; true_false: bool; short_answer/essay: text; "
            "numerical: number or text; matching: {left id: option id}; ordering: [all item ids in order]."
        ),
    )


class AutosaveIn(serializers.Serializer):
    responses = AnswerIn(many=True)


class SubmitIn(serializers.Serializer):
    responses = AnswerIn(many=True, required=False)


class GradeIn(serializers.Serializer):
    mark = serializers.FloatField(min_value=0)
    feedback = serializers.CharField(required=False, allow_blank=True, default="",
                                     max_length=FREE_TEXT_MAX_CHARS)


class OverrideIn(serializers.Serializer):
    percentage = serializers.FloatField(
        min_value=0, max_value=100, allow_null=True, help_text="Null removes the override."
    )
    reason = serializers.CharField(max_length=FREE_TEXT_MAX_CHARS)


# --- outputs ------------------------------------------------------------------------------------------


class BankOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation_id = serializers.IntegerField()
    course_id = serializers.IntegerField(allow_null=True)
    questions = serializers.IntegerField()
    categories = serializers.ListField(child=serializers.CharField())


class QuestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    bank_id = serializers.IntegerField()
    type = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    data = serializers.JSONField()
    default_mark = serializers.FloatField()
    category = serializers.CharField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())


class ImportErrorOut(serializers.Serializer):
    line = serializers.IntegerField()
    message = serializers.CharField()


class ImportOut(serializers.Serializer):
    imported = serializers.IntegerField()
    errors = ImportErrorOut(many=True)


class ImportRefusedOut(ErrorOut):
    """400: the error body; with `import_errors`, also each line's error (nothing was imported)."""

    imported = serializers.IntegerField(required=False)
    errors = ImportErrorOut(many=True, required=False)

    class Meta:
        ref_name = "ImportRefused"


class ReviewFlagsOut(serializers.Serializer):
    score = serializers.BooleanField()
    responses = serializers.BooleanField()
    correct = serializers.BooleanField()
    feedback = serializers.BooleanField()


class AttemptSummaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    quiz_id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    started_at = DateTimeField()
    deadline = DateTimeField(allow_null=True)
    remaining_seconds = serializers.IntegerField(
        allow_null=True,
        help_text=("Seconds left by the server's clock; count down from this, never from the device clock."),
    )
    finished_at = DateTimeField(allow_null=True)
    timed_out = serializers.BooleanField()
    review = ReviewFlagsOut(help_text="What the review policy shows now.")
    mark = serializers.FloatField(required=False, allow_null=True)
    max_mark = serializers.FloatField(required=False, allow_null=True)
    percentage = serializers.FloatField(required=False, allow_null=True)
    needs_grading = serializers.BooleanField(required=False)
    passed = serializers.BooleanField(required=False, allow_null=True)


class AttemptQuestionOut(serializers.Serializer):
    position = serializers.IntegerField()
    type = serializers.CharField()
    text = serializers.CharField()
    max_mark = serializers.FloatField()
    answered = serializers.BooleanField()
    answer = serializers.JSONField(
        required=False, help_text="Own saved answer (while in progress, or when the policy shows responses)."
    )
    choices = serializers.JSONField(required=False, help_text="Choice-like types: [{id, text}].")
    left = serializers.JSONField(required=False)
    right = serializers.JSONField(required=False)
    items = serializers.JSONField(required=False)
    mark = serializers.FloatField(required=False, allow_null=True)
    correct_answer = serializers.JSONField(required=False)
    feedback = serializers.JSONField(required=False)
    grader_feedback = serializers.CharField(required=False)


class AttemptOut(AttemptSummaryOut):
    questions = AttemptQuestionOut(many=True)


class AutosaveOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    saved = serializers.ListField(child=serializers.IntegerField())
    remaining_seconds = serializers.IntegerField(allow_null=True)
    deadline = DateTimeField(allow_null=True)


class QuizOut(serializers.Serializer):
    id = serializers.IntegerField()
    lesson_id = serializers.IntegerField()
    course_id = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField()
    time_limit_seconds = serializers.IntegerField(allow_null=True)
    max_attempts = serializers.IntegerField()
    attempt_delay_seconds = serializers.IntegerField()
    opens_at = DateTimeField(allow_null=True)
    closes_at = DateTimeField(allow_null=True)
    grading_method = serializers.CharField()
    pass_mark = serializers.FloatField(allow_null=True)
    shuffle_questions = serializers.BooleanField()
    shuffle_answers = serializers.BooleanField()
    review = serializers.DictField(child=serializers.CharField())
    attempts_used = serializers.IntegerField(required=False)
    attempts_left = serializers.IntegerField(required=False, allow_null=True)
    in_progress_attempt_id = serializers.IntegerField(required=False, allow_null=True)
    can_start = serializers.BooleanField(required=False)
    cannot_start_reason = serializers.CharField(required=False, allow_null=True)
    rules_source = serializers.ChoiceField(
        choices=["quiz", "cohort", "user"], required=False,
        help_text="Trainees: where their dates and limits come from (their own or a cohort's time "
                  "exception, else the quiz). The four rule fields are then the trainee's own.")
    accommodated = serializers.BooleanField(
        required=False,
        help_text="Trainees: their accommodation lengthened the time limit or added attempts.")
    attempts = AttemptSummaryOut(many=True, required=False)
    slots = serializers.JSONField(required=False, help_text="Authors only.")


class GradingItemOut(serializers.Serializer):
    response_id = serializers.IntegerField()
    attempt_id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    user_name = serializers.CharField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    grader_info = serializers.CharField()
    answer = serializers.CharField()
    max_mark = serializers.FloatField()
    mark = serializers.FloatField(allow_null=True)
    feedback = serializers.CharField()
    finished_at = DateTimeField()


class StatisticsOut(serializers.Serializer):
    quiz_id = serializers.IntegerField()
    which = serializers.CharField()
    quiz = serializers.JSONField(
        help_text="s, p, mean, median, sd, skewness, kurtosis, cic, error_ratio, standard_error"
    )
    questions = serializers.JSONField(help_text="Per question: facility, sd, discrimination_index, …")


# --- per-person / per-cohort time overrides (decision 0061) -------------------------------------

class QuizOverrideFieldsIn(serializers.Serializer):
    opens_at = DateTimeField(required=False, allow_null=True,
                                         help_text="Null: the quiz's (or a cohort's) opening applies.")
    closes_at = DateTimeField(required=False, allow_null=True)
    time_limit_seconds = serializers.IntegerField(
        min_value=0, max_value=QUIZ_LIMITS["time_limit_seconds"], required=False, allow_null=True,
        help_text="0: no time limit; null: not overridden.")
    max_attempts = serializers.IntegerField(
        min_value=0, max_value=QUIZ_LIMITS["max_attempts"], required=False, allow_null=True,
        help_text="0: unlimited; null: not overridden.")


class QuizOverrideIn(QuizOverrideFieldsIn):
    user = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                    help_text="A person enrolled in the quiz's course…")
    cohort = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="…or a cohort.")


class QuizOverrideOut(serializers.Serializer):
    id = serializers.IntegerField()
    quiz_id = serializers.IntegerField()
    user = serializers.DictField(allow_null=True, help_text="{id, full_name, email} or null.")
    cohort = serializers.DictField(allow_null=True, help_text="{id, code, name} or null.")
    opens_at = DateTimeField(allow_null=True)
    closes_at = DateTimeField(allow_null=True)
    time_limit_seconds = serializers.IntegerField(allow_null=True)
    max_attempts = serializers.IntegerField(allow_null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    running_attempts = serializers.IntegerField(
        required=False, help_text="Attempts in progress that keep their deadline (writes only).")
    notice = serializers.CharField(required=False, help_text="Changes apply to attempts started after them.")
