"""Helpers shared by the text question importers (GIFT, Aiken)."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError


def normalise_input(text: str | bytes) -> str:
    """UTF-8 (with or without BOM), any line ending, NFC: the form the parsers read."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def validation_messages(exc: ValidationError) -> list[str]:
    """Readable lines from a ValidationError, each naming its field."""
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" for field, messages in exc.message_dict.items() for message in messages]
    return list(exc.messages)
