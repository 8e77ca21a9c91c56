"""Origins of configured URLs, as CSP and Permissions-Policy name them."""

import pytest

from backend.security.origins import csp_sources, permissions_origins, url_origin


@pytest.mark.parametrize(("url", "origin"), [
    ("/h5p-content/", "self"),
    ("h5p-content/", "self"),
    ("https://h5p.elearning.example.vn/content/", "https://h5p.elearning.example.vn"),
    ("https://H5P.Example.vn:8443/x/", "https://h5p.example.vn:8443"),
    ("http://127.0.0.1:8001/h5p-content/", "http://127.0.0.1:8001"),
    ("https://user:secret@media.example.vn/", "https://media.example.vn"),
])
def test_url_origin(url, origin):
    assert url_origin(url) == origin


@pytest.mark.parametrize("url", ["//cdn.example.vn/h5p/", "ftp://files.example.vn/"])
def test_an_origin_needs_http_or_https(url):
    with pytest.raises(ValueError, match="scheme"):
        url_origin(url)


def test_sources_are_deduplicated_and_quoted_as_each_header_wants():
    assert csp_sources("/static/", "/media/", "https://h5p.example.vn/c/") == [
        "'self'", "https://h5p.example.vn"]
    assert permissions_origins("/", "/h5p-content/") == ["self"]
    assert permissions_origins("/", "https://h5p.example.vn/c/") == ["self", "https://h5p.example.vn"]
