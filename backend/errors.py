"""Errors that services raise for broken rules; the API turns them into the one JSON shape."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. `code` is stable for machines, `message` is for people (translated)."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 fields: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.status = status or self.status
        self.fields = fields or {}


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Forbidden(DomainError):
    status = 403
    code = "permission_denied"
