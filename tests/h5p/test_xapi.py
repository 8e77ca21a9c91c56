import copy
import uuid

import pytest

from courses.attempt_grading import aggregate_score
from courses.h5p.xapi import XAPIError, parse_statement

BASE = "https://elearning.example.vn/lessons/42/h5p"
SID = "6f1f6f0c-3c0e-4a8b-9d5a-0c1d2e3f4a5b"


def h5p_statement(verb="answered", *, raw=1, max_=1, sub=None, parent=None, **extra):
    """What H5P core's triggerXAPIScored builds (h5p-x-api-event.js), plus the id our page adds."""
    object_id = BASE + (f"?subContentId={sub}" if sub else "")
    statement = {
        "id": SID,
        "actor": {"name": "Kẻ mạo danh", "mbox": "mailto:someone.else@example.com", "objectType": "Agent"},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
        "object": {"id": object_id, "objectType": "Activity", "definition": {
            "extensions": {"http://h5p.org/x-api/h5p-local-content-id": "lesson-42"}}},
        "context": {"contextActivities": {"category": [
            {"id": "http://h5p.org/libraries/H5P.TtdnQuestion-1.0", "objectType": "Activity"}]}},
        "result": {"score": {"min": 0, "max": max_, "raw": raw, "scaled": round(raw / max_, 4)},
                   "completion": True, "success": raw == max_, "duration": "PT12.34S"},
    }
    if sub:
        statement["object"]["definition"]["extensions"]["http://h5p.org/x-api/h5p-subContentId"] = sub
    if parent:
        statement["context"]["contextActivities"]["parent"] = [{"id": parent, "objectType": "Activity"}]
    statement.update(extra)
    return statement


def parse(statement, **kwargs):
    return parse_statement(statement, lesson_activity_base=BASE, **kwargs)


def test_root_answered_statement_counts():
    parsed = parse(h5p_statement(raw=1, max_=1))
    assert parsed.id == SID
    assert parsed.verb == "answered"
    assert parsed.is_root and parsed.counts_as_attempt_result
    assert parsed.score_fraction == 1.0
    assert (parsed.score_raw, parsed.score_min, parsed.score_max, parsed.score_scaled) == (1, 0, 1, 1)
    assert parsed.success is True and parsed.completion is True
    assert parsed.duration_seconds == pytest.approx(12.34)
    assert parsed.sub_content_id is None


def test_client_actor_is_dropped():
    parsed = parse(h5p_statement(authority={"mbox": "mailto:x@example.com"}, stored="2020-01-01"))
    assert "actor" not in parsed.raw and "authority" not in parsed.raw and "stored" not in parsed.raw


def test_sub_content_statement_is_not_root():
    sub = str(uuid.uuid4())
    parsed = parse(h5p_statement(sub=sub, parent=BASE))
    assert parsed.sub_content_id == sub
    assert not parsed.is_root and not parsed.counts_as_attempt_result
    assert parsed.parent_ids == (BASE,)


def test_statement_whose_parent_is_a_sub_content_is_not_root():
    parsed = parse(h5p_statement(parent=BASE + "?subContentId=abc"))
    assert not parsed.is_root


@pytest.mark.parametrize(("verb", "counts"), [
    ("answered", True), ("completed", True), ("passed", True), ("failed", True),
    ("attempted", False), ("interacted", False), ("progressed", False),
])
def test_only_result_verbs_count(verb, counts):
    assert parse(h5p_statement(verb)).counts_as_attempt_result is counts


def test_statement_without_result_does_not_count():
    statement = h5p_statement("completed")
    del statement["result"]
    parsed = parse(statement)
    assert parsed.is_root and not parsed.counts_as_attempt_result
    assert parsed.score_fraction is None


def test_fraction_from_raw_and_max_when_scaled_missing():
    statement = h5p_statement(raw=3, max_=4)
    del statement["result"]["score"]["scaled"]
    assert parse(statement).score_fraction == 0.75
    statement["result"]["score"] = {"min": 2, "max": 6, "raw": 4}
    assert parse(statement).score_fraction == 0.5
    statement["result"]["score"] = {"raw": 4}
    assert parse(statement).score_fraction is None


def test_negative_scaled_counts_as_zero():
    statement = h5p_statement()
    statement["result"]["score"] = {"scaled": -0.5}
    assert parse(statement).score_fraction == 0.0


def test_missing_id_is_refused_unless_generation_is_asked_for():
    statement = h5p_statement()
    del statement["id"]
    with pytest.raises(XAPIError) as refused:
        parse(statement)
    assert refused.value.code == "invalid_id"
    generated = parse(statement, generate_missing_id=True)
    assert uuid.UUID(generated.id)


def test_id_is_normalised_for_dedupe():
    assert parse(h5p_statement(id=SID.upper())).id == SID


@pytest.mark.parametrize(("change", "code"), [
    (lambda s: s.update(id="not-a-uuid"), "invalid_id"),
    (lambda s: s.update(id=123), "invalid_id"),
    (lambda s: s.update(verb={"id": "answered"}), "invalid_verb"),
    (lambda s: s.pop("verb"), "invalid_verb"),
    (lambda s: s.update(object={"id": "not an iri"}), "invalid_object"),
    (lambda s: s.update(object={"id": "https://other.example/lesson/1"}), "object_mismatch"),
    (lambda s: s.update(object={"id": BASE + "-other"}), "object_mismatch"),
    (lambda s: s["result"]["score"].update(raw="1"), "invalid_score"),
    (lambda s: s["result"]["score"].update(raw=float("nan")), "invalid_score"),
    (lambda s: s["result"]["score"].update(scaled=1.5), "invalid_score"),
    (lambda s: s["result"]["score"].update(raw=5), "invalid_score"),
    (lambda s: s["result"]["score"].update(min=3), "invalid_score"),
    (lambda s: s["result"].update(success="yes"), "invalid_result"),
    (lambda s: s["result"].update(duration="12 seconds"), "invalid_result"),
    (lambda s: s.update(result=[1]), "invalid_result"),
    (lambda s: s["context"]["contextActivities"].update(parent="x"), "invalid_context"),
    (lambda s: s.update(padding="x" * 70_000), "too_large"),
])
def test_malformed_statements_are_refused(change, code):
    statement = copy.deepcopy(h5p_statement())
    change(statement)
    with pytest.raises(XAPIError) as refused:
        parse(statement)
    assert refused.value.code == code
    assert refused.value.status == 400


def test_deep_nesting_is_refused():
    statement = h5p_statement()
    deep: dict = {}
    node = deep
    for _ in range(30):
        node["x"] = {}
        node = node["x"]
    statement["context"]["extensions"] = {"http://example.com/deep": deep}
    with pytest.raises(XAPIError) as refused:
        parse(statement)
    assert refused.value.code == "too_large"


def test_not_an_object_is_refused():
    with pytest.raises(XAPIError) as refused:
        parse([h5p_statement()])
    assert refused.value.code == "not_object"


def test_single_parent_object_is_accepted():
    statement = h5p_statement()
    statement["context"]["contextActivities"]["parent"] = {"id": BASE}
    assert parse(statement).is_root


def test_duration_forms():
    statement = h5p_statement()
    statement["result"]["duration"] = "P1DT2H3M4.5S"
    assert parse(statement).duration_seconds == 86400 + 7200 + 180 + 4.5


@pytest.mark.parametrize(("method", "expected"), [
    ("highest", 0.9), ("last", 0.5), ("first", 0.2), ("average", pytest.approx((0.2 + 0.9 + 0.5) / 3)),
])
def test_aggregate_score(method, expected):
    assert aggregate_score([0.2, None, 0.9, 0.5], method) == expected


def test_aggregate_score_without_scores():
    assert aggregate_score([], "highest") is None
    assert aggregate_score([None], "average") is None
    with pytest.raises(ValueError):
        aggregate_score([0.1], "median")
