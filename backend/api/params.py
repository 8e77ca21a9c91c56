"""Query-string parameters of the REST API, read the one safe way."""

from __future__ import annotations

from django.utils.translation import gettext as _

from backend.api.untrusted import parse_id
from backend.errors import DomainError


def query_id(request, name: str) -> int | None:
    """``?name=<id>``: None when absent or empty, 400 naming the parameter when not an id."""
    raw = request.query_params.get(name, "")
    if raw == "":
        return None
    value = parse_id(raw)
    if value is None:
        message = _("Give an id (a whole number).")
        raise DomainError(message, code="invalid", fields={name: message})
    return value
