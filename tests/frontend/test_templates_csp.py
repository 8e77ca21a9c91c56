"""Our templates (frontend/templates, including the allauth, MFA and Swagger UI overrides) stay
within the Content-Security-Policy, checked in the source, before any browser sees them:
- every <script> and <style> carries the response's nonce (scripts run by nonce only, never by
  'self', so `<script src>` needs one too); JSON data blocks execute nothing and need none;
- no inline event handler (on...=), no javascript: URL, no style= attribute.
A template that breaks a rule fails here with its file, line and the offending tag."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "frontend" / "templates"
NONCE = 'nonce="{{ request.csp_nonce }}"'
DATA_BLOCK = re.compile(r"""\btype=["']application/(ld\+)?json["']""", re.I)
# An HTML start tag; quoted attribute values may hold ">" (template expressions).
TAG = re.compile(r"""<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
HANDLER = re.compile(r"""(?:^|\s)(on[a-z]+)\s*=""", re.I)
STYLE_ATTR = re.compile(r"""(?:^|\s)style\s*=""", re.I)
JS_URL = re.compile(r"""javascript\s*:""", re.I)
COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}|<!--.*?-->", re.S)

# Templates another change rewrites, with the reason; each entry must still have a finding, so
# the list shrinks as soon as the template is fixed.
KNOWN: dict[str, str] = {
    # Served under H5P_CONTENT_URL inside the sandboxed iframe, with that prefix's own policy
    # (courses/h5p/files.py): its scripts come from the content prefix, not by nonce.
    "frontend/h5p/frame.html": "the H5P frame document has its own policy",
}


def findings(source: str) -> list[str]:
    """What in this template source the policy would refuse, one line per finding."""
    out = []
    # Comments say nothing to the browser; blank them, keeping line numbers.
    source = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    for match in TAG.finditer(source):
        name, attrs = match.group(1).lower(), match.group(2)
        line = source.count("\n", 0, match.start()) + 1
        where = f"line {line}: {match.group(0)[:90]}"
        if name in ("script", "style") and NONCE not in attrs and not DATA_BLOCK.search(attrs):
            out.append(f"<{name}> without {NONCE}, {where}")
        if handler := HANDLER.search(attrs):
            out.append(f"inline event handler {handler.group(1).lower()}=, {where}")
        if STYLE_ATTR.search(attrs):
            out.append(f"style= attribute (use a class), {where}")
        if JS_URL.search(attrs):
            out.append(f"javascript: URL, {where}")
    return out


def templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_the_scan_covers_our_pages_and_the_overrides():
    names = {p.relative_to(TEMPLATES).as_posix() for p in templates()}
    assert {"frontend/base.html", "allauth/layouts/base.html", "account/email.html",
            "mfa/recovery_codes/index.html", "drf_spectacular/swagger_ui.html"} <= names


def test_no_template_breaks_the_policy():
    problems = []
    for path in templates():
        name = path.relative_to(TEMPLATES).as_posix()
        if name in KNOWN:
            continue
        problems += [f"{name} {f}" for f in findings(path.read_text(encoding="utf-8"))]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", KNOWN)
def test_known_exceptions_are_still_needed(name):
    assert findings((TEMPLATES / name).read_text(encoding="utf-8")), (
        f"{name} is clean now: remove it from KNOWN")


@pytest.mark.parametrize(("source", "found"), [
    ("<script>alert(1)</script>", "<script> without"),
    ('<script src="{% static \'x.js\' %}" defer></script>', "<script> without"),
    ("<style>p { color: red }</style>", "<style> without"),
    ('<button type="button" onclick="go()">Go</button>', "onclick="),
    ('<img src="x.png" alt="" ONERROR = "go()">', "onerror="),
    ('<a href="javascript:void(0)">x</a>', "javascript: URL"),
    ('<span style="width: {{ percent }}%"></span>', "style= attribute"),
    ('<div class="a" data-x="{% if a > b %}1{% endif %}" onload="x()">', "onload="),
])
def test_the_scan_finds_what_the_policy_refuses(source, found):
    assert any(found in f for f in findings(source)), findings(source)


@pytest.mark.parametrize("source", [
    f'<script {NONCE} src="{{% static \'x.js\' %}}" defer></script>',
    f"<style {NONCE}>p {{ margin: 0 }}</style>",
    '<script id="cfg" type="application/json">{"a": 1}</script>',
    '<div data-online="1" class="stylish" data-style="x">ok</div>',
    '<a href="/verify/">javascript free</a>',
    "{# an example: <script>x()</script> #}<p>ok</p>",
])
def test_the_scan_passes_what_the_policy_allows(source):
    assert findings(source) == []
