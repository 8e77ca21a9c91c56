"""No English sentence is hard-coded in our scripts: the words a script shows come from the page
(data attributes, or a JSON blob the template renders with translations)."""

import re
from pathlib import Path

from django.conf import settings

from tests.e2e import english

SCRIPTS = sorted((Path(settings.BASE_DIR) / "frontend" / "static" / "frontend").glob("*.js"))
LITERAL = re.compile(r"""(?<![\w$])(["'])((?:(?!\1)[^\\\n]|\\.)*)\1""")
COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\\"'])//[^\n]*", re.S)
NOT_SHOWN = re.compile(r"console\.\w+\(|querySelector|closest\(|\"use strict\"|'use strict'|toString\.call"
                       r"|[\"']class[\"']\s*:|className|classList")  # class names are not shown


def english_literals(source: str) -> list[str]:
    found = []
    for line in COMMENT.sub("", source).splitlines():
        if NOT_SHOWN.search(line):
            continue
        for _quote, text in LITERAL.findall(line):
            if not re.search(r"\s", text):
                continue  # an identifier, a key or a URL ('cmi.core.lesson_status', 'about:blank')
            spoken = [w for w in english.words(text) if len(w) >= 3]
            if len(spoken) >= 2 and all(w in english.english_vocabulary() for w in spoken):
                found.append(text)
    return found


def test_scripts_hold_no_english_sentences():
    assert len(SCRIPTS) >= 5
    found = {path.name: english_literals(path.read_text(encoding="utf-8")) for path in SCRIPTS}
    assert {name: texts for name, texts in found.items() if texts} == {}


def test_the_scan_finds_a_hard_coded_sentence():
    assert english_literals('status.textContent = "Saving your answer";') == ["Saving your answer"]
    assert english_literals('console.warn("xAPI refused", e); // Save the page') == []
    assert english_literals("var s = cmi['cmi.core.lesson_status']; f.src = 'about:blank';") == []
