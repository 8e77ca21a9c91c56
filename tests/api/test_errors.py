"""The one error body: every `fields` value is one message string, whoever raised the error."""

import pytest
from django.test import Client
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from backend.errors import DomainError


class _Raises(APIView):
    authentication_classes = []
    permission_classes = []
    error: Exception = Exception()

    def get(self, request):
        raise self.error


def _answer(error: Exception) -> dict:
    view = _Raises.as_view(error=error)
    return view(APIRequestFactory().get("/")).data


def test_a_domain_error_with_lists_of_messages_gives_one_string_per_field():
    body = _answer(DomainError("Gói không hợp lệ.", code="not_zip",
                               fields={"file": ["Gói không hợp lệ."], "rows": [{"email": ["Sai."]}]}))
    assert body == {"code": "not_zip", "message": "Gói không hợp lệ.",
                    "fields": {"file": "Gói không hợp lệ.", "rows.0.email": "Sai."}}


def test_a_domain_error_with_plain_fields_is_unchanged():
    body = _answer(DomainError("Sai phiên bản.", code="invalid", fields={"version": "Phải là số."}))
    assert body["fields"] == {"version": "Phải là số."}


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/v1/courses/0.8/"])
def test_a_write_to_an_unknown_api_path_is_a_json_404_not_a_csrf_page(db, method, path):
    response = getattr(Client(enforce_csrf_checks=True), method)(path, {}, HTTP_X_SESSION_TOKEN="x")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
