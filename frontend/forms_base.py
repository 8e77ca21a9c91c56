"""The base of every form of the web pages: no English placeholder in a select.

Django writes "---------" as the empty choice of a select (ModelChoiceField's default
`empty_label`, and the blank choice of a model field with choices). A form based on `Form` shows
"— Chọn đơn vị —" ("— Choose unit —") instead, from the field's own label, when the field is
rendered, so fields added in `__init__` get it too. An `empty_label` a form sets on purpose
(e.g. "All units") is kept.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext

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
