"""The base of every form of the web pages: no English placeholder in a select.

Django writes "---------" as the empty choice of a select (ModelChoiceField's default
`empty_label`, and the blank choice of a model field with choices). A form based on `Form` shows
"— Chọn đơn vị —" ("— Choose unit —") instead, from the field's own label, when the field is
rendered, so fields added in `__init__` get it too. An `empty_label` a form sets on purpose
(e.g. "All units") is kept.

Dates and times (decision 0064): `DateField` and `DateTimeField` below, never the browser's
`<input type=date>` / `datetime-local`, whose placeholder and order follow the browser's language
(mm/dd/yyyy in an English or French browser). A text input shows "dd/mm/yyyy" (or
"HH:MM dd/mm/yyyy"), and the server reads what was typed with the Vietnamese input formats
(backend/formats/vi: DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS), whatever the page's language:
dd/mm/yyyy is the rule of the site, so 03/04/2026 is always the 3rd of April. A wrong value is
refused with a message naming the field.
"""

from __future__ import annotations

from django import forms
from django.utils.formats import get_format
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

DJANGO_EMPTY = "---------"
PLAIN_DASHES = (DJANGO_EMPTY, "—", "", None)


def choose_prompt(label) -> str:
    """ "— Chọn đơn vị —" for the label "Đơn vị" (in the active language)."""
    thing = str(label or "").strip()
    thing = thing[:1].lower() + thing[1:]
    return gettext("— Choose %(thing)s —") % {"thing": thing} if thing else gettext("— Choose —")


def prompt_empty_choice(field: forms.Field) -> None:
    """Replace Django's "---------" (or a bare dash) of a select field with `choose_prompt`."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None and str(field.empty_label) in PLAIN_DASHES[:2]:
            field.empty_label = choose_prompt(field.label)
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if any(value == "" and str(text) == DJANGO_EMPTY for value, text in choices):
            field.choices = [(value, choose_prompt(field.label)
                              if value == "" and str(text) == DJANGO_EMPTY else text)
                             for value, text in choices]


class Form(forms.Form):
    def __getitem__(self, name: str):
        if name not in self._bound_fields_cache and name in self.fields:
            prompt_empty_choice(self.fields[name])
        return super().__getitem__(name)


# --- Dates and times ------------------------------------------------------------------------

DATE_SHOWN = "%d/%m/%Y"
DATETIME_SHOWN = "%H:%M %d/%m/%Y"


def vietnamese_input_formats(name: str) -> list[str]:
    """DATE_INPUT_FORMATS or DATETIME_INPUT_FORMATS of backend/formats/vi, in any language."""
    return list(get_format(name, lang="vi"))


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        base = {"placeholder": gettext_lazy("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off",
                "maxlength": "10", "size": "10"}
        super().__init__(attrs={**base, **(attrs or {})}, format=DATE_SHOWN)


class DateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, attrs=None):
        base = {"placeholder": gettext_lazy("HH:MM dd/mm/yyyy"), "autocomplete": "off",
                "maxlength": "16", "size": "16"}
        super().__init__(attrs={**base, **(attrs or {})}, format=DATETIME_SHOWN)


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy (also d/m/yy, dd.mm.yyyy, dd-mm-yyyy, ddmmyyyy, yyyy-mm-dd)."""

    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", vietnamese_input_formats("DATE_INPUT_FORMATS"))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = format_lazy(
            gettext_lazy("{field}: write the date as dd/mm/yyyy, for example 25/12/2026."),
            field=self.label or gettext_lazy("Date"))


class DateTimeField(forms.DateTimeField):
    """A time typed as HH:MM dd/mm/yyyy (also dd/mm/yyyy HH:MM, or a date alone: 00:00), read in
    the site's time zone."""

    widget = DateTimeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", vietnamese_input_formats("DATETIME_INPUT_FORMATS"))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = format_lazy(
            gettext_lazy("{field}: write the time as HH:MM dd/mm/yyyy, for example 08:30 25/12/2026."),
            field=self.label or gettext_lazy("Time"))
