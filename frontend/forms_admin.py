"""Forms of the administration pages. They only check shapes; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backend.accounts.api import OrganisationKind, Role
from backend.audit.api import target_type_label, verb_label
from frontend.forms_base import DateField, Form


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by depth, so the select reads like the tree."""

    def label_from_instance(self, obj) -> str:
        return "\u2003" * obj.depth + obj.name


def cohort_label(cohort) -> str:
    """How every cohort picker names a cohort: same-named classes of two units stay apart, and
    the size says which one is meant. Needs the `size` annotation (cohorts_visible_to)."""
    return ngettext("%(name)s — %(unit)s (%(n)d member)", "%(name)s — %(unit)s (%(n)d members)",
                    cohort.size) % {"name": cohort.name, "unit": cohort.organisation.name,
                                    "n": cohort.size}


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return cohort_label(obj)


def unit_field(units, *, label, required: bool = True, empty_label=None) -> UnitChoiceField:
    return UnitChoiceField(queryset=units, label=label, required=required,
                           empty_label=empty_label or "—")  # forms_base: "— Chọn … —"


class UserFilterForm(Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=200)
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("Any role")), *Role.choices])
    status = forms.ChoiceField(label=_("Account"), required=False, choices=[
        ("", _("Active and deactivated")), ("active", _("Active")),
        ("inactive", _("Deactivated"))])

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(units, label=_("Unit"), required=False,
                                         empty_label=_("All units"))


class UserCreateForm(Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    organisation = forms.ModelChoiceField(queryset=None, label=_("Unit"))
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices,
                                      initial=[Role.TRAINEE], widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="vi")
    invite = forms.BooleanField(label=_("Send an invitation e-mail"), required=False, initial=True)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = unit_field(units, label=_("Unit"))


class UserEditForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=255)
    email = forms.EmailField(label=_("E-mail address"), max_length=254, help_text=_(
        "The person signs in with it. A new address must be confirmed by its owner."))
    organisation = forms.ModelChoiceField(queryset=None, label=_("Unit"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = unit_field(units, label=_("Unit"))


class DeactivateForm(Form):
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False,
                             max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RoleAssignForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(queryset=None, label=_("Over unit"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = unit_field(units, label=_("Over unit"))


class CohortChoiceForm(Form):
    cohort = CohortChoiceField(queryset=None, label=_("Cohort"))

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts


class ImportForm(Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing: import nothing if any row has an error"), required=False)


class UnitCreateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    code = forms.SlugField(label=_("Code"), max_length=50,
                           help_text=_("Letters, digits and hyphens, unique (e.g. dsq-duc)."))
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    parent = forms.ModelChoiceField(queryset=None, label=_("Parent unit"))

    def __init__(self, *args, units, allow_top_level: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = unit_field(units, label=_("Parent unit"),
                                           required=not allow_top_level,
                                           empty_label=_("(top level)"))


class UnitEditForm(Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    parent = forms.ModelChoiceField(queryset=None, label=_("Parent unit"))

    def __init__(self, *args, units, allow_top_level: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = unit_field(units, label=_("Parent unit"),
                                           required=not allow_top_level,
                                           empty_label=_("(top level)"))


class CohortCreateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    code = forms.SlugField(label=_("Code"), max_length=80,
                           help_text=_("Letters, digits and hyphens, unique (e.g. ttdn-k2-2026)."))
    organisation = forms.ModelChoiceField(queryset=None, label=_("Unit"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = unit_field(units, label=_("Unit"))


class EmailListForm(Form):
    emails = forms.CharField(label=_("E-mail addresses (one per line, or separated by commas)"),
                             widget=forms.Textarea(attrs={"rows": 4}), max_length=100_000)

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").split()
        emails = list(dict.fromkeys(e.strip().lower() for e in raw if e.strip()))
        if not emails:
            raise forms.ValidationError(_("Enter at least one e-mail address."))
        return emails


class UnitChoiceForm(Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Unit (with its sub-units)"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = unit_field(units, label=_("Unit (with its sub-units)"))


class EnrolForm(Form):
    """Who to enrol: any mix of e-mails, a cohort and a unit's subtree."""

    emails = forms.CharField(label=_("E-mail addresses (one per line, or separated by commas)"),
                             widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             max_length=100_000)
    cohort = CohortChoiceField(queryset=None, label=_("Cohort"), required=False, empty_label="—")
    organisation = forms.ModelChoiceField(queryset=None, label=_("Unit (with its sub-units)"),
                                          required=False)

    def __init__(self, *args, cohorts, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["organisation"] = unit_field(units, label=_("Unit (with its sub-units)"),
                                                 required=False)

    def clean(self):
        data = super().clean()
        raw = (data.get("emails") or "").replace(",", "\n").replace(";", "\n").split()
        data["emails"] = list(dict.fromkeys(e.strip().lower() for e in raw if e.strip()))
        if not (data["emails"] or data.get("cohort") or data.get("organisation")):
            raise forms.ValidationError(_("Choose who to enrol: e-mail addresses, a cohort or a unit."))
        return data


class AuditFilterForm(Form):
    verb = forms.ChoiceField(label=_("What was done"), required=False)
    actor = forms.CharField(label=_("Who (name or e-mail)"), required=False, max_length=200)
    unit = forms.ModelChoiceField(label=_("Unit of the person who acted"), required=False,
                                  queryset=None, empty_label=_("Any unit"))
    target_type = forms.ChoiceField(label=_("Target type"), required=False)
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

    def __init__(self, *args, verbs, target_types, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", _("Any action")),
                                       *sorted(((v, verb_label(v)) for v in verbs), key=lambda c: c[1])]
        self.fields["unit"].queryset = units
        self.fields["target_type"].choices = [("", _("Any type")),
                                              *[(t, target_type_label(t)) for t in target_types]]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
