"""The OpenAPI schema validates, lists every endpoint of the REST contract, and says what the
API really answers: pages for paginated lists, the error body and codes of every operation."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")
ERROR_REFS = ("#/components/schemas/Error", "#/components/schemas/ImportRefused")


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


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def by_id(schema, operation_id):
    return next(op for _, _, op in operations(schema) if op["operationId"] == operation_id)


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


PAGINATED = ["courses_list", "courses_enrolments_list", "question_banks_list",
             "question_banks_questions_list", "quizzes_grading_queue", "certificates_list"]


@pytest.mark.parametrize("operation_id", PAGINATED)
def test_paginated_lists_are_documented_as_pages(schema, operation_id):
    operation = by_id(schema, operation_id)
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["results"]["type"] == "array"
    assert {p["name"] for p in operation["parameters"] if p["in"] == "query"} >= {"page", "page_size"}


def test_xapi_export_is_documented_as_an_array_of_statements(schema):
    body = by_id(schema, "h5p_xapi_export")["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    statement = schema["components"]["schemas"][body["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"id", "stored", "actor"} <= set(statement["required"])


def test_every_operation_documents_its_errors_in_the_one_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "fields"}
    problems = []
    for method, path, operation in operations(schema):
        codes = operation["responses"]
        expected = set()
        if operation.get("requestBody") or method != "GET":
            expected.add("400")
        if operation.get("security") and {} not in operation["security"]:
            expected |= {"401", "403"} if path != "/api/v1/me/" else {"401"}
        if "{" in path or (method != "GET" and operation.get("requestBody")):
            expected.add("404")
        if method != "GET":
            expected.add("409")
        if missing := expected - set(codes):
            problems.append(f"{method} {path}: no {sorted(missing)}")
        for code, response in codes.items():
            if code >= "400":
                ref = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
                if ref not in ERROR_REFS or not response["description"]:
                    problems.append(f"{method} {path} {code}: not the error body ({ref})")
    assert not problems, "\n".join(problems)


def test_throttled_verification_documents_429(schema):
    assert "429" in by_id(schema, "verify_retrieve")["responses"]
    assert "429" not in by_id(schema, "me_retrieve")["responses"]


@pytest.mark.parametrize(("operation_id", "required"), [
    ("courses_update", ["version"]), ("modules_update", ["title"]),
    ("attempts_autosave", ["responses"]), ("h5p_settings_update", ["grading_method"])])
def test_patch_bodies_the_view_validates_whole_document_their_required_fields(schema, operation_id,
                                                                              required):
    body = by_id(schema, operation_id)["requestBody"]
    ref = next(iter(body["content"].values()))["schema"]["$ref"]
    assert schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["required"] == required
    assert body["required"] is True


def test_partial_patch_bodies_stay_partial(schema):
    body = by_id(schema, "quizzes_update")["requestBody"]
    ref = next(iter(body["content"].values()))["schema"]["$ref"]
    assert "required" not in schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
