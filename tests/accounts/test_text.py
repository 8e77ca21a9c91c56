import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from backend.accounts.text import normalise_name, search_key


def test_search_key_drops_vietnamese_diacritics_and_case():
    assert search_key("Nguyễn Trọng") == "nguyen trong"
    assert search_key("ĐẶNG  Thị   Ánh") == "dang thi anh"


def test_normalise_name_turns_nfd_into_nfc_and_collapses_spaces():
    nfd = unicodedata.normalize("NFD", "  Lê   Thị Hồng ")
    assert normalise_name(nfd) == "Lê Thị Hồng"
    assert unicodedata.is_normalized("NFC", normalise_name(nfd))


@given(st.text())
def test_search_key_is_idempotent_and_ascii_for_vietnamese(text):
    assert search_key(search_key(text)) == search_key(text)


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c",
             "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad", "\u2060",
             "\x00", "\x07"]


def test_a_name_of_only_invisible_characters_normalises_to_nothing():
    assert normalise_name("".join(INVISIBLE) + " \u2028\u00a0\t") == ""


def test_format_and_control_characters_are_removed_from_names():
    """A bidi override would show 'Nguyễn' as 'nễyugN' on a certificate; zero-width characters
    make two names look the same and differ."""
    assert normalise_name("Ngu\u202eyễn\u200b Văn\u200d An") == "Nguyễn Văn An"
    assert normalise_name("Lê\tThị\nHồng") == "Lê Thị Hồng"
    assert normalise_name("Le\u200d\u0302") == "Lê"  # what is left is composed (NFC)


@given(st.text())
def test_normalised_names_have_no_format_or_control_characters(text):
    name = normalise_name(text)
    assert not any(unicodedata.category(ch) in ("Cf", "Cc") for ch in name)
    assert normalise_name(name) == name
