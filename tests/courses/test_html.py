"""Sanitising authored HTML."""

from courses.html import sanitise_html


def test_scripts_handlers_and_javascript_links_are_stripped():
    dirty = ('<p onclick="steal()">Xin chào <script>alert(1)</script>'
             '<a href="javascript:alert(1)">x</a><img src="x" onerror="alert(1)">'
             '<iframe src="https://evil.example"></iframe><style>p{}</style></p>')
    clean = sanitise_html(dirty)
    for bad in ("script", "onclick", "onerror", "javascript:", "iframe", "style", "alert"):
        assert bad not in clean
    assert "Xin chào" in clean


def test_allowed_markup_and_vietnamese_survive():
    html = ('<h2>Kết luận số 57-KL/TW</h2><p><strong>Thông tin đối ngoại</strong> '
            '<a href="https://example.vn/a">nguồn</a></p><ul><li>Một</li></ul>')
    clean = sanitise_html(html)
    assert "<h2>Kết luận số 57-KL/TW</h2>" in clean
    assert "<strong>Thông tin đối ngoại</strong>" in clean
    assert 'href="https://example.vn/a"' in clean
    assert 'rel="noopener noreferrer"' in clean
    assert "<li>Một</li>" in clean


def test_data_urls_are_dropped():
    assert "data:" not in sanitise_html('<img src="data:image/svg+xml;base64,PHN2Zz4=">')
    assert sanitise_html("") == ""
