"""Serializer fields shared by every app's API.

`DateTimeField` refuses instants outside 1970–2199: a year like 0091 is surely a typo or a
probe, and before 1911 Vietnam's zone had offsets in seconds (+07:06:30) that RFC 3339 cannot
write, so such a value stored once would make every later answer about it invalid JSON-schema
wise (found by the API fuzzer). One rule, for every date-and-time an API accepts.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

FIRST_YEAR, LAST_YEAR = 1970, 2199


class DateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "out_of_range": _("Give a date between 1970 and 2199."),
    }

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            self.fail("out_of_range")
        return parsed
