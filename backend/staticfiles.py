"""Static files as production sends them: our own CSS and JavaScript squeezed, then fingerprinted and
compressed by whitenoise (decision 0065).

The squeeze is deliberately small and safe, so no build tool is needed: CSS loses its comments
and the spaces around `{ } ; ,` (never around `:`, which in a selector means something),
quoted strings kept as written; JavaScript loses indentation, blank lines and the comments that
stand on their own lines (a `//` after code is kept: it may be inside a string, "https://…").
Vendor files (`*.min.*`, `vendor/`, node_modules) are sent as their authors built them.
tests/e2e/test_page_weight.py measures pages through the same `squeeze`.
"""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

OWN_PREFIX = "frontend/"

# A quoted string (kept as written) or a comment (dropped), whichever comes first.
_CSS_STRING_OR_COMMENT = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')|/\*.*?\*/", re.S)
_CSS_SPACE_AROUND = re.compile(r"\s*([{};,])\s*")


def squeezable(path: str) -> bool:
    name = path.replace("\\", "/")
    return (name.startswith(OWN_PREFIX) and name.endswith((".css", ".js"))
            and ".min." not in name and "/vendor/" not in name)


def _squeeze_css_code(code: str) -> str:
    return _CSS_SPACE_AROUND.sub(r"\1", re.sub(r"\s+", " ", code)).replace(";}", "}")


def squeeze_css(text: str) -> str:
    out, at = [], 0
    for found in _CSS_STRING_OR_COMMENT.finditer(text):
        out.append(_squeeze_css_code(text[at:found.start()]))
        out.append(found.group(1) or " ")  # a string as written; a comment becomes a space
        at = found.end()
    out.append(_squeeze_css_code(text[at:]))
    return "".join(out).strip() + "\n"


def squeeze_js(text: str) -> str:
    lines, in_comment = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if in_comment:
            in_comment = "*/" not in stripped
            if not in_comment and stripped.split("*/", 1)[1].strip():
                lines.append(stripped.split("*/", 1)[1].strip())
            continue
        if not stripped or stripped.startswith("//"):
            continue
        if stripped.startswith("/*"):
            if "*/" not in stripped:
                in_comment = True
                continue
            rest = stripped.split("*/", 1)[1].strip()
            if not rest:
                continue
            stripped = rest
        lines.append(stripped)
    return "\n".join(lines) + "\n"


def squeeze(path: str, text: str) -> str:
    """The file as production sends it (before compression)."""
    if not squeezable(path):
        return text
    return squeeze_css(text) if path.endswith(".css") else squeeze_js(text)


class SqueezedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Production's static storage: every copy of our own CSS/JS (the plain and the fingerprinted
    name) is written squeezed; whitenoise then compresses what is on disk."""

    def _save(self, name, content):
        if squeezable(name):
            content.seek(0)
            raw = content.read()
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            content = ContentFile(squeeze(name, text).encode("utf-8"))
        return super()._save(name, content)
