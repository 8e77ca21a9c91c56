"""Forms of the time-rule pages (decision 0061): a quiz override, a due-date extension, an
accommodation. They shape input only; the services check every rule (close after open, a person
enrolled, a factor from 1 to 5) and their errors are put back on the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from frontend.forms_base import DateTimeField, Form
from frontend.forms_quiz_authoring import LocalisedFloatField

MAX_MINUTES = 24 * 60


class OverrideFieldsForm(Form):
    opens_at = DateTimeField(
        label=_("Opens"), required=False,
        help_text=_("Time in Vietnam (UTC+7). Leave empty to keep the quiz's."))
    closes_at = DateTimeField(
        label=_("Closes"), required=False,
        help_text=_("Time in Vietnam (UTC+7). Leave empty to keep the quiz's."))
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"), required=False, min_value=0, max_value=MAX_MINUTES,
        help_text=_("0: no time limit. Leave empty to keep the quiz's."))
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed"), required=False, min_value=0, max_value=1000,
        help_text=_("0: unlimited. Leave empty to keep the quiz's."))

    def values(self) -> dict:
        data = self.cleaned_data
        minutes = data.get("time_limit_minutes")
        return {"opens_at": data.get("opens_at"), "closes_at": data.get("closes_at"),
                "time_limit_seconds": None if minutes is None else minutes * 60,
                "max_attempts": data.get("max_attempts")}

    @classmethod
    def initial_from(cls, row) -> dict:
        limit = row.time_limit_seconds
        return {"opens_at": row.opens_at, "closes_at": row.closes_at,
                "time_limit_minutes": None if limit is None else -(-limit // 60),
                "max_attempts": row.max_attempts}


class OverrideAddForm(OverrideFieldsForm):
    """For one person found by the search (their id) or one cohort; the service checks which."""

    field_order = ["user", "cohort", "opens_at", "closes_at", "time_limit_minutes", "max_attempts"]

    def __init__(self, *args, people=(), cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = forms.TypedChoiceField(
            label=_("Person"), required=False, coerce=int, empty_value=None, widget=forms.RadioSelect,
            choices=[(pk, f"{name or email} ({email})") for pk, name, email in people])
        self.fields["cohort"] = forms.TypedChoiceField(
            label=_("or a cohort"), required=False, coerce=int, empty_value=None,
            choices=[("", "—")] + [(c.id, c.name) for c in cohorts])
        self.order_fields(self.field_order)


class DueDateForm(Form):
    due_at = DateTimeField(
        label=_("New due date"), required=False,
        help_text=_("Time in Vietnam (UTC+7). Leave empty to use the course's due date again."))


class AccommodationForm(Form):
    time_factor = LocalisedFloatField(
        label=_("Time factor"), min_value=1, max_value=5,
        help_text=_("From 1 to 5, e.g. 1,5: the time limit of every timed quiz is multiplied by it."))
    extra_attempts = forms.IntegerField(
        label=_("Extra attempts"), min_value=0, max_value=100, initial=0,
        help_text=_("Added to quizzes with a limited number of attempts."))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500,
                             help_text=_("Seen only by administrators, e.g. “khiếm thị”."))
