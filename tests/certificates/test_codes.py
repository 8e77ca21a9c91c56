import re

from hypothesis import given
from hypothesis import strategies as st

from certificates.codes import ALPHABET, CODE_BITS, new_verification_code, normalise_code

CANONICAL = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def test_new_code_shape_and_strength():
    code = new_verification_code()
    assert CANONICAL.match(code), code
    assert len(code.replace("-", "")) == 16
    assert CODE_BITS >= 80
    assert set(ALPHABET) == set("0123456789ABCDEFGHJKMNPQRSTVWXYZ") and len(ALPHABET) == 32


def test_codes_do_not_repeat():
    assert len({new_verification_code() for _ in range(2000)}) == 2000


def test_new_code_normalises_to_itself():
    code = new_verification_code()
    assert normalise_code(code) == code


def test_tolerant_input():
    assert normalise_code(" 7kq2 m9zd-0vxh_4rta ") == "7KQ2-M9ZD-0VXH-4RTA"
    assert normalise_code("7KQ2M9ZD0VXH4RTA") == "7KQ2-M9ZD-0VXH-4RTA"
    assert normalise_code("7KQ2–M9ZD–0VXH–4RTA") == "7KQ2-M9ZD-0VXH-4RTA"  # en dashes from a word processor
    # Crockford repairs: O is read as 0, I and L as 1.
    assert normalise_code("OOOO-IIII-LLLL-0000") == "0000-1111-1111-0000"


def test_malformed_input_is_rejected():
    for bad in (None, "", "7KQ2-M9ZD-0VXH", "7KQ2-M9ZD-0VXH-4RTA-X", "UUUU-UUUU-UUUU-UUUU",
                "7KQ2-M9ZD-0VXH-4RT*", "Ư" * 16, "7" * 1000, 1234):
        assert normalise_code(bad) is None, bad


@given(st.lists(st.sampled_from(ALPHABET), min_size=16, max_size=16), st.sampled_from(["", " ", "-"]))
def test_any_code_survives_lower_case_and_separators(symbols, separator):
    code = "".join(symbols)
    typed = separator.join(code[i:i + 4] for i in range(0, 16, 4)).lower()
    assert normalise_code(typed) == "-".join(code[i:i + 4] for i in range(0, 16, 4))
