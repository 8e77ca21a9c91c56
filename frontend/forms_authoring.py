"""Forms of the trainer authoring pages. They only shape input; every rule is checked by the
courses services, whose errors `apply_service_error` puts back on the form."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backend.errors import DomainError
from backend.limits import FREE_TEXT_MAX_CHARS
from courses.api import CompletionRule, LessonKind
from frontend.forms_base import DateTimeField, Form


def _when(label):
    return DateTimeField(label=label, required=False)


class CourseForm(Form):
    """All course fields; `organisation` only when creating (a course never changes unit)."""

    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=FREE_TEXT_MAX_CHARS,
                              widget=forms.Textarea(attrs={"rows": 4}))
    language = forms.ChoiceField(label=_("Language of the course"), choices=settings.LANGUAGES)
    organisation = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    self_enrolment = forms.BooleanField(label=_("Trainees may enrol themselves"), required=False)
    enrolment_opens_at = _when(_("Enrolment opens"))
    enrolment_closes_at = _when(_("Enrolment closes"))
    due_at = _when(_("Due date"))
    issues_certificate = forms.BooleanField(label=_("Issues a certificate on completion"),
                                            required=False)
    completion_rule = forms.ChoiceField(label=_("Completion rule"), choices=CompletionRule.choices)
    completion_percent = forms.IntegerField(
        label=_("Completion threshold (%)"), min_value=1, max_value=100, initial=100,
        help_text=_("Used with the rule “a share of the required lessons completed”."))
    cover = forms.FileField(
        label=_("Cover image"), required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=_("JPEG, PNG, WebP or GIF, up to 5 MB; it is cut to 16:9. Without one, the course "
                    "shows a pattern made from its title."))
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FILE_FIELDS = ("cover", "remove_cover")  # handled by course_set_cover / course_remove_cover

    def __init__(self, *args, units=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organisation"]
        else:
            del self.fields["version"]
            del self.fields["remove_cover"]
            self.fields["organisation"].choices = [(u.pk, u.name) for u in units or []]
        for name in ("enrolment_opens_at", "enrolment_closes_at", "due_at"):
            self.fields[name].help_text = _("Time in Vietnam (UTC+7). Leave empty for none.")


class ModuleForm(Form):
    title = forms.CharField(label=_("Module title"), max_length=255)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LessonAddForm(Form):
    title = forms.CharField(label=_("Lesson title"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=LessonKind.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LessonForm(Form):
    """Fields common to every kind, plus those of the lesson's kind (set in __init__)."""

    title = forms.CharField(label=_("Title"), max_length=255)
    required = forms.BooleanField(label=_("Required for completion"), required=False)
    prerequisites = forms.TypedMultipleChoiceField(
        label=_("Prerequisites"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("Trainees open this lesson only after completing these."))
    body = forms.CharField(label=_("Text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12, "data-rich-text": "1"}))
    video_url = forms.URLField(label=_("Video link"), required=False, max_length=500,
                               assume_scheme="https",
                               help_text=_("An https:// link, or upload a file below."))
    upload = forms.FileField(label=_("File"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind: str, other_lessons=(), upload_help: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["prerequisites"].choices = [(ls.pk, ls.title) for ls in other_lessons]
        if kind != LessonKind.TEXT:
            del self.fields["body"]
        if kind != LessonKind.VIDEO:
            del self.fields["video_url"]
        if kind in (LessonKind.VIDEO, LessonKind.FILE):
            self.fields["upload"].label = _("Video file") if kind == LessonKind.VIDEO else _("File")
            self.fields["upload"].help_text = upload_help
        else:
            del self.fields["upload"]


def apply_service_error(form: forms.Form, exc: Exception) -> None:
    """Put a service's ValidationError or DomainError on the form, in the user's language."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    elif isinstance(exc, ValidationError):
        for message in exc.messages:
            form.add_error(None, message)
    elif isinstance(exc, DomainError):
        form.add_error(None, exc.message)
    else:  # pragma: no cover - callers pass only the two kinds above
        raise exc
