"""The CMI data model rules, pure (no request, no ORM): which elements a SCO may commit for each
SCORM version, their vocabularies and formats, time formats, and how a SCO's committed data
becomes an outcome (completed, passed, score) under the package's mastery rules.

The commit format is scorm-again's `renderCommitCMI(true)` with `dataCommitFormat: "flattened"`:
one JSON object of element name → string value ("cmi.core.lesson_status": "incomplete",
"cmi.interactions.0.id": "q1"), where an empty list renders as `{}` ("cmi.interactions.0.objectives":
{}). `loadFromFlattenedJSON` takes the same shape back before LMSInitialize/Initialize.

Decisions (docs/scorm.md, "Runtime"):
- LMS-owned, read-only elements (learner id and name, credit, entry, mode, launch data, mastery
  score, thresholds, time limits, total time, comments from the LMS) are IGNORED in a commit, not
  refused: scorm-again sends the whole data model at every commit, read-only elements included.
  The server sets them at GET. An element outside the version's data model is refused
  (`unknown_element`, naming it).
- suspend_data may hold up to SCORM_SUSPEND_DATA_MAX characters in every version (64 000 by
  default, 2004 4th edition's size): SCORM 1.2 says 4096, but content exported by today's tools
  (Storyline, iSpring) writes more into 1.2 packages, and refusing it would lose the learner's place.
- Scores: 1.2 raw/min/max are decimals 0..100 (RTE 3.4.2.2.2, which scorm-again enforces too);
  2004 scaled -1..1, raw/min/max any decimal; progress_measure 0..1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from backend.errors import DomainError
from courses.attempt_grading import aggregate_score

V12 = "1.2"
V2004_3 = "2004-3"
V2004_4 = "2004-4"
VERSIONS = (V12, V2004_3, V2004_4)

MAX_INDEX = 9999            # cmi.interactions.n / objectives.n: n below 10 000
MAX_VALUE_CHARS = 64000     # any one element but suspend_data (its own setting)
MAX_LOCATION_CHARS = 1000   # 2004's cmi.location (1.2: 255, allowed up to this)


class CmiError(DomainError):
    status = 400
    code = "invalid_cmi"

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message, code=code, fields={field: [message]})
        self.field = field


def is_2004(version: str) -> bool:
    return version != V12


# --- the data model --------------------------------------------------------------------------

N = r"(?:0|[1-9]\d{0,3})"   # an array index, as scorm-again renders it

_WRITABLE_12 = [
    "cmi.core.lesson_location", "cmi.core.lesson_status", "cmi.core.exit", "cmi.core.session_time",
    "cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max", "cmi.suspend_data",
    "cmi.comments", "cmi.student_preference.audio", "cmi.student_preference.language",
    "cmi.student_preference.speed", "cmi.student_preference.text",
    f"cmi.objectives.{N}.id", f"cmi.objectives.{N}.status", f"cmi.objectives.{N}.score.raw",
    f"cmi.objectives.{N}.score.min", f"cmi.objectives.{N}.score.max",
    f"cmi.interactions.{N}.id", f"cmi.interactions.{N}.time", f"cmi.interactions.{N}.type",
    f"cmi.interactions.{N}.weighting", f"cmi.interactions.{N}.student_response",
    f"cmi.interactions.{N}.result", f"cmi.interactions.{N}.latency",
    f"cmi.interactions.{N}.objectives.{N}.id", f"cmi.interactions.{N}.correct_responses.{N}.pattern",
]
_READ_ONLY_12 = [
    "cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry",
    "cmi.core.total_time", "cmi.core.lesson_mode", "cmi.launch_data", "cmi.comments_from_lms",
    "cmi.student_data.mastery_score", "cmi.student_data.max_time_allowed",
    "cmi.student_data.time_limit_action",
]
_WRITABLE_2004 = [
    "cmi.completion_status", "cmi.success_status", "cmi.exit", "cmi.location", "cmi.progress_measure",
    "cmi.score.scaled", "cmi.score.raw", "cmi.score.min", "cmi.score.max", "cmi.session_time",
    "cmi.suspend_data", "cmi.learner_preference.audio_level", "cmi.learner_preference.language",
    "cmi.learner_preference.delivery_speed", "cmi.learner_preference.audio_captioning",
    f"cmi.comments_from_learner.{N}.comment", f"cmi.comments_from_learner.{N}.location",
    f"cmi.comments_from_learner.{N}.timestamp",
    f"cmi.objectives.{N}.id", f"cmi.objectives.{N}.success_status",
    f"cmi.objectives.{N}.completion_status", f"cmi.objectives.{N}.progress_measure",
    f"cmi.objectives.{N}.description", f"cmi.objectives.{N}.score.scaled",
    f"cmi.objectives.{N}.score.raw", f"cmi.objectives.{N}.score.min", f"cmi.objectives.{N}.score.max",
    f"cmi.interactions.{N}.id", f"cmi.interactions.{N}.type", f"cmi.interactions.{N}.timestamp",
    f"cmi.interactions.{N}.weighting", f"cmi.interactions.{N}.learner_response",
    f"cmi.interactions.{N}.result", f"cmi.interactions.{N}.latency", f"cmi.interactions.{N}.description",
    f"cmi.interactions.{N}.objectives.{N}.id", f"cmi.interactions.{N}.correct_responses.{N}.pattern",
]
_READ_ONLY_2004 = [
    "cmi.learner_id", "cmi.learner_name", "cmi.credit", "cmi.entry", "cmi.mode", "cmi.launch_data",
    "cmi.completion_threshold", "cmi.scaled_passing_score", "cmi.max_time_allowed",
    "cmi.time_limit_action", "cmi.total_time", f"cmi.comments_from_lms.{N}.comment",
    f"cmi.comments_from_lms.{N}.location", f"cmi.comments_from_lms.{N}.timestamp",
]


def _one(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(p.replace(".", r"\.") for p in patterns) + ")$")


_MODEL = {
    V12: (_one(_WRITABLE_12), _one(_READ_ONLY_12)),
    V2004_3: (_one(_WRITABLE_2004), _one(_READ_ONLY_2004)),
    V2004_4: (_one(_WRITABLE_2004), _one(_READ_ONLY_2004)),
}

# Elements the learner's next session must not inherit: they describe one session only.
SESSION_ONLY = frozenset({"cmi.core.exit", "cmi.core.session_time", "cmi.exit", "cmi.session_time"})

# --- vocabularies and formats ----------------------------------------------------------------

LESSON_STATUS = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")
COMPLETION_STATUS = ("completed", "incomplete", "not attempted", "unknown")
SUCCESS_STATUS = ("passed", "failed", "unknown")
EXIT_12 = ("", "time-out", "suspend", "logout")
EXIT_2004 = ("", "time-out", "suspend", "logout", "normal")
TYPES_12 = ("true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric")
TYPES_2004 = (*TYPES_12, "long-fill-in", "other")
RESULTS_12 = ("correct", "wrong", "unanticipated", "neutral")
RESULTS_2004 = ("correct", "incorrect", "unanticipated", "neutral")

_DECIMAL = re.compile(r"^-?\d{0,10}(?:\.\d+)?$")
_TIME_12 = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(?:\.(\d{1,2}))?$")
_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_DURATION_UNITS = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)


def parse_time_12(value: str) -> float | None:
    """SCORM 1.2 CMITimespan `HHHH:MM:SS.SS` (2-4 hour digits) → seconds; None if malformed."""
    match = _TIME_12.match(value)
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + (int(fraction) / 10 ** len(fraction)
                                                                  if fraction else 0.0)


def parse_duration(value: str) -> float | None:
    """SCORM 2004 timeinterval (ISO 8601 duration, `PT1H2M3.5S`) → seconds; None if malformed."""
    match = _DURATION.match(value) if len(value) <= 64 else None
    if not match or value == "P" or value.endswith("T"):
        return None
    return sum(float(part) * unit for part, unit in zip(match.groups(), _DURATION_UNITS, strict=True)
               if part is not None)


def format_time_12(seconds: float) -> str:
    """Seconds → `HHHH:MM:SS.SS` (hours capped at 9999, the format's limit)."""
    centis = min(round(max(seconds, 0.0) * 100), (9999 * 3600 + 3599) * 100 + 99)
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    return f"{hours:04d}:{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}"


def format_duration(seconds: float) -> str:
    """Seconds → ISO 8601 duration as SCORM 2004 writes it (`PT1H2M3.5S`, at most 2 decimals)."""
    centis = round(max(seconds, 0.0) * 100)
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    whole, frac = divmod(rest, 100)
    secs = f"{whole}.{frac:02d}".rstrip("0").rstrip(".") if frac else str(whole)
    return f"PT{hours}H{minutes}M{secs}S"


def session_seconds(version: str, value: str) -> float | None:
    return parse_time_12(value) if version == V12 else parse_duration(value)


def format_total(version: str, seconds: float) -> str:
    return format_time_12(seconds) if version == V12 else format_duration(seconds)


# --- checking a commit -----------------------------------------------------------------------

@dataclass(frozen=True)
class CheckedCommit:
    elements: dict[str, str]     # the writable elements as committed (strings)
    ignored: tuple[str, ...]     # LMS-owned elements left out


def check_commit(version: str, cmi: Any, *, suspend_data_max: int) -> CheckedCommit:
    """Check a flattened commit against the version's data model; raise CmiError naming the
    first element at fault (`cmi.<element>`), with a stable code."""
    if version not in _MODEL:
        raise ValueError(f"unknown SCORM version {version!r}")
    if not isinstance(cmi, Mapping):
        raise CmiError("invalid_cmi", _("cmi must be an object of data model elements."), "cmi")
    writable, read_only = _MODEL[version]
    elements: dict[str, str] = {}
    ignored: list[str] = []
    for name, raw in cmi.items():
        field = f"cmi.{name}" if not str(name).startswith("cmi.") else str(name)
        if isinstance(raw, (dict, list)) and not raw:
            continue  # scorm-again renders an empty collection as {}
        if not isinstance(name, str) or not name.startswith("cmi.") or len(name) > 255:
            raise CmiError("unknown_element", _("%(element)s is not a SCORM data model element.")
                           % {"element": str(name)[:255]}, "cmi")
        if read_only.match(name):
            ignored.append(name)
            continue
        if not writable.match(name):
            raise CmiError("unknown_element", _("%(element)s is not an element of the SCORM %(version)s "
                                                "data model a SCO may set.") % {"element": name,
                                                                                "version": version},
                           field)
        value = _as_text(raw, field)
        _check_value(version, name, value, field, suspend_data_max)
        elements[name] = value
    _check_score_order(version, elements)
    return CheckedCommit(elements, tuple(ignored))


def _as_text(raw: Any, field: str) -> str:
    if isinstance(raw, str):
        if "\x00" in raw:
            raise CmiError("invalid_value", _("%(element)s must not contain NUL characters.")
                           % {"element": field}, field)
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise CmiError("invalid_value", _("%(element)s must be a text value.") % {"element": field}, field)
    return str(raw)


def _vocabulary(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise CmiError("invalid_vocabulary", _("%(element)s must be one of: %(allowed)s.") % {
            "element": field, "allowed": ", ".join(f'"{v}"' for v in allowed)}, field)


def _number(field: str, value: str, low: float | None = None, high: float | None = None) -> None:
    if value == "":
        return
    if not _DECIMAL.match(value) or value in ("-", ".", "-."):
        raise CmiError("invalid_number", _("%(element)s must be a decimal number.") % {"element": field},
                       field)
    number = float(value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise CmiError("out_of_range", _("%(element)s must be between %(low)s and %(high)s.") % {
            "element": field, "low": _plain(low), "high": _plain(high)}, field)


def _plain(number: float | None) -> str:
    return "" if number is None else (f"{number:g}")


def _check_value(version: str, name: str, value: str, field: str, suspend_data_max: int) -> None:
    leaf = name.rsplit(".", 1)[-1]
    if name == "cmi.suspend_data":
        if len(value) > suspend_data_max:
            raise CmiError("suspend_data_too_long", _("cmi.suspend_data is longer than %(n)d characters.")
                           % {"n": suspend_data_max}, field)
        return
    if len(value) > (MAX_LOCATION_CHARS if leaf in ("lesson_location", "location") else MAX_VALUE_CHARS):
        raise CmiError("value_too_long", _("%(element)s is too long.") % {"element": field}, field)
    v12 = version == V12
    if name in ("cmi.core.lesson_status",) or (v12 and leaf == "status"):
        _vocabulary(field, value, ("", *LESSON_STATUS))
    elif leaf == "completion_status":
        _vocabulary(field, value, ("", *COMPLETION_STATUS))
    elif leaf == "success_status":
        _vocabulary(field, value, ("", *SUCCESS_STATUS))
    elif name in ("cmi.core.exit", "cmi.exit"):
        _vocabulary(field, value, EXIT_12 if v12 else EXIT_2004)
    elif name in ("cmi.core.session_time", "cmi.session_time") or (leaf == "latency" and value):
        if value and session_seconds(version, value) is None:
            message = (_("%(element)s must be a time span HHHH:MM:SS.SS.") if v12
                       else _("%(element)s must be an ISO 8601 duration such as PT1H30M5S."))
            raise CmiError("invalid_time", message % {"element": field}, field)
    elif ".score." in name or name.startswith("cmi.core.score."):
        if v12:
            _number(field, value, 0, 100)
        elif leaf == "scaled":
            _number(field, value, -1, 1)
        else:
            _number(field, value)
    elif leaf == "progress_measure":
        _number(field, value, 0, 1)
    elif leaf == "type" and value:
        _vocabulary(field, value, TYPES_12 if v12 else TYPES_2004)
    elif leaf == "result" and value and not _DECIMAL.match(value):
        _vocabulary(field, value, RESULTS_12 if v12 else RESULTS_2004)
    elif leaf == "weighting":
        _number(field, value)


def _check_score_order(version: str, elements: Mapping[str, str]) -> None:
    prefix = "cmi.core.score." if version == V12 else "cmi.score."
    low, high = _float(elements.get(prefix + "min")), _float(elements.get(prefix + "max"))
    if low is not None and high is not None and low > high:
        raise CmiError("out_of_range", _("%(element)s is above %(other)s.") % {
            "element": prefix + "min", "other": prefix + "max"}, prefix + "min")


def _float(value: str | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# --- outcome of one attempt ------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    completion_status: str        # as the SCO reports it, after the LMS's rules
    success_status: str           # "passed" / "failed" / "" (unknown)
    completed: bool
    passed: bool | None
    score: float | None           # fraction 0..1
    score_raw: float | None
    score_min: float | None
    score_max: float | None
    score_scaled: float | None


def outcome(version: str, cmi: Mapping[str, str], item: Mapping[str, Any]) -> Outcome:
    """What one attempt's data says, under the item's mastery rules.

    1.2 (RTE 3.4.2.2.3): "passed" and "failed" imply completed; with a mastery score and a raw
    score, a reported "completed" / "passed" / "failed" becomes passed or failed by raw ≥ mastery
    (the LMS's judgement over the SCO's). Score: (raw − min)/(max − min), min 0; raw/100 with no max.
    2004 (RTE 4.2.4.1, 4.2.22.1): with a completion_threshold and a progress_measure, completed
    is progress ≥ threshold; with a scaled_passing_score and score.scaled, passed is scaled ≥
    passing score; otherwise the SCO's statuses. Score: scaled (below 0 counts 0), else raw
    against min/max."""
    if version == V12:
        return _outcome_12(cmi, item)
    return _outcome_2004(cmi, item)


def _fraction(raw: float | None, low: float | None, high: float | None, *, default_max: float | None):
    high = high if high is not None else default_max
    if raw is None or high is None:
        return None
    low = low or 0.0
    span = high - low
    return min(max((raw - low) / span, 0.0), 1.0) if span > 0 else None


def _outcome_12(cmi: Mapping[str, str], item: Mapping[str, Any]) -> Outcome:
    status = cmi.get("cmi.core.lesson_status", "")
    raw = _float(cmi.get("cmi.core.score.raw"))
    low, high = _float(cmi.get("cmi.core.score.min")), _float(cmi.get("cmi.core.score.max"))
    mastery = item.get("mastery_score")
    completed = status in ("completed", "passed", "failed")
    passed: bool | None = True if status == "passed" else (False if status == "failed" else None)
    if completed and mastery is not None and raw is not None:
        passed = raw >= float(mastery)
        status = "passed" if passed else "failed"
    return Outcome(completion_status=status, success_status={True: "passed", False: "failed"}.get(passed, ""),
                   completed=completed, passed=passed,
                   score=_fraction(raw, low, high, default_max=100.0),
                   score_raw=raw, score_min=low, score_max=high, score_scaled=None)


def _outcome_2004(cmi: Mapping[str, str], item: Mapping[str, Any]) -> Outcome:
    completion = cmi.get("cmi.completion_status", "")
    success = cmi.get("cmi.success_status", "")
    progress = _float(cmi.get("cmi.progress_measure"))
    threshold = item.get("completion_threshold")
    if threshold is not None and progress is not None:
        completion = "completed" if progress >= float(threshold) else "incomplete"
    scaled = _float(cmi.get("cmi.score.scaled"))
    raw = _float(cmi.get("cmi.score.raw"))
    low, high = _float(cmi.get("cmi.score.min")), _float(cmi.get("cmi.score.max"))
    passing = item.get("scaled_passing_score")
    if passing is not None and scaled is not None:
        success = "passed" if scaled >= float(passing) else "failed"
    passed = True if success == "passed" else (False if success == "failed" else None)
    score = min(max(scaled, 0.0), 1.0) if scaled is not None else _fraction(raw, low, high, default_max=None)
    return Outcome(completion_status=completion, success_status=success if passed is not None else "",
                   completed=completion == "completed", passed=passed, score=score,
                   score_raw=raw, score_min=low, score_max=high, score_scaled=scaled)


def attempt_ended(*, terminated: bool, exit_value: str, completed: bool, success_status: str) -> bool:
    """The attempt is over, and the next launch starts a new one: its last session ended with
    Terminate/LMSFinish, not suspended, after the SCO reported completed, passed or failed."""
    return terminated and exit_value != "suspend" and (completed or success_status in ("passed", "failed"))


def entry_for(*, new_attempt: bool, last_exit: str) -> str:
    """cmi.entry / cmi.core.entry for the next session (both versions use the same words)."""
    if new_attempt:
        return "ab-initio"
    return "resume" if last_exit == "suspend" else ""


def learner_name(full_name: str) -> str:
    """SCORM's learner name "Family, Given": a Vietnamese name is family name first
    ("Nguyễn Văn An" → "Nguyễn, Văn An")."""
    parts = full_name.split()
    return f"{parts[0]}, {' '.join(parts[1:])}" if len(parts) > 1 else full_name.strip()


# --- SCOs and the lesson ---------------------------------------------------------------------

@dataclass(frozen=True)
class ScoResult:
    sco: str
    attempts: int
    completed: bool
    passed: bool | None
    score: float | None


@dataclass(frozen=True)
class LessonOutcome:
    completed: bool
    passed: bool | None
    score: float | None
    attempts: int


def sco_result(sco: str, attempts: list[Outcome], method: str) -> ScoResult:
    """One SCO over its attempts (oldest first): completed once any attempt completed, passed
    once any passed (False when some failed and none passed), score by the grading method."""
    successes = [a.passed for a in attempts if a.passed is not None]
    return ScoResult(sco=sco, attempts=len(attempts), completed=any(a.completed for a in attempts),
                     passed=True if any(successes) else (False if successes else None),
                     score=aggregate_score([a.score for a in attempts], method))


def lesson_outcome(items: list[Mapping[str, Any]], rule: str,
                   results: Mapping[str, ScoResult]) -> LessonOutcome:
    """The lesson from its SCOs. completed: every SCO (rule "all") or every SCO marked required
    (rule "required"; all of them when none is marked); score: the unweighted mean of the SCOs
    that have a score; passed: None when no SCO reports success, else every SCO that does passed."""
    scos = [i["identifier"] for i in items if i.get("is_sco")]
    counted = [i["identifier"] for i in items if i.get("is_sco") and i.get("required", True)]
    if rule != "required" or not counted:
        counted = scos
    empty = ScoResult("", 0, False, None, None)
    mine = [results.get(sco, empty) for sco in scos]
    scores = [r.score for r in mine if r.score is not None]
    successes = [r.passed for r in mine if r.passed is not None]
    return LessonOutcome(
        completed=bool(counted) and all(results.get(sco, empty).completed for sco in counted),
        passed=all(successes) if successes else None,
        score=sum(scores) / len(scores) if scores else None,
        attempts=sum(r.attempts for r in mine))
