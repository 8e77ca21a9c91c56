"""backend.api.untrusted: the checks every request adapter shares."""

import pytest
from django.http import QueryDict

from backend.api.untrusted import (
    INT64_MAX,
    MAX_JSON_DEPTH,
    InputError,
    check_query,
    load_json,
    parse_id,
)


@pytest.mark.parametrize("raw, field", [
    ("[" * 100_000, ""),
    ('{"a": ' * 100_000, ""),
    ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), ""),
    ('{"x": ["a\\u0000"]}', "x.0"),
    ('{"a\\u0000": 1}', ""),
    (f'{{"n": {INT64_MAX + 1}}}', "n"),
    (f'{{"n": {-INT64_MAX - 2}}}', "n"),
    ('{"f": 1e999}', "f"),
    ('{"f": NaN}', ""),
    ('{"f": Infinity}', ""),
    ("{'a': 1}", ""),
    (b"\xff\xfe", ""),
])
def test_unsafe_json_is_refused_naming_where(raw, field):
    with pytest.raises(InputError) as caught:
        load_json(raw)
    assert caught.value.field == field and caught.value.message


def test_safe_json_comes_back_as_is():
    nested = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert load_json(f'{{"n": {INT64_MAX}, "t": "Hà Nội", "f": -0.5, "b": true}}') == {
        "n": INT64_MAX, "t": "Hà Nội", "f": -0.5, "b": True}
    assert load_json(nested) is not None


def test_query_strings_with_nul_are_refused_naming_the_parameter():
    with pytest.raises(InputError) as caught:
        check_query(QueryDict("a=1&search=x%00y"))
    assert caught.value.field == "search"
    check_query(QueryDict("search=Hà%20Nội"))


@pytest.mark.parametrize("raw, value", [("12", 12), ("0", 0), (str(INT64_MAX), INT64_MAX),
                                        (str(INT64_MAX + 1), None), ("²", None), ("١٢", None),
                                        ("-1", None), (" 1", None), ("", None), ("1.0", None), (7, 7)])
def test_parse_id_takes_only_ids_a_column_can_hold(raw, value):
    assert parse_id(raw) == value
