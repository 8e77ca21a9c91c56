"""The API's parsers. Every JSON body goes through `backend.api.untrusted.load_json`, and a body
that is not an object is refused unless the view takes a list (``accepts_json_list``); form and
multipart fields must not contain NUL. Views that name their parsers take them from here."""

from __future__ import annotations

import codecs

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

from backend.api.untrusted import InputError, check_query, load_json


def _field_error(field: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field or "non_field_errors": [message]})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        context = parser_context or {}
        encoding = context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            raw = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(_("The request body is not valid JSON.")) from exc
        try:
            data = load_json(raw)
        except InputError as exc:
            raise _field_error(exc.field, exc.message) from None
        if isinstance(data, dict):
            return data
        if isinstance(data, list) and getattr(context.get("view"), "accepts_json_list", False):
            return data
        raise _field_error("", _("The request body must be a JSON object."))


def _checked_form(data):
    try:
        check_query(data)
    except InputError as exc:
        raise _field_error(exc.field, exc.message) from None
    return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _checked_form(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _checked_form(result.data)
        return result
