"""frontend.forms_base date and time fields: typed dd/mm/yyyy and HH:MM dd/mm/yyyy in any page
language, shown the same way, refused in Vietnamese with the field's name (decision 0064)."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from frontend.forms_admin import AuditFilterForm
from frontend.forms_base import DateField, DateTimeField, Form
from frontend.forms_quiz_authoring import QuizSettingsForm


class _When(Form):
    day = DateField(label="Ngày sinh", required=False)
    at = DateTimeField(label="Mở lúc", required=False)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed", ["03/04/2026", "3/4/2026", "03/04/26", "03.04.2026", "03-04-2026",
                                   "03042026", "2026-04-03", " 03/04/2026 "])
def test_a_date_is_read_day_first_in_every_language(typed, language):
    with translation.override(language):
        form = _When({"day": typed, "at": ""})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 4, 3)


@pytest.mark.parametrize("typed", ["08:30 03/04/2026", "03/04/2026 08:30", "08:30 3/4/2026",
                                   "2026-04-03T08:30", "0830 03042026"])
def test_a_time_is_read_as_hh_mm_dd_mm_yyyy_in_the_site_time_zone(typed):
    with translation.override("en"):
        form = _When({"day": "", "at": typed})
        assert form.is_valid(), form.errors
    at = form.cleaned_data["at"]
    assert timezone.is_aware(at)
    local = at.astimezone(timezone.get_current_timezone()).replace(tzinfo=None)
    assert local == dt.datetime(2026, 4, 3, 8, 30)


@pytest.mark.parametrize("typed", ["04/31/2026", "31/13/2026", "mai", "2026/04"])
def test_a_wrong_date_is_refused_in_vietnamese_naming_the_field(typed):
    with translation.override("vi"):
        form = _When({"day": typed, "at": "25:00 01/01/2026"})
        assert not form.is_valid()
        day, at = str(form.errors["day"][0]), str(form.errors["at"][0])
    assert day.startswith("Ngày sinh:") and "dd/mm/yyyy" in day
    assert at.startswith("Mở lúc:") and "HH:MM dd/mm/yyyy" in at


def test_the_input_is_text_with_the_vietnamese_placeholder_and_shows_values_day_first():
    aware = timezone.make_aware(dt.datetime(2026, 12, 25, 8, 5))
    with translation.override("en"):
        html = str(_When(initial={"day": dt.date(2026, 12, 25), "at": aware}))
    assert 'type="date"' not in html and "datetime-local" not in html
    assert 'value="25/12/2026"' in html and 'value="08:05 25/12/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html
    assert 'placeholder="HH:MM dd/mm/yyyy"' in html


def test_every_date_of_the_forms_uses_the_site_fields():
    fields = {**AuditFilterForm.base_fields, **QuizSettingsForm.base_fields}
    names = ("date_from", "date_to", "opens_at", "closes_at")
    dated = {name: f for name, f in fields.items() if name in names}
    assert len(dated) == 4
    assert all(isinstance(f, (DateField, DateTimeField)) for f in dated.values())
