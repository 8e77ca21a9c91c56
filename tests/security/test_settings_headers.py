"""The headers follow H5P_CONTENT_URL and SCORM_CONTENT_URL: a separate content origin is a
settings change only."""

import json

from tests.test_settings import PROD, manage

PRINT = ("from django.conf import settings as s; import json; print(json.dumps("
         "[s.CONTENT_SECURITY_POLICY['DIRECTIVES']['frame-src'], s.PERMISSIONS_POLICY['fullscreen']]))")


def headers_with(**env) -> list:
    result = manage("shell", "-c", PRINT, **PROD, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_separate_content_origin_may_be_framed_and_go_fullscreen():
    frame_src, fullscreen = headers_with(H5P_CONTENT_URL="https://h5p.elearning.example.vn/content/",
                                         SCORM_CONTENT_URL="https://scorm.elearning.example.vn/scorm/")
    assert frame_src == ["https://h5p.elearning.example.vn", "https://scorm.elearning.example.vn"]
    assert fullscreen == ["self", "https://h5p.elearning.example.vn", "https://scorm.elearning.example.vn"]
    frame_src, _ = headers_with(H5P_CONTENT_URL="https://h5p.elearning.example.vn/content/",
                                SCORM_CONTENT_URL="/scorm-content/")
    assert frame_src == ["https://h5p.elearning.example.vn", "'self'"]


def test_a_content_prefix_on_this_site_is_self():
    assert headers_with(H5P_CONTENT_URL="/h5p-content/", SCORM_CONTENT_URL="/scorm-content/") == [
        ["'self'"], ["self"]]
