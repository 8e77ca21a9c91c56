"""The one response for private files: exact type, disposition, nosniff, ranges, ETag, and the web
server sending the bytes when PRIVATE_MEDIA_ACCEL says so."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.test import RequestFactory

from backend.private_media import byte_range, content_type_for, private_file_response, private_name

BODY = bytes(range(256)) * 4  # 1024 bytes


@pytest.fixture
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return FileSystemStorage(location=settings.MEDIA_ROOT)


@pytest.fixture
def stored(storage):
    return storage.save(private_name("courses/videos", "Bài giảng 1.MP4"), ContentFile(BODY))


def serve(storage, name, method="get", filename="Bài giảng 1.mp4", inline=None, **headers):
    request = getattr(RequestFactory(), method)("/x", headers=headers)
    return private_file_response(request, storage=storage, name=name, filename=filename, inline=inline)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_names_are_random_and_keep_only_the_extension():
    names = {private_name("courses/files", "Kết luận 57.PDF") for _ in range(50)}
    assert len(names) == 50
    assert all(re.fullmatch(r"courses/files/[0-9a-f]{32}\.pdf", n) for n in names)
    assert re.fullmatch(r"courses/files/[0-9a-f]{32}", private_name("courses/files", "no-extension"))
    assert re.fullmatch(r"x/[0-9a-f]{32}", private_name("x", "../../etc/passwd.<script>"))


def test_types_are_exact_and_unknown_ones_download():
    assert content_type_for("a.mp4") == "video/mp4" and content_type_for("b.PDF") == "application/pdf"
    assert content_type_for("c.docx").endswith("wordprocessingml.document")
    assert content_type_for("d.html") == content_type_for("e") == "application/octet-stream"


def test_whole_file_with_every_header(storage, stored):
    response = serve(storage, stored)
    assert response.status_code == 200 and body(response) == BODY
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == "1024" and response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "inline; filename=\"Bai giang 1.mp4\"; filename*=UTF-8''B%C3%A0i%20gi%E1%BA%A3ng%201.mp4")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")
    assert response["ETag"]


def test_documents_download_and_the_storage_name_never_shows(storage):
    name = storage.save(private_name("courses/files", "x.docx"), ContentFile(b"PK"))
    response = serve(storage, name, filename="Kế hoạch.docx")
    assert response["Content-Disposition"].startswith('attachment; filename="Ke hoach.docx"')
    assert name.split("/")[-1] not in str(response.headers)


@pytest.mark.parametrize("header, status, content_range, part", [
    ("bytes=0-99", 206, "bytes 0-99/1024", BODY[:100]),
    ("bytes=1000-", 206, "bytes 1000-1023/1024", BODY[1000:]),
    ("bytes=-24", 206, "bytes 1000-1023/1024", BODY[1000:]),
    ("bytes=1000-5000", 206, "bytes 1000-1023/1024", BODY[1000:]),
    ("bytes=0-1,5-6", 200, None, BODY),  # several ranges: ignored, the whole file
    ("items=0-1", 200, None, BODY),
])
def test_single_byte_ranges_for_seeking(storage, stored, header, status, content_range, part):
    response = serve(storage, stored, Range=header)
    assert response.status_code == status
    assert response.get("Content-Range") == content_range
    assert body(response) == part and response["Content-Length"] == str(len(part))


def test_a_range_past_the_end_is_416(storage, stored):
    response = serve(storage, stored, Range="bytes=2000-")
    assert response.status_code == 416 and response["Content-Range"] == "bytes */1024"


def test_a_stale_if_range_gets_the_whole_file(storage, stored):
    response = serve(storage, stored, Range="bytes=0-9", **{"If-Range": '"old"'})
    assert response.status_code == 200 and body(response) == BODY


def test_revalidation_answers_304(storage, stored):
    etag = serve(storage, stored)["ETag"]
    response = serve(storage, stored, **{"If-None-Match": etag})
    assert response.status_code == 304 and not response.content


def test_head_sends_headers_only(storage, stored):
    response = serve(storage, stored, method="head")
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Length"] == "1024"


def test_nginx_gets_an_internal_redirect_and_no_body(storage, stored, settings):
    settings.PRIVATE_MEDIA_ACCEL = "nginx"
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected-media/"
    response = serve(storage, stored, Range="bytes=0-9")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{stored}"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Length" not in response


def test_apache_gets_x_sendfile_with_the_path(storage, stored, settings):
    settings.PRIVATE_MEDIA_ACCEL = "apache"
    response = serve(storage, stored)
    assert response.content == b"" and response["X-Sendfile"] == storage.path(stored)


def test_object_storage_is_streamed_even_with_accel(settings):
    settings.PRIVATE_MEDIA_ACCEL = "nginx"
    storage = InMemoryStorage()  # like S3: no local path for nginx to send
    name = storage.save(private_name("courses/files", "a.pdf"), ContentFile(BODY))
    response = serve(storage, name, Range="bytes=0-9")
    assert "X-Accel-Redirect" not in response and body(response) == BODY[:10]


def test_a_file_missing_from_storage_is_404(storage):
    from django.http import Http404

    with pytest.raises(Http404):
        serve(storage, "courses/files/" + "0" * 32 + ".pdf")


def test_byte_range_parser_edges():
    assert byte_range(None, 10) is None and byte_range("bytes=-", 10) is None
    assert byte_range("bytes=5-2", 10) is None  # malformed: ignored
    assert byte_range("bytes=-0", 10) is False and byte_range("bytes=10-", 10) is False
    assert byte_range("bytes=0-0", 1) == (0, 0)


def test_callers_may_replace_a_default_header(storage, stored):
    request = RequestFactory().get("/x")
    response = private_file_response(request, storage=storage, name=stored, filename="a.mp4",
                                     headers={"Content-Security-Policy": "default-src 'self'"})
    assert response["Content-Security-Policy"] == "default-src 'self'"
