"""courses.h5p.files: the sandbox policy every response under the prefix gets
(the views that send them: tests/frontend/test_h5p_frame.py)."""

from __future__ import annotations

from courses.h5p.files import sandbox_headers, sandbox_policy


def test_the_sandbox_policy_allows_only_the_prefix_and_the_framing_site():
    csp = sandbox_policy(files_base="https://h5p.example.vn/h5p-content/",
                         parent_origin="https://elearning.example.vn")
    directives = dict(part.split(" ", 1) for part in csp.split("; "))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "https://h5p.example.vn/h5p-content/"
    assert directives["connect-src"] == "https://h5p.example.vn/h5p-content/"
    assert directives["frame-ancestors"] == "https://elearning.example.vn"
    assert directives["sandbox"] == "allow-scripts"
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'none'"
    assert "unsafe-eval" not in csp and "*" not in csp


def test_every_response_gets_the_same_headers():
    headers = sandbox_headers(files_base="http://x/h5p-content/", parent_origin="http://y")
    assert set(headers) == {"Content-Security-Policy", "X-Content-Type-Options",
                            "Cross-Origin-Resource-Policy", "Access-Control-Allow-Origin", "Referrer-Policy"}
    assert headers["X-Content-Type-Options"] == "nosniff"
