"""Forms of the trainer pages for question banks and quizzes. They shape input only; the
assessments services check every rule and their errors are put back on the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.api import QUIZ_LIMITS, GradingMethod, ReviewWhen
from backend.limits import FREE_TEXT_MAX_CHARS
from frontend.forms_base import DateTimeField, Form
from frontend.question_editor import parse_number

GRADING_LABELS = {
    GradingMethod.HIGHEST: _("Highest grade"),
    GradingMethod.AVERAGE: _("Average grade"),
    GradingMethod.FIRST: _("First attempt"),
    GradingMethod.LAST: _("Last attempt"),
}
FORMATS = [("gift", _("GIFT (Moodle)")), ("aiken", _("Aiken"))]


class LocalisedFloatField(forms.CharField):
    """A number typed with a dot or a Vietnamese decimal comma ("12,5")."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        number = parse_number(value)
        if number is None:
            return None
        if isinstance(number, str):
            raise forms.ValidationError(_("Enter a number, for example 12.5."))
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(_("Enter a number of at least %(n)s.") % {"n": self.min_value})
        if self.max_value is not None and number > self.max_value:
            raise forms.ValidationError(_("Enter a number of at most %(n)s.") % {"n": self.max_value})
        return number


class BankForm(Form):
    title = forms.CharField(label=_("Title of the bank"), max_length=255)
    owner = forms.ChoiceField(
        label=_("Owner"),
        help_text=_("A unit's bank is shared by its trainers; a course's bank serves that course."),
    )

    def __init__(self, *args, units=(), courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            (_("Units"), [(f"unit:{u.code}", u.name) for u in units]),
            (_("Courses"), [(f"course:{c.pk}", c.title) for c in courses]),
        ]


class QuestionForm(Form):
    """The fields every type shares; the type's own fields are read by question_editor."""

    title = forms.CharField(
        label=_("Short name"), max_length=255, required=False,
        help_text=_("Shown to trainers only, e.g. in the bank and the statistics."),
    )
    text = forms.CharField(label=_("Question text"), widget=forms.Textarea(attrs={"rows": 4}))
    default_mark = LocalisedFloatField(label=_("Default mark"), min_value=0, max_value=100, initial="1")
    category = forms.CharField(
        label=_("Category"), max_length=255, required=False,
        widget=forms.TextInput(attrs={"list": "bank-categories"}),
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=1000, required=False,
        help_text=_("Separate tags with commas, e.g. kl57, chuyen-de-1."),
        widget=forms.TextInput(attrs={"list": "bank-tags"}),
    )
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class ImportForm(Form):
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="gift")
    file = forms.FileField(label=_("File (UTF-8 text)"), required=False)
    text = forms.CharField(
        label=_("…or paste the questions"), required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    accept_errors = forms.BooleanField(
        label=_("Import the valid questions and skip those with errors"), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the questions."))
        return data


def _review(label):
    return forms.ChoiceField(label=label, choices=ReviewWhen.choices)


class QuizSettingsForm(Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    intro = forms.CharField(label=_("Introduction"), required=False, max_length=FREE_TEXT_MAX_CHARS,
                            widget=forms.Textarea(attrs={"rows": 3}))
    shuffle_questions = forms.BooleanField(label=_("Shuffle the questions"), required=False)
    shuffle_answers = forms.BooleanField(
        label=_("Shuffle the answers inside choice and matching questions"), required=False
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"), min_value=0, max_value=QUIZ_LIMITS["time_limit_seconds"] // 60,
        required=False,
        help_text=_("Empty or 0: no time limit."),
    )
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed"), min_value=0, max_value=QUIZ_LIMITS["max_attempts"], initial=0,
        help_text=_("0: unlimited."),
    )
    attempt_delay_minutes = forms.IntegerField(
        label=_("Wait between attempts (minutes)"), min_value=0,
        max_value=QUIZ_LIMITS["attempt_delay_seconds"] // 60, initial=0,
    )
    opens_at = DateTimeField(
        label=_("Opens"), required=False,
        help_text=_("Time in Vietnam (UTC+7). Leave empty for none."),
    )
    closes_at = DateTimeField(
        label=_("Closes"), required=False,
        help_text=_("Time in Vietnam (UTC+7). An attempt never runs past it."),
    )
    grading_method = forms.ChoiceField(
        label=_("Grade of a trainee with several attempts"),
        choices=[(m.value, GRADING_LABELS[m]) for m in GradingMethod],
    )
    pass_mark = LocalisedFloatField(
        label=_("Pass mark (%)"), required=False,
        help_text=_("Empty: no pass mark (finishing a graded attempt completes the lesson)."),
    )
    review_score = _review(_("Score"))
    review_responses = _review(_("The trainee's own answers"))
    review_correct = _review(_("Correct answers"))
    review_feedback = _review(_("Feedback"))

    def settings(self) -> dict:
        """The cleaned values as the quiz services take them."""
        data = dict(self.cleaned_data)
        data["time_limit_seconds"] = (data.pop("time_limit_minutes") or 0) * 60 or None
        data["attempt_delay_seconds"] = (data.pop("attempt_delay_minutes") or 0) * 60
        data["max_attempts"] = data.get("max_attempts") or 0
        return data

    @staticmethod
    def initial_from(quiz) -> dict:
        return {
            "title": quiz.title, "intro": quiz.intro, "shuffle_questions": quiz.shuffle_questions,
            "shuffle_answers": quiz.shuffle_answers,
            "time_limit_minutes": (quiz.time_limit_seconds or 0) // 60 or None,
            "max_attempts": quiz.max_attempts, "attempt_delay_minutes": quiz.attempt_delay_seconds // 60,
            "opens_at": quiz.opens_at, "closes_at": quiz.closes_at, "grading_method": quiz.grading_method,
            "pass_mark": "" if quiz.pass_mark is None else f"{quiz.pass_mark:g}",
            "review_score": quiz.review_score, "review_responses": quiz.review_responses,
            "review_correct": quiz.review_correct, "review_feedback": quiz.review_feedback,
        }
