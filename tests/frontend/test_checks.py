"""A deployment without the npm icon set fails its start-up check instead of every page."""

from frontend.checks import icon_set_installed


def test_the_installed_icon_set_passes():
    assert icon_set_installed(None) == []


def test_a_missing_icon_set_is_an_error(settings, tmp_path):
    settings.NODE_MODULES_DIR = tmp_path
    errors = icon_set_installed(None)
    assert [e.id for e in errors] == ["frontend.E001"] and "lucide-static" in errors[0].msg
