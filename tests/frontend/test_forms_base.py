"""frontend.forms_base: selects never show Django's English "---------"."""

from django import forms
from django.utils import translation

from backend.accounts.models import Organisation
from frontend.forms_admin import CohortChoiceForm, UserCreateForm
from frontend.forms_base import Form, choose_prompt


class _Sample(Form):
    unit = forms.ModelChoiceField(queryset=Organisation.objects.all(), label="Unit")
    kind = forms.ChoiceField(label="Kind", choices=[("", "---------"), ("a", "A")])
    chosen = forms.ModelChoiceField(queryset=Organisation.objects.all(), label="Unit",
                                    required=False, empty_label="All units")


def test_the_empty_choice_names_what_to_choose(tree):
    with translation.override("en"):
        html = str(_Sample())
    assert "---------" not in html
    assert html.count("— Choose unit —") == 1 and "— Choose kind —" in html
    assert "All units" in html  # an empty label chosen on purpose stays


def test_fields_added_in_init_get_the_prompt_too(tree, admin_user):
    with translation.override("en"):
        create = str(UserCreateForm(units=Organisation.objects.all())["organisation"])
        cohort = str(CohortChoiceForm(cohorts=Organisation.objects.none())["cohort"])
    assert "— Choose unit —" in create and "---------" not in create
    assert "— Choose cohort —" in cohort


def test_prompt_follows_the_label():
    with translation.override("en"):
        assert choose_prompt("Parent unit") == "— Choose parent unit —"
        assert choose_prompt("") == "— Choose —"
