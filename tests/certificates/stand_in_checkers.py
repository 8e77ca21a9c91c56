"""Stand-ins for the PAdES and credential checkers, for testing what surrounds them (dispatch,
limits, the page and the API) on a branch where the real ones are not merged, and for proving
that whatever a checker does wrong never becomes a 5xx.

`trusting` is the second half of a real checker without the first: it believes the code a file
carries (`code: XXXX-XXXX-XXXX-XXXX`, and `revision: N`) and asks the certificate row for the
status through the shared `verdict_for_code`, so its verdicts are the database's, not made up.
The real checkers are tested end to end in test_file_checks_real.py.
"""

from __future__ import annotations

import os
import re

from django.conf import settings

from certificates.file_checks import file_kind
from certificates.verdicts import FileVerdict, verdict_for_code

CODE = re.compile(rb"code: ?\"?([A-Z0-9-]{16,24})")
REVISION = re.compile(rb"revision: ?(\d+)")
SEEN: list[dict] = []


def trusting(data: bytes) -> FileVerdict:
    kind = file_kind(data)
    SEEN.append({"bytes": data, "temp_files": sorted(os.listdir(settings.FILE_UPLOAD_TEMP_DIR))
                 if settings.FILE_UPLOAD_TEMP_DIR else None})
    code = CODE.search(data)
    revision = REVISION.search(data)
    return verdict_for_code(kind=kind, code=code.group(1).decode() if code else "",
                            signed_by="Trần Văn Minh",
                            revision=int(revision.group(1)) if revision else None)


def crashes(data: bytes) -> FileVerdict:
    raise RecursionError("maximum recursion depth exceeded while parsing the xref table")


def answers_nonsense(data: bytes):
    return {"outcome": "valid"}


def answers_an_outcome_nobody_knows(data: bytes) -> FileVerdict:
    return FileVerdict(kind="pdf", outcome="probably fine")
