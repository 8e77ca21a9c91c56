"""No untranslated string on any page, in either language, and a catalogue in step with the code.

Pages come from the crawl of tests/e2e/site_pages.py (every role), rendered by the Django test
client (server-rendered text; text that scripts write is checked in Chromium by
test_accessibility.py). Vietnamese: no English msgid of the catalogues shows. English:
<html lang="en"> and no Vietnamese msgstr of our catalogue shows, except inside an element
marked lang="vi" (the language switch) and except phrases that are part of the site's own
content (course titles are Vietnamese whatever the interface language).

Limitation of the sync check: msgids are read from the source with a regex (templates) and the
Python AST (code), not by makemessages; dynamic msgids and unusual tag syntax are not seen.
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from tests.e2e import catalogue, site_pages
from tests.e2e.conftest import ARTIFACTS

ROOT = Path(settings.BASE_DIR)
OUR_APPS = ("backend", "courses", "assessments", "certificates", "frontend")


@pytest.fixture(scope="module", autouse=True)
def compiled_messages():
    """The .mo files are build outputs (make messages); compile them for this run."""
    from tests.test_vendor_translations import _reset_translation_caches

    call_command("compilemessages", locale=["vi"],
                 ignore_patterns=[".venv", ".tools", "node_modules"], verbosity=0)
    _reset_translation_caches()


@pytest.fixture
def site(db):
    seeded = site_pages.seed_site()
    return seeded, site_pages.discover(seeded)


def content_text() -> str:
    """Every text the site's data holds (titles, names, lesson bodies), tags stripped."""
    chunks = [settings.SITE_NAME]
    for model in apps.get_models():
        if not model.__module__.startswith(OUR_APPS):
            continue
        for row in model.objects.values():
            for value in row.values():
                if isinstance(value, str):
                    chunks.append(value)
                elif isinstance(value, dict | list):
                    chunks.append(json.dumps(value, ensure_ascii=False))
    text = html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(chunks)))
    return re.sub(r"\s+", " ", text)


def report_coverage(inventories) -> None:
    """The pages found, and the frontend urls no link reached, as a test artefact."""
    unreached = site_pages.unreached(inventories)
    text = (site_pages.describe(inventories) + "\n\nFrontend urls not reached by any role "
            "(POST-only actions, or pages no link leads to):\n"
            + "\n".join(f"  {name:32} {route}" for name, route in sorted(unreached.items())))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "site-pages.txt").write_text(text + "\n", encoding="utf-8")
    print("\n" + text)


def render(client, page: site_pages.Page):
    return client.post(page.url, page.form) if page.form is not None else client.get(page.url)


def test_every_page_in_vietnamese_then_english_shows_only_that_language(site):
    seeded, inventories = site
    content = content_text()
    problems = []
    checked = 0
    for role, inventory in inventories.items():
        english_client = site_pages.client_for(role, seeded["users"], language="en")
        for page in inventory.pages:
            lang, text = catalogue.visible_text(page.html)
            if lang != "vi":
                problems.append(f"[vi] {page.label}: <html lang={lang!r}>")
            for msgid in catalogue.found(catalogue.english_msgids(), text):
                problems.append(f"[vi] {page.label}: untranslated {msgid!r}"
                                f"{catalogue.pending_hint(msgid)}")
            lang, text = catalogue.visible_text(render(english_client, page).content.decode())
            if lang != "en":
                problems.append(f"[en] {page.label}: <html lang={lang!r}>")
            for msgstr in catalogue.found(catalogue.vietnamese_msgstrs(), text, allowed=content):
                problems.append(f"[en] {page.label}: Vietnamese {msgstr!r}")
            checked += 1
    report_coverage(inventories)
    assert checked >= 40, site_pages.describe(inventories)  # the crawl found the site
    assert problems == [], "\n".join(problems)


def test_the_checks_have_teeth():
    """An English msgid on a Vietnamese page and a Vietnamese msgstr on an English page are found;
    the language switch (lang="vi") and content phrases are not."""
    page = ('<html lang="vi"><body><h1>Hồ sơ</h1><button>Save</button><p>Page not found</p>'
            '<script>var s = "Page not found";</script></body></html>')
    lang, text = catalogue.visible_text(page)
    assert lang == "vi"
    assert "Page not found" in catalogue.found(catalogue.english_msgids(), text)
    vietnamese = dict(catalogue.vietnamese_msgstrs())
    phrase = next(iter(vietnamese))
    page = (f'<html lang="en"><body><p>{phrase}</p><button lang="vi">Tiếng Việt</button>'
            f'<input type="submit" value="Tiếng Việt" lang="vi"></body></html>')
    lang, text = catalogue.visible_text(page)
    assert lang == "en" and "Tiếng Việt" not in text
    assert phrase in catalogue.found(catalogue.vietnamese_msgstrs(), text)
    assert catalogue.found(catalogue.vietnamese_msgstrs(), text, allowed=f"x {phrase} y") == []


def test_catalogue_is_fully_translated():
    entries = [e for e in catalogue.read_po(catalogue.OUR_PO) if not e.obsolete]
    assert len(entries) > 100
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    empty = [e.msgid for e in entries if not all(e.msgstrs)]
    assert fuzzy == [], f"fuzzy entries: {fuzzy}"
    assert empty == [], f"untranslated entries: {empty}"


# --- The catalogue is in step with the code ------------------------------------------------

TRANSLATE_TAG = re.compile(r"""\{%\s*trans(?:late)?\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy",
                 "pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _sources(pattern: str):
    for app in OUR_APPS:
        for path in (ROOT / app).rglob(pattern):
            if "node_modules" not in path.parts and "migrations" not in path.parts:
                yield path


def template_msgids(text: str) -> list[str]:
    found = [a or b for a, b in TRANSLATE_TAG.findall(text)]
    for options, body in BLOCK.findall(text):
        singular = re.split(r"\{%\s*plural\s*%\}", body)[0]
        if "trimmed" in options.split():
            singular = " ".join(line.strip() for line in singular.splitlines() if line.strip())
        # As makemessages writes them: a literal % doubled, {{ var }} as %(var)s.
        found.append(VARIABLE.sub(r"%(\1)s", singular.replace("%", "%%")))
    return [m.replace('\\"', '"').replace("\\'", "'") for m in found]


def python_msgids(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_NAMES:
            continue
        position = 1 if name.startswith(("pgettext", "npgettext")) else 0
        if len(node.args) > position and isinstance(node.args[position], ast.Constant) \
                and isinstance(node.args[position].value, str):
            found.append(node.args[position].value)
    return found


def code_msgids() -> dict[str, str]:
    """msgid -> first file using it."""
    out: dict[str, str] = {}
    for path in _sources("*.html"):
        for msgid in template_msgids(path.read_text(encoding="utf-8")):
            out.setdefault(msgid, str(path.relative_to(ROOT)))
    for path in _sources("*.txt"):
        if "templates" in path.parts:
            for msgid in template_msgids(path.read_text(encoding="utf-8")):
                out.setdefault(msgid, str(path.relative_to(ROOT)))
    for path in _sources("*.py"):
        for msgid in python_msgids(path.read_text(encoding="utf-8")):
            out.setdefault(msgid, str(path.relative_to(ROOT)))
    return out


def test_every_msgid_in_the_code_is_in_the_catalogue():
    """Templates and Python are read for literal msgids; each must be in our catalogue, the vendor
    catalogue (allauth templates we override), Django's own, or locale/pending/*.json (new strings
    of a branch, merged into the catalogue by the integrator)."""
    from django.utils import translation

    known = {e.msgid for path in (catalogue.OUR_PO, catalogue.VENDOR_PO)
             for e in catalogue.read_po(path) if not e.obsolete}
    known |= set(catalogue.pending_translations())
    used = code_msgids()
    assert len(used) > 100  # the scan reads the code
    with translation.override("vi"):
        missing = {m: where for m, where in used.items()
                   if m.strip() and m not in known and translation.gettext(m) == m}
    assert missing == {}, "\n".join(f"{where}: {m!r}" for m, where in sorted(missing.items()))
