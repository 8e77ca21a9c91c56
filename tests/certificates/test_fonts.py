import shutil
import unicodedata
from pathlib import Path

import pytest
import reportlab

from certificates import fonts
from certificates.checks import check_pdf_fonts

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


def test_the_letter_list_is_every_precomposed_vietnamese_letter():
    expected = set("ăâđêôơư")
    for vowel in "aăâeêioôơuưy":
        for tone in "\u0300\u0301\u0309\u0303\u0323":  # huyền, sắc, hỏi, ngã, nặng
            expected.add(unicodedata.normalize("NFC", vowel + tone))
    expected |= {ch.upper() for ch in expected}
    assert len(fonts.VIETNAMESE_LETTERS) == 134
    assert set(fonts.VIETNAMESE_LETTERS) == expected
    assert all(len(ch) == 1 for ch in fonts.VIETNAMESE_LETTERS)  # precomposed, not base + mark


def test_configured_family_covers_all_vietnamese_letters(vietnamese_font):
    family, _notes = fonts.find_family()
    assert family is not None
    for path in family.faces().values():
        assert fonts.missing_letters(path) == [], path
    assert fonts.check_fonts() == []


def test_serif_family_is_preferred_for_an_official_look(vietnamese_font):
    family, _notes = fonts.find_family()
    assert family.name in {"DejaVuSerif", "NotoSerif"}


def test_vera_is_rejected_for_missing_vietnamese_letters(tmp_path):
    # ReportLab's bundled Vera under DejaVu names: present, but without ă, ơ, ư, ạ...
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(VERA, tmp_path / name)
    assert "ơ" in fonts.missing_letters(tmp_path / "DejaVuSans.ttf")
    family, _notes = fonts.find_family([tmp_path])
    assert family is None
    problems = fonts.check_fonts([tmp_path])
    assert problems and "No TrueType font covering Vietnamese" in problems[0]
    assert any("lacks" in note for note in problems[1:])


def test_empty_directories_are_a_problem(tmp_path):
    problems = fonts.check_fonts([tmp_path / "nowhere"])
    assert len(problems) == 1
    assert "nowhere" in problems[0]


def test_registering_without_a_font_refuses_instead_of_falling_back(tmp_path):
    with pytest.raises(fonts.FontUnavailable):
        fonts.register_fonts([tmp_path])


def test_system_check_is_an_error_in_production(settings, tmp_path):
    settings.DEBUG = False
    settings.PDF_FONT_DIRS = [tmp_path]
    [message] = check_pdf_fonts()
    assert message.id == "certificates.E001"
    assert message.is_serious()


def test_system_check_is_a_warning_while_developing(settings, tmp_path):
    settings.DEBUG = True
    settings.PDF_FONT_DIRS = [tmp_path]
    [message] = check_pdf_fonts()
    assert message.id == "certificates.W001"
    assert not message.is_serious()


def test_system_check_passes_with_the_configured_fonts(vietnamese_font, settings):
    settings.DEBUG = False
    assert check_pdf_fonts() == []


def test_system_check_is_registered():
    from django.core.checks import registry

    assert check_pdf_fonts in registry.registry.get_checks()
