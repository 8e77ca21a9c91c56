"""Vietnamese for the third-party messages users see: django-allauth's pages and messages,
and Django REST framework's errors (locale/vendor, second in LOCALE_PATHS).

The catalog check compares our PO with allauth's own French catalog, so an allauth upgrade
that adds strings shows up here as a failing test listing the new msgids."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import allauth
import pytest
import rest_framework
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed
from django.utils import translation
from rest_framework import serializers

VENDOR_PO = Path(settings.BASE_DIR) / "locale" / "vendor" / "vi" / "LC_MESSAGES" / "django.po"
ALLAUTH_FR_PO = Path(allauth.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
DRF_FR_MO = Path(rest_framework.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo"

# allauth parts this platform uses; socialaccount, providers and idp/oidc are not installed.
ALLAUTH_USED = ("account/", "mfa/", "usersessions/", "headless/", "templates/account/",
                "templates/mfa/", "templates/usersessions/", "templates/allauth/")


def read_po(path: Path) -> list[dict]:
    """Entries of a PO file as {ctxt, id, plural, strs, refs}; skips obsolete (#~) ones.
    Just enough of the format for catalogs written by xgettext/msgmerge and ours."""
    entries: list[dict] = []
    cur: dict | None = None
    field = None

    def start() -> dict:
        if cur is not None and cur["id"] is not None:
            entries.append(cur)
        return {"ctxt": None, "id": None, "plural": None, "strs": {}, "refs": []}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if cur is None or cur["strs"]:
                cur = start()
            if line.startswith("#:"):
                cur["refs"] += line[2:].split()
            continue
        keyword = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if keyword:
            name, value = keyword.group(1), ast.literal_eval(keyword.group(2))
            continues_ctxt = name == "msgid" and cur is not None and cur["ctxt"] is not None \
                and cur["id"] is None
            if name in ("msgctxt", "msgid") and not continues_ctxt and (cur is None or cur["strs"]):
                cur = start()
            if name.startswith("msgstr"):
                field = int(name[7:-1]) if "[" in name else 0
                cur["strs"][field] = value
            else:
                field = {"msgctxt": "ctxt", "msgid": "id", "msgid_plural": "plural"}[name]
                cur[field] = value
        elif line.startswith('"'):
            if isinstance(field, int):
                cur["strs"][field] += ast.literal_eval(line)
            else:
                cur[field] += ast.literal_eval(line)
    start()
    return entries


def _reset_translation_caches() -> None:
    # A .mo compiled after this process already loaded "vi" must be read anew: Python's gettext
    # caches catalogs by file path, and Django's handler for a changed LOCALE_PATHS forgets its
    # own merged catalogs.
    gettext._translations.clear()
    setting_changed.send(sender=type(settings._wrapped), setting="LOCALE_PATHS",
                         value=settings.LOCALE_PATHS, enter=False)


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    call_command("compilemessages", locale=["vi"],
                 ignore_patterns=[".venv", ".tools", "node_modules"], verbosity=0)
    _reset_translation_caches()
    yield
    _reset_translation_caches()


def _visible_text(html: str) -> str:
    """Text a person reads or hears: body text plus placeholder/title/aria-label/value."""
    html = re.sub(r'<input[^>]*name="csrfmiddlewaretoken"[^>]*>', " ", html)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    attributes = re.findall(r'\b(?:placeholder|title|aria-label|value|alt)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", " ".join([text, *attributes]))


def _contains(text: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


PAGES = ["/accounts/login/", "/accounts/password/reset/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_allauth_page_in_vietnamese_shows_no_english_allauth_text(client, path):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch, not the browser
    english = _visible_text(client.get(path).content.decode())
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")  # pages stay Vietnamese
    assert response.status_code == 200
    vietnamese = _visible_text(response.content.decode())

    ours = {e["id"]: e["strs"][0] for e in read_po(VENDOR_PO) if e["id"] and e["strs"].get(0)}
    shown_in_english = [m for m, s in ours.items() if m != s and _contains(english, m)]
    assert "Password" in shown_in_english or "Email" in shown_in_english  # the check has teeth
    leaked = [m for m in shown_in_english if _contains(vietnamese, m)]
    leaked += [m for m in ("Sign In", "Password", "Forgot your password?", "Reset My Password",
                           "Remember Me", "Email address") if _contains(vietnamese, m)]
    assert leaked == []
    assert "Mật khẩu" in vietnamese or "mật khẩu" in vietnamese


@pytest.mark.django_db
def test_login_page_vietnamese_words(client):
    text = _visible_text(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi").content.decode())
    for phrase in ("Đăng nhập", "Mật khẩu", "Quên mật khẩu?", "Địa chỉ e-mail"):
        assert phrase in text


@pytest.mark.django_db
def test_password_reset_page_vietnamese_words(client):
    path = "/accounts/password/reset/"
    text = _visible_text(client.get(path, HTTP_ACCEPT_LANGUAGE="vi").content.decode())
    assert "Đặt lại mật khẩu" in text
    assert "Vui lòng nhập địa chỉ e-mail" in text


@pytest.mark.django_db
def test_api_unauthenticated_message_is_vietnamese(api):
    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["message"] == "Chưa cung cấp thông tin xác thực. Vui lòng đăng nhập."
    english = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert english == "Authentication credentials were not provided."


@pytest.mark.django_db
def test_headless_login_error_is_vietnamese(api):
    from tests.factories import UserFactory

    user = UserFactory()
    response = api.post("/_allauth/browser/v1/auth/login",
                        {"email": user.email, "password": "not-the-password"},
                        format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert "Địa chỉ e-mail hoặc mật khẩu không chính xác." in messages


def test_drf_field_messages_in_vietnamese():
    class Form(serializers.Serializer):
        name = serializers.CharField(max_length=3)
        email = serializers.EmailField()
        age = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=["a", "b"])
        when = serializers.DateTimeField()
        note = serializers.CharField()

    with translation.override("vi"):
        bad = Form(data={"name": "abcd", "email": "x", "age": "x", "kind": "z",
                         "when": "x", "note": ""})
        incomplete = Form(data={"name": None})
        assert not bad.is_valid() and not incomplete.is_valid()
    errors, missing = bad.errors, incomplete.errors
    assert errors["name"] == ["Trường này không được vượt quá 3 ký tự."]
    assert errors["email"] == ["Vui lòng nhập địa chỉ e-mail hợp lệ."]
    assert errors["age"] == ["Vui lòng nhập một số nguyên hợp lệ."]
    assert errors["kind"] == ['"z" không phải là lựa chọn hợp lệ.']
    assert errors["when"][0].startswith("Ngày giờ sai định dạng.")
    assert errors["note"] == ["Trường này không được để trống."]
    assert missing["name"] == ["Trường này không được để trống (null)."]
    assert missing["email"] == ["Trường này là bắt buộc."]


def test_every_used_allauth_msgid_is_translated():
    ours = {(e["ctxt"], e["id"]): e for e in read_po(VENDOR_PO)}
    untranslated = []
    for entry in read_po(ALLAUTH_FR_PO):
        if not entry["id"] or not any(ref.startswith(ALLAUTH_USED) for ref in entry["refs"]):
            continue
        mine = ours.get((entry["ctxt"], entry["id"]))
        if (mine is None or mine["plural"] != entry["plural"]
                or not mine["strs"] or not all(mine["strs"].values())):
            untranslated.append((entry["ctxt"], entry["id"]))
    assert untranslated == []


def test_every_drf_msgid_is_translated():
    with DRF_FR_MO.open("rb") as handle:
        drf_ids = {key for key in gettext.GNUTranslations(handle)._catalog if key}
    ours = {e["id"]: e for e in read_po(VENDOR_PO) if e["ctxt"] is None}
    assert sorted(m for m in drf_ids if not (ours.get(m) and ours[m]["strs"].get(0))) == []


def test_vendor_catalog_header_and_msgfmt_check():
    header = read_po(VENDOR_PO)[0]
    assert header["id"] == ""
    for field in ("Language: vi\n", "Plural-Forms: nplurals=1; plural=0;\n",
                  "Content-Type: text/plain; charset=UTF-8\n"):
        assert field in header["strs"][0]
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext's msgfmt is not installed")
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(VENDOR_PO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr



# Django's own messages a person meets on our pages: validators, form and model fields,
# password validators. Django ships Vietnamese for most; locale/vendor adds what it lacks.
DJANGO_DIR = Path(__import__("django").__file__).parent
DJANGO_USED = {
    DJANGO_DIR / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po": (
        "core/validators.py", "forms/fields.py", "forms/models.py", "forms/formsets.py",
        "forms/utils.py", "forms/widgets.py"),
    DJANGO_DIR / "contrib" / "auth" / "locale" / "en" / "LC_MESSAGES" / "django.po": (
        "contrib/auth/password_validation.py",),
}
# Field-type descriptions (admin docs) and bare protocol names read the same.
DJANGO_SAME = {"IPv4", "IPv6", ":?.!", "Order", "Delete"}


def test_every_django_message_a_form_shows_is_vietnamese():
    untranslated = []
    with translation.override("vi"):
        for po, used in DJANGO_USED.items():
            for entry in read_po(po):
                if not entry["id"] or entry["id"] in DJANGO_SAME \
                        or not any(ref.startswith(used) for ref in entry["refs"]):
                    continue
                if entry["plural"]:
                    shown = translation.ngettext(entry["id"], entry["plural"], 1)
                else:
                    shown = translation.pgettext(entry["ctxt"], entry["id"]) if entry["ctxt"] \
                        else translation.gettext(entry["id"])
                if shown == entry["id"]:
                    untranslated.append(entry["id"])
    assert untranslated == []


def test_django_messages_read_well_in_vietnamese():
    """Words fixed over Django's own catalogue (a wrong word, a missing message)."""
    from django import forms
    from django.contrib.auth.password_validation import MinimumLengthValidator
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_slug

    with translation.override("vi"):
        assert forms.IntegerField().error_messages["invalid"] == "Anh/chị hãy nhập một số nguyên."
        with pytest.raises(ValidationError) as slug:
            validate_slug("có dấu")
        assert "mã hợp lệ" in slug.value.messages[0]
        with pytest.raises(ValidationError) as short:
            MinimumLengthValidator(12).validate("ngắn")
        assert short.value.messages == ["Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 12 ký tự."]
