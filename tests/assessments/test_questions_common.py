"""Properties every question type keeps (the QuestionType contract)."""

import json
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.questions import QUESTION_TYPES, strip_ids

from .samples import SAMPLES, SECRETS

TYPES = sorted(QUESTION_TYPES)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def test_registry_holds_the_eight_types():
    assert set(TYPES) == {"single_choice", "multiple_choice", "true_false", "short_answer", "numerical",
                          "matching", "ordering", "essay"}
    assert all(qtype.name == name for name, qtype in QUESTION_TYPES.items())
    assert [n for n, t in QUESTION_TYPES.items() if t.manual] == ["essay"]


@pytest.mark.parametrize("name", TYPES)
def test_samples_validate_and_validation_is_idempotent(name):
    qtype = QUESTION_TYPES[name]
    cleaned = qtype.validate(SAMPLES[name])
    assert qtype.validate(cleaned) == cleaned  # stored ids survive a re-save
    json.dumps(cleaned)  # JSON-able


@pytest.mark.parametrize("name", TYPES)
def test_public_reveals_no_secret(name):
    qtype = QUESTION_TYPES[name]
    data = qtype.validate(SAMPLES[name])
    for seed in range(5):
        for shuffle in (True, False):
            rendered = json.dumps(qtype.public(data, seed=seed, shuffle=shuffle), ensure_ascii=False)
            for secret in SECRETS[name]:
                assert secret not in rendered, (name, secret)
            assert "fraction" not in rendered and "feedback" not in rendered


@pytest.mark.parametrize("name", TYPES)
def test_public_is_deterministic_by_seed(name):
    qtype = QUESTION_TYPES[name]
    data = qtype.validate(SAMPLES[name])
    assert qtype.public(data, seed=42, shuffle=True) == qtype.public(data, seed=42, shuffle=True)


@pytest.mark.parametrize("name", [n for n in TYPES if QUESTION_TYPES[n].shuffles])
def test_shuffle_switch_changes_order_only_when_on(name):
    qtype = QUESTION_TYPES[name]
    data = qtype.validate(SAMPLES[name])
    key = "left" if name == "matching" else "choices"  # matching's right side is always mixed
    plain = [qtype.public(data, seed=s, shuffle=False)[key] for s in range(10)]
    assert all(p == plain[0] for p in plain)
    mixed = {json.dumps(qtype.public(data, seed=s, shuffle=True)[key]) for s in range(10)}
    assert len(mixed) > 1


@pytest.mark.parametrize("name", TYPES)
def test_correct_response_scores_full_marks(name):
    qtype = QUESTION_TYPES[name]
    data = qtype.validate(SAMPLES[name])
    right = qtype.correct_response(data)
    if qtype.manual:
        assert right is None and qtype.grade(data, "một bài luận") is None
    else:
        assert qtype.grade(data, right) == 1.0
        assert qtype.grade(data, qtype.validate_response(data, right)) == 1.0


@pytest.mark.parametrize("name", TYPES)
@settings(max_examples=60, deadline=None)
@given(response=json_values)
def test_grade_never_raises_on_trainee_input(name, response):
    qtype = QUESTION_TYPES[name]
    data = qtype.validate(SAMPLES[name])
    score = qtype.grade(data, response)
    assert score is None if qtype.manual else 0.0 <= score <= 1.0
    qtype.feedback(data, response)  # nor does feedback
    try:
        qtype.validate_response(data, response)
    except ValidationError as exc:
        assert "response" in exc.message_dict


@pytest.mark.parametrize("name", TYPES)
def test_feedback_has_general_and_specific(name):
    qtype = QUESTION_TYPES[name]
    data = qtype.validate(SAMPLES[name])
    result = qtype.feedback(data, qtype.correct_response(data))
    assert set(result) == {"general", "specific"}
    assert result["general"] == SAMPLES[name]["general_feedback"]


@pytest.mark.parametrize("name", TYPES)
def test_definition_must_be_an_object(name):
    with pytest.raises(ValidationError) as info:
        QUESTION_TYPES[name].validate(["not", "a", "dict"])
    assert "data" in info.value.message_dict


@pytest.mark.parametrize("name", TYPES)
def test_vietnamese_text_is_stored_nfc(name):
    nfd = json.loads(unicodedata.normalize("NFD", json.dumps(SAMPLES[name], ensure_ascii=False)))
    cleaned = QUESTION_TYPES[name].validate(nfd)
    assert strip_ids(cleaned) == strip_ids(QUESTION_TYPES[name].validate(SAMPLES[name]))
    assert unicodedata.is_normalized("NFC", json.dumps(cleaned, ensure_ascii=False))
