"""xAPI statements posted by the H5P player: check the shape, keep what grading needs.

What H5P core sends (h5p-x-api-event.js, bundled in h5p-standalone): `object.id` is the
content's URL (`xAPIObjectIRI` in the player options; pass the lesson's activity IRI as
`lesson_activity_base`), plus `?subContentId=<uuid>` and the extension
`http://h5p.org/x-api/h5p-subContentId` for a part inside the content (a question inside a
quiz); `context.contextActivities.parent` names the enclosing content for such parts.
`result.score` is `{min, max, raw, scaled}` from `triggerXAPIScored`.

Decisions:
- `id` is REQUIRED: H5P core does not set one, so the player page adds `crypto.randomUUID()`
  before posting. A client-side id makes a retried POST a duplicate the caller can drop
  (dedupe is the caller's job, by this id). `generate_missing_id=True` is there for tolerant
  callers, at the cost of dedupe.
- The client's `actor` (and `authority`, `stored`, `timestamp`) is ignored: the server knows who
  posted. The parsed statement keeps only the fields below.
- A statement about another activity than this lesson is rejected (`object_mismatch`).
"""

from __future__ import annotations

import json
import math
import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from backend.errors import DomainError

MAX_STATEMENT_BYTES = 64 * 1024
MAX_DEPTH = 20
VERB_PREFIX = "http://adlnet.gov/expapi/verbs/"
RESULT_VERBS = frozenset({"answered", "completed", "passed", "failed"})
SUBCONTENT_EXTENSION = "http://h5p.org/x-api/h5p-subContentId"
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")

class XAPIError(DomainError):
    status = 400
    code = "invalid_statement"


@dataclass(frozen=True)
class ParsedStatement:
    id: str                        # UUID, lower case; the caller dedupes on it
    verb: str                      # short name when it is an ADL verb ("answered"), else the full IRI
    verb_id: str
    object_id: str
    sub_content_id: str | None
    is_root: bool                  # about the lesson's content itself, not a part inside it
    counts_as_attempt_result: bool
    score_raw: float | None
    score_min: float | None
    score_max: float | None
    score_scaled: float | None
    score_fraction: float | None   # 0..1: scaled if given, else raw/max
    success: bool | None
    completion: bool | None
    duration_seconds: float | None
    parent_ids: tuple[str, ...]
    raw: dict[str, Any]            # the statement as posted, minus actor/authority/stored


def parse_statement(raw: Any, *, lesson_activity_base: str,
                    generate_missing_id: bool = False) -> ParsedStatement:
    """Check one posted statement. Raises XAPIError with a stable code."""
    if not isinstance(raw, dict):
        raise _error("not_object", _("An xAPI statement must be a JSON object."))
    _check_bounds(raw)
    statement_id = _statement_id(raw.get("id"), generate_missing_id)
    verb_id = _iri(_get(raw, "verb", "id"), "verb", _("The statement's verb.id must be an IRI."))
    object_id = _iri(_get(raw, "object", "id"), "object", _("The statement's object.id must be an IRI."))
    sub_content_id = _sub_content_id(raw, object_id, lesson_activity_base)
    parents = _parent_ids(raw)
    base = lesson_activity_base
    is_root = sub_content_id is None and all(p == base for p in parents)
    score = _score(raw.get("result"))
    success = _optional_bool(_get(raw, "result", "success"), "success")
    completion = _optional_bool(_get(raw, "result", "completion"), "completion")
    duration = _duration(_get(raw, "result", "duration"))
    verb = verb_id[len(VERB_PREFIX):] if verb_id.startswith(VERB_PREFIX) else verb_id
    has_result = isinstance(raw.get("result"), dict) and (
        score["raw"] is not None or score["scaled"] is not None or success is not None)
    kept = {k: v for k, v in raw.items() if k not in ("actor", "authority", "stored")}
    kept["id"] = statement_id
    return ParsedStatement(
        id=statement_id, verb=verb, verb_id=verb_id, object_id=object_id,
        sub_content_id=sub_content_id, is_root=is_root,
        counts_as_attempt_result=is_root and verb in RESULT_VERBS and has_result,
        score_raw=score["raw"], score_min=score["min"], score_max=score["max"],
        score_scaled=score["scaled"], score_fraction=_fraction(score),
        success=success, completion=completion, duration_seconds=duration,
        parent_ids=tuple(parents), raw=kept,
    )


def _error(code: str, message: str) -> XAPIError:
    return XAPIError(message, code=code)


def _check_bounds(raw: dict[str, Any]) -> None:
    try:
        size = len(json.dumps(raw, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError, RecursionError) as exc:
        raise _error("too_large", _("The xAPI statement is too large or too deeply nested.")) from exc
    if size > MAX_STATEMENT_BYTES:
        raise _error("too_large", _("The xAPI statement is too large or too deeply nested."))
    stack: list[tuple[Any, int]] = [(raw, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _error("too_large", _("The xAPI statement is too large or too deeply nested."))
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _get(raw: dict[str, Any], *keys: str) -> Any:
    value: Any = raw
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _statement_id(value: Any, generate: bool) -> str:
    if value is None and generate:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(str(value))) if isinstance(value, str) else _bad_id()
    except ValueError as exc:
        raise _error("invalid_id", _("The statement id must be a UUID.")) from exc


def _bad_id() -> str:
    raise _error("invalid_id", _("The statement id must be a UUID."))


def _iri(value: Any, code: str, message: str) -> str:
    if not isinstance(value, str) or len(value) > 2048:
        raise _error(f"invalid_{code}", message)
    parts = urlsplit(value)
    if not parts.scheme or not (parts.netloc or parts.path) or any(c.isspace() for c in value):
        raise _error(f"invalid_{code}", message)
    return value


def _sub_content_id(raw: dict[str, Any], object_id: str, base: str) -> str | None:
    if object_id == base:
        sub = None
    elif object_id.startswith(base + "?subContentId="):
        sub = object_id[len(base) + len("?subContentId="):]
    else:
        raise _error("object_mismatch", _("The statement is about another activity than this lesson."))
    extension = _get(raw, "object", "definition", "extensions")
    if isinstance(extension, dict) and isinstance(extension.get(SUBCONTENT_EXTENSION), str):
        sub = sub or extension[SUBCONTENT_EXTENSION]
    return sub or None


def _parent_ids(raw: dict[str, Any]) -> list[str]:
    parents = _get(raw, "context", "contextActivities", "parent")
    if parents is None:
        return []
    if isinstance(parents, dict):  # xAPI allows a single activity instead of a list
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, dict) for p in parents):
        raise _error("invalid_context", _("context.contextActivities.parent must list activities."))
    return [_iri(p.get("id"), "context", _("A parent activity needs an IRI id.")) for p in parents]


def _number(value: Any, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _error("invalid_score", _("result.score.%(field)s must be a number.") % {"field": field})
    return float(value)


def _score(result: Any) -> dict[str, float | None]:
    if result is not None and not isinstance(result, dict):
        raise _error("invalid_result", _("result must be an object."))
    score = (result or {}).get("score")
    if score is None:
        return {"raw": None, "min": None, "max": None, "scaled": None}
    if not isinstance(score, dict):
        raise _error("invalid_score", _("result.score must be an object."))
    values = {k: _number(score.get(k), k) for k in ("raw", "min", "max", "scaled")}
    if values["scaled"] is not None and not -1 <= values["scaled"] <= 1:
        raise _error("invalid_score", _("result.score.scaled must be between -1 and 1."))
    low, high, raw_score = values["min"], values["max"], values["raw"]
    if low is not None and high is not None and low > high:
        raise _error("invalid_score", _("result.score.min is above result.score.max."))
    if raw_score is not None and ((low is not None and raw_score < low)
                                  or (high is not None and raw_score > high)):
        raise _error("invalid_score", _("result.score.raw is outside min and max."))
    return values


def _fraction(score: dict[str, float | None]) -> float | None:
    if score["scaled"] is not None:
        return min(max(score["scaled"], 0.0), 1.0)
    if score["raw"] is not None and score["max"]:
        low = score["min"] or 0.0
        span = score["max"] - low
        return min(max((score["raw"] - low) / span, 0.0), 1.0) if span > 0 else None
    return None


def _optional_bool(value: Any, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _error("invalid_result", _("result.%(field)s must be true or false.") % {"field": field})


def _duration(value: Any) -> float | None:
    if value is None:
        return None
    match = _DURATION.match(value) if isinstance(value, str) and len(value) <= 64 else None
    if not match or value in ("P", "PT"):
        raise _error("invalid_result", _("result.duration must be an ISO 8601 duration."))
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
