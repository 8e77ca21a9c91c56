"""xAPI statements shaped like the ones H5P core sends (h5p-x-api-event.js)."""

from __future__ import annotations

import uuid
from typing import Any

from courses.h5p.selectors import activity_iri

VERBS = "http://adlnet.gov/expapi/verbs/"


def statement(lesson_id: int, verb: str = "answered", *, raw: float | None = None, max_score: float = 1,
              success: bool | None = None, completion: bool | None = None, sub_content: str | None = None,
              statement_id: str | None = None, actor: dict | None = None) -> dict[str, Any]:
    base = activity_iri(lesson_id)
    data: dict[str, Any] = {
        "id": statement_id or str(uuid.uuid4()),
        "actor": actor or {"name": "Somebody Else", "mbox": "mailto:else@example.org",
                           "objectType": "Agent"},
        "verb": {"id": VERBS + verb, "display": {"en-US": verb}},
        "object": {"id": base, "objectType": "Activity",
                   "definition": {"extensions": {"http://h5p.org/x-api/h5p-local-content-id": 1}}},
        "context": {"contextActivities": {"category": [{"id": "http://h5p.org/libraries/H5P.TtdnQuestion-1.0",
                                                         "objectType": "Activity"}]}},
    }
    if sub_content:
        data["object"]["id"] = f"{base}?subContentId={sub_content}"
        data["object"]["definition"]["extensions"]["http://h5p.org/x-api/h5p-subContentId"] = sub_content
        data["context"]["contextActivities"]["parent"] = [{"id": base, "objectType": "Activity"}]
    result: dict[str, Any] = {}
    if raw is not None:
        result["score"] = {"min": 0, "max": max_score, "raw": raw, "scaled": raw / max_score}
    if success is not None:
        result["success"] = success
    if completion is not None:
        result["completion"] = completion
    if result:
        data["result"] = result
    return data
