"""Semantics validation of content.json against the libraries' semantics.json, as warnings.

pyh5p runs each `regexp` pattern an author put in a semantics.json with Python's `re`, which
cannot be interrupted and can backtrack for seconds on crafted input. So it runs in a child
process (`_semantics_worker.py`) that caps its own memory and CPU, with a wall-clock timeout
here; on timeout the check is skipped with a warning. The child gets its own TMPDIR, so pyh5p
never writes to the shared, fixed-name `$TMPDIR/pyh5p-lib-*` folders. Findings are warnings
(NOTES.md: real Hub packages that play correctly produce some), never a rejection.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

WORKER = Path(__file__).with_name("_semantics_worker.py")


@dataclass(frozen=True)
class H5PWarning:
    # "semantics", "semantics_skipped", "missing_media", "ignored_file", "missing_editor_library"
    code: str
    message: str   # translated for the trainer
    path: str | None = None


def check_semantics(*, main: dict[str, Any], metadata: dict[str, Any], content: dict[str, Any],
                    files: dict[str, str], timeout: float) -> list[H5PWarning]:
    payload = json.dumps({"main": main, "metadata": metadata, "content": content, "files": files})
    with tempfile.TemporaryDirectory(prefix="h5p-semantics-") as private_tmp:
        env = {"PATH": os.environ.get("PATH", ""), "TMPDIR": private_tmp, "LANG": "C.UTF-8"}
        try:
            done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
                [sys.executable, "-I", str(WORKER), str(math.ceil(timeout) + 1)],
                input=payload.encode("utf-8"), capture_output=True, timeout=timeout, env=env,
                cwd=private_tmp, check=False,
            )
        except subprocess.TimeoutExpired:
            return [H5PWarning("semantics_skipped", _(
                "The content check took too long and was skipped; play the content once to check it."))]
    if done.returncode != 0:
        return [H5PWarning("semantics_skipped", _(
            "The content could not be checked against its content type; play it once to check it."))]
    try:
        result = json.loads(done.stdout)
    except ValueError:
        return [H5PWarning("semantics_skipped", _(
            "The content could not be checked against its content type; play it once to check it."))]
    warnings = [
        H5PWarning("semantics", _("Content check: %(detail)s")
                   % {"detail": f"{issue['path']}: {issue['message']}"}, path=issue["path"])
        for issue in result.get("issues", [])
    ]
    if result.get("truncated"):
        warnings.append(H5PWarning("semantics", _("Content check: more findings were left out.")))
    return warnings
