"""Check one test-client response against what the OpenAPI schema documents for it (status code
and body), with schemathesis doing the validation, for regression tests of schema mismatches."""

from __future__ import annotations

import functools

import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from schemathesis.specs.openapi import checks


@functools.cache
def _schema():
    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


def assert_conforms(response, method: str, path: str) -> None:
    """`path` is the OpenAPI path (e.g. /api/v1/certificates/{id}/); raises on any mismatch."""
    operation = _schema()[path][method.upper()]
    sent = requests.Request(method.upper(), "http://testserver" + response.wsgi_request.get_full_path())
    answer = schemathesis.Response(
        status_code=response.status_code, headers={k: [v] for k, v in response.headers.items()},
        content=response.content, request=sent.prepare(), elapsed=0.0, verify=True)
    kwargs = response.wsgi_request.resolver_match.kwargs
    case = operation.Case(path_parameters={("id" if k == "pk" else k): v for k, v in kwargs.items()})
    case.validate_response(answer, checks=[checks.status_code_conformance,
                                           checks.response_schema_conformance])
