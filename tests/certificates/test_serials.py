import pytest

from certificates.serials import DEFAULT_SERIAL_PATTERN, format_serial, validate_serial_pattern


def test_default_pattern():
    assert format_serial(DEFAULT_SERIAL_PATTERN, seq=1, year=2026, org_code="BNG") == "0001/2026/GCN"
    assert format_serial(DEFAULT_SERIAL_PATTERN, seq=12345, year=2026, org_code="") == "12345/2026/GCN"


def test_pattern_with_org_code():
    serial = format_serial("{org_code}-{year}-{seq:05d}", seq=7, year=2027, org_code="TTĐN")
    assert serial == "TTĐN-2027-00007"


@pytest.mark.parametrize("pattern", [
    "{year}/GCN",            # no {seq}: two certificates would share a number
    "",
    "{seq}/{unknown}",
    "{seq.__class__}",       # attribute access
    "{seq[0]}",              # index access
    "{0}/{seq}",             # positional field
    "{seq!r}",               # conversion
    "{seq",                  # unbalanced
    "{org_code:04d}/{seq}",  # spec that does not fit the value type
    "{seq}" + "x" * 80,      # too long
])
def test_bad_patterns_are_rejected(pattern):
    with pytest.raises(ValueError):
        validate_serial_pattern(pattern)
    with pytest.raises(ValueError):
        format_serial(pattern, seq=1, year=2026, org_code="X")


@pytest.mark.parametrize(("seq", "year"), [(0, 2026), (-1, 2026), (True, 2026), (1, 26), (1, "2026")])
def test_bad_numbers_are_rejected(seq, year):
    with pytest.raises(ValueError):
        format_serial(DEFAULT_SERIAL_PATTERN, seq=seq, year=year, org_code="")


def test_literal_braces_are_allowed():
    assert format_serial("{{GCN}} {seq}", seq=3, year=2026, org_code="") == "{GCN} 3"


def test_a_field_written_in_vietnamese_is_named_with_the_three_that_exist():
    """An administrator writes {năm} for the year: the message (translated, in the request's
    language) names it and says which fields exist."""
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValueError) as error:
        validate_serial_pattern("{seq:04d}/{năm}/GCN")
    assert str(error.value) == ("Unknown field {năm} in the serial pattern; use {seq}, {year} or "
                                "{org_code}.")


def test_messages_do_not_carry_pythons_english():
    with pytest.raises(ValueError) as unbalanced:
        validate_serial_pattern("{seq")
    with pytest.raises(ValueError) as spec:
        validate_serial_pattern("{org_code:04d}/{seq}")
    assert "Single '{'" not in str(unbalanced.value) and "Unknown format code" not in str(spec.value)
