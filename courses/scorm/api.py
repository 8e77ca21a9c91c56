"""What SCORM publishes for other apps and the web pages (docs/decisions/0060): the learner's
result and attempts of a SCORM lesson, for reports and progress pages."""

from __future__ import annotations

from courses.scorm.results import AttemptData, attempts_for, result_for

__all__ = [
    "AttemptData",
    "attempts_for",
    "result_for",
]
