"""API authentication: a caller who is not signed in gets 401 with a challenge, not 403."""

import pytest


@pytest.mark.parametrize("headers", [{}, {"HTTP_X_SESSION_TOKEN": "not-a-token"}])
def test_not_signed_in_is_401_with_a_challenge(client, db, headers):
    response = client.get("/api/v1/courses/", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "X-Session-Token"
    assert response.json()["code"] == "not_authenticated"


def test_signed_in_but_not_allowed_stays_403(api, trainee):
    api.force_authenticate(trainee)
    response = api.post("/api/v1/users/", {"email": "x@example.vn"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
