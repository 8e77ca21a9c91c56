"""backend.staticfiles: production's squeeze of our CSS and JS changes no meaning (decision 0065)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from backend.staticfiles import squeezable, squeeze, squeeze_css, squeeze_js

OWN = Path(settings.BASE_DIR) / "frontend" / "static" / "frontend"


def test_css_loses_comments_and_spaces_but_keeps_strings_and_selectors():
    css = """/* a comment */
.a :hover , .b > .c { content: "  keep  /* this */  " ; margin : 0 auto; }
@media (max-width: 640px) {
  .d::before { content: attr(data-label); }
}
"""
    out = squeeze_css(css)
    assert "comment" not in out
    assert '"  keep  /* this */  "' in out          # a string, as written
    assert ".a :hover,.b > .c{" in out               # a space before ':' is a descendant: kept
    assert "margin : 0 auto}" in out                 # ';}' closes the rule
    assert "@media (max-width: 640px){.d::before{content: attr(data-label)}}" in out


def test_js_loses_indentation_and_comment_lines_but_keeps_code_and_urls():
    js = """/* The player:
   several lines. */
(function () {
  // a note
  var url = "https://example.vn/a"; // trailing note stays
  /* one line */ var b = 1;

  return url + b;
})();
"""
    out = squeeze_js(js)
    assert out == ('(function () {\nvar url = "https://example.vn/a"; // trailing note stays\n'
                   "var b = 1;\nreturn url + b;\n})();\n")


def test_only_our_own_files_are_squeezed():
    assert squeezable("frontend/site.css") and squeezable("frontend/quiz.js")
    assert not squeezable("vendor/chartjs/chart.umd.min.js")
    assert not squeezable("frontend/vendor/x.js") and not squeezable("frontend/logo.svg")
    assert squeeze("vendor/a.css", "a { b: c; }") == "a { b: c; }"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("path", sorted(OWN.glob("*.js")), ids=lambda p: p.name)
def test_every_squeezed_script_still_parses(path, tmp_path):
    squeezed = tmp_path / path.name
    squeezed.write_text(squeeze(f"frontend/{path.name}", path.read_text(encoding="utf-8")), encoding="utf-8")
    result = subprocess.run(["node", "--check", str(squeezed)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", sorted(OWN.glob("*.css")), ids=lambda p: p.name)
def test_every_squeezed_stylesheet_keeps_its_rules(path):
    text = path.read_text(encoding="utf-8")
    out = squeeze(f"frontend/{path.name}", text)
    assert out.count("{") == out.count("}") == text.count("}")
    assert len(out) < len(text)
