"""Open an H5P lesson as the browser does: the lesson page (with the session) names the sandboxed
frame; the frame document names everything else; all of that is fetched WITHOUT the session,
as the sandboxed frame does (its origin is opaque, it sends no cookie)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.test import Client

FRAME_CONFIG = re.compile(r'<script id="h5p-frame-config" type="application/json">(.*?)</script>', re.S)


@dataclass
class Frame:
    url: str
    config: dict

    def library_url(self, folder: str, path: str) -> str:
        return f"{self.config['player']['librariesPath']}/{folder}/{path}"

    def content_url(self, path: str) -> str:
        return f"{self.config['player']['contentJsonPath']}/{path}"

    def static_url(self, path: str) -> str:
        return f"{self.url}static/{path}"


def cookieless(url: str, **headers):
    """GET as the sandboxed frame does: no session, only the grant in the URL."""
    parts = urlsplit(url)
    return Client().get(parts.path, **headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def frame_url(client: Client, lesson_id: int) -> str:
    page = client.get(f"/learn/lessons/{lesson_id}/h5p/")
    assert page.status_code == 200, page.status_code
    return page.context["frame_url"]


def open_frame(client: Client, lesson_id: int) -> Frame:
    url = frame_url(client, lesson_id)
    response = cookieless(url)
    assert response.status_code == 200, response.status_code
    found = FRAME_CONFIG.search(response.content.decode())
    assert found, "the frame document carries its config"
    return Frame(url=url, config=json.loads(found.group(1)))


def served_library(client: Client, lesson_id: int, path: str,
                   folder: str = "H5P.TtdnQuestion-1.0") -> bytes:
    """The bytes of a library file exactly as the player of this lesson loads them."""
    response = cookieless(open_frame(client, lesson_id).library_url(folder, path))
    assert response.status_code == 200, response.status_code
    return body(response)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
