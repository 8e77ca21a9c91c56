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
