"""The pure rules of serving a SCORM package: where the player's tags go in a page, what counts
as the frame's own load, and the sandbox policy in its two modes."""

from __future__ import annotations

import json
import re

import pytest

from courses.scorm.serving import is_navigation, launch_document, launch_path, player_policy

SCRIPTS = ["http://x/scorm-content/g/static/frontend/scorm-shim.js"]


def tags_at(page: bytes) -> int:
    return page.index(b"<script")


@pytest.mark.parametrize("page, before", [
    (b"<!DOCTYPE html><html><head><title>a</title></head><body>b</body></html>", b"<head>"),
    (b"<!doctype html><HTML lang=vi><HEAD data-x='1'><script>var a</script></HEAD></HTML>",
     b"<HEAD data-x='1'>"),
    (b"<html><body>no head</body></html>", b"<html><head>"),
    (b"<!DOCTYPE html><p>bare</p>", b"<!DOCTYPE html><head>"),
    (b"<p>fragment</p>", b"<head>"),
])
def test_the_tags_come_first_in_the_head_before_any_script_of_the_page(page, before):
    out = launch_document(page, scripts=SCRIPTS, config={"sco": "A"})
    assert out[:tags_at(out)].endswith(before)
    assert out.index(b"ttdn-scorm-launch") < out.index(b"scorm-shim.js")
    rest = out.replace(out[tags_at(out):out.index(b"scorm-shim.js\"></script>") + 24], b"")
    assert rest.replace(b"<head></head>", b"") == page  # nothing of the page is changed


def test_a_meta_charset_stays_first_and_the_page_bytes_keep_their_encoding():
    page = '<html><head><meta charset="windows-1258"><title>Bài</title></head></html>'.encode("cp1258")
    out = launch_document(page, scripts=SCRIPTS, config={"sco": "A"})
    assert out.index(b'<meta charset="windows-1258">') < tags_at(out)
    assert out.endswith("<title>Bài</title></head></html>".encode("cp1258"))


def test_the_config_cannot_close_its_script_element():
    out = launch_document(b"<head></head>", scripts=SCRIPTS,
                          config={"cmi": {"cmi.suspend_data": "</script><script>alert(1)</script>&"}})
    assert b"<script>alert" not in out
    found = re.search(rb'id="ttdn-scorm-launch">(.*?)</script>', out).group(1)
    assert json.loads(found)["cmi"]["cmi.suspend_data"] == "</script><script>alert(1)</script>&"


def test_other_pages_get_the_shim_only():
    out = launch_document(b"<head></head>", scripts=SCRIPTS)
    assert b"ttdn-scorm-launch" not in out and b"scorm-shim.js" in out


def test_what_counts_as_the_frames_own_load():
    assert is_navigation("iframe") and is_navigation("frame") and is_navigation("document")
    assert not is_navigation("empty") and not is_navigation("script") and not is_navigation("style")
    assert is_navigation(None)  # no Fetch Metadata (plain HTTP on another host)
    assert launch_path("sco/index.html?lang=vi#p2") == "sco/index.html"
    assert launch_path(None) == ""


def test_the_policy_in_both_modes():
    base = "https://ttdn.gov.vn/scorm-content/"
    opaque = player_policy(files_base=base, framed_by="https://ttdn.gov.vn")
    assert "sandbox allow-scripts;" not in opaque and opaque.endswith("sandbox allow-scripts")
    assert "frame-ancestors https://ttdn.gov.vn" in opaque and "connect-src " + base in opaque
    nested = player_policy(files_base=base, framed_by=None, same_origin=True)
    assert "frame-ancestors" not in nested and nested.endswith("sandbox allow-scripts allow-same-origin")
    assert "default-src 'none'" in nested and "form-action 'none'" in nested
