"""The OpenAPI schema validates and lists every endpoint of the REST contract."""

import re

import yaml
from django.core.management import call_command
from django.urls import get_resolver


def api_paths() -> set[str]:
    """Every URL pattern under /api/v1/, as OpenAPI paths."""
    found = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, route)
            elif route.startswith("api/v1/") and not route.endswith("$"):
                found.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("{pk}", "{id}"))

    walk(get_resolver().url_patterns)
    return found


def test_schema_validates_and_contains_every_endpoint(tmp_path, db):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    documented = {path.replace("{pk}", "{id}") for path in schema["paths"]}
    missing = api_paths() - documented
    assert not missing, f"endpoints missing from the schema: {sorted(missing)}"
    assert "/api/v1/me/" in documented and "/api/v1/users/import/" in documented


def test_schema_and_docs_are_public(client, db):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()  # assets come from our own static files
