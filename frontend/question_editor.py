"""The question editor's form <-> a question type's ``data``, without the database.

The page shows one block of fields per question type: repeated rows (choices, accepted answers,
pairs, items) named ``<group>-<n>-<field>`` plus a few single fields. This module only reshapes
what was posted into the dict the type's ``validate()`` reads, and a stored definition back into
rows; every rule (at least two choices, fractions adding up, ...) stays in assessments.questions.
A value that does not parse (a grade "abc") is passed on as typed, so ``validate()`` names it in
the user's language next to the field, and the row is shown again with the input kept.
"""

from __future__ import annotations

import re
from typing import Any

# Repeated rows of each type: group -> (fields shown, fields whose text makes the row count).
GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "single_choice": {"choices": ("id", "text", "grade", "feedback")},
    "multiple_choice": {"choices": ("id", "text", "grade", "feedback")},
    "true_false": {},
    "short_answer": {"answers": ("text", "grade", "feedback")},
    "numerical": {"answers": ("value", "tolerance", "grade", "feedback")},
    "matching": {"pairs": ("id", "left", "right", "right_id"), "distractors": ("id", "text")},
    "ordering": {"items": ("id", "text")},
    "essay": {},
}
HIDDEN = ("id", "right_id")
FLAGS: dict[str, tuple[str, ...]] = {
    "single_choice": ("shuffle",),
    "multiple_choice": ("shuffle",),
    "short_answer": ("case_sensitive", "ignore_accents"),
    "matching": ("shuffle",),
}
TEXTS: dict[str, tuple[str, ...]] = {
    "true_false": ("feedback_true", "feedback_false"),
    "essay": ("template", "grader_info"),
}
FLAG_DEFAULTS = {"shuffle": True, "case_sensitive": False, "ignore_accents": False}
EXTRA_ROWS = 2  # blank rows offered under the filled ones (more with the "Add" button)
MIN_ROWS = {"choices": 4, "answers": 2, "pairs": 3, "distractors": 1, "items": 4}
_ROW_KEY = re.compile(r"^([a-z_]+)-(\d{1,3})-([a-z_]+)$")


def parse_number(raw: str) -> float | str | None:
    """"12,5" or "12.5" -> 12.5; blank -> None; anything else is returned as typed."""
    text = "".join((raw or "").split())
    if not text:
        return None
    candidate = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        return float(candidate)
    except ValueError:
        return raw


def _percent(raw: str, blank: float) -> float | str:
    value = parse_number(raw)
    if value is None:
        return blank
    return round(value / 100, 9) if isinstance(value, float) else value


def _whole(raw: str) -> int | str | None:
    value = parse_number(raw)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return raw


def posted_rows(qtype: str, post) -> dict[str, list[dict[str, str]]]:
    """The rows of each group as typed, in page order, blank rows left out."""
    found: dict[str, dict[int, dict[str, str]]] = {}
    groups = GROUPS[qtype]
    for key in post:
        match = _ROW_KEY.match(key)
        if not match or match[1] not in groups or match[3] not in groups[match[1]]:
            continue
        found.setdefault(match[1], {}).setdefault(int(match[2]), {})[match[3]] = post.get(key, "")
    rows: dict[str, list[dict[str, str]]] = {}
    for group, fields in groups.items():
        typed = []
        for _n, row in sorted(found.get(group, {}).items()):
            row = {f: row.get(f, "") for f in fields}
            if any(row[f].strip() for f in fields if f not in HIDDEN):
                typed.append(row)
        rows[group] = typed
    return rows


def data_from_post(qtype: str, post) -> tuple[dict[str, Any], dict]:
    """(definition for ``validate()``, what to show again: rows and single fields as typed)."""
    rows = posted_rows(qtype, post)
    data: dict[str, Any] = {"general_feedback": post.get("general_feedback", "")}
    shown: dict[str, Any] = {"rows": rows, "general_feedback": data["general_feedback"]}
    for flag in FLAGS.get(qtype, ()):
        data[flag] = shown[flag] = post.get(flag) in ("on", "1", "true")
    for name in TEXTS.get(qtype, ()):
        data[name] = shown[name] = post.get(name, "")
    if qtype in ("single_choice", "multiple_choice"):
        data["choices"] = [_choice(r) for r in rows["choices"]]
    elif qtype == "true_false":
        answer = post.get("answer", "")
        shown["answer"] = answer
        data["answer"] = {"true": True, "false": False}.get(answer)
    elif qtype == "short_answer":
        data["answers"] = [
            {"text": r["text"], "fraction": _percent(r["grade"], 1.0), "feedback": r["feedback"]}
            for r in rows["answers"]
        ]
    elif qtype == "numerical":
        data["answers"] = [
            {
                "value": parse_number(r["value"]),
                "tolerance": parse_number(r["tolerance"]) or 0.0,
                "fraction": _percent(r["grade"], 1.0),
                "feedback": r["feedback"],
            }
            for r in rows["answers"]
        ]
    elif qtype == "matching":
        data["pairs"] = [_with_ids(r, ("left", "right"), ("id", "right_id")) for r in rows["pairs"]]
        data["distractors"] = [_with_ids(r, ("text",), ("id",)) for r in rows["distractors"]]
    elif qtype == "ordering":
        data["items"] = [_with_ids(r, ("text",), ("id",)) for r in rows["items"]]
        data["grading"] = shown["grading"] = post.get("grading", "")
    elif qtype == "essay":
        for name in ("min_words", "max_words"):
            shown[name] = post.get(name, "")
            data[name] = _whole(shown[name])
    return data, shown


def _with_ids(row: dict, texts: tuple[str, ...], ids: tuple[str, ...]) -> dict:
    out = {name: row[name] for name in texts}
    for name in ids:
        if row.get(name):
            out[name] = row[name]
    return out


def _choice(row: dict) -> dict:
    out = {"text": row["text"], "fraction": _percent(row["grade"], 0.0), "feedback": row["feedback"]}
    if row.get("id"):
        out["id"] = row["id"]
    return out


def _pct(fraction: float) -> str:
    """0.3333333 -> "33.33333"; 1.0 -> "100"."""
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".")


def _num(value: float) -> str:
    return f"{value:.10g}"


def shown_from_data(qtype: str, data: dict | None) -> dict[str, Any]:
    """What the editor shows for a stored definition (or the defaults of a new question)."""
    data = data or {}
    shown: dict[str, Any] = {"general_feedback": data.get("general_feedback", "")}
    for flag in FLAGS.get(qtype, ()):
        shown[flag] = data.get(flag, FLAG_DEFAULTS[flag])
    for name in TEXTS.get(qtype, ()):
        shown[name] = data.get(name, "")
    rows: dict[str, list[dict[str, str]]] = {}
    if qtype in ("single_choice", "multiple_choice"):
        rows["choices"] = [
            {"id": c["id"], "text": c["text"], "grade": _pct(c["fraction"]), "feedback": c["feedback"]}
            for c in data.get("choices", [])
        ]
    elif qtype == "true_false":
        shown["answer"] = {True: "true", False: "false"}.get(data.get("answer"), "")
    elif qtype == "short_answer":
        rows["answers"] = [
            {"text": a["text"], "grade": _pct(a["fraction"]), "feedback": a["feedback"]}
            for a in data.get("answers", [])
        ]
    elif qtype == "numerical":
        rows["answers"] = [
            {"value": _num(a["value"]), "tolerance": _num(a["tolerance"]), "grade": _pct(a["fraction"]),
             "feedback": a["feedback"]}
            for a in data.get("answers", [])
        ]
    elif qtype == "matching":
        rows["pairs"] = [dict(p) for p in data.get("pairs", [])]
        rows["distractors"] = [dict(d) for d in data.get("distractors", [])]
    elif qtype == "ordering":
        rows["items"] = [dict(i) for i in data.get("items", [])]
        shown["grading"] = data.get("grading", "longest_ordered_subset")
    elif qtype == "essay":
        shown["min_words"] = str(data.get("min_words", 0))
        shown["max_words"] = str(data.get("max_words", 0))
    shown["rows"] = rows
    return shown


def padded_rows(qtype: str, rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The typed rows plus blank ones, each with its 1-based number (labels match validate())."""
    out = {}
    for group, fields in GROUPS[qtype].items():
        typed = list(rows.get(group, []))
        blank = max(EXTRA_ROWS, MIN_ROWS[group] - len(typed))
        full = typed + [dict.fromkeys(fields, "") for _n in range(blank)]
        out[group] = [{**row, "n": n} for n, row in enumerate(full, start=1)]
    return out
