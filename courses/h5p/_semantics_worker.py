"""Run pyh5p semantics validation on one package, in a child process (see semantics.py for why).

Input on stdin (JSON): {"main": {...library id...}, "metadata": {...h5p.json...},
"content": {...content.json...}, "files": {"<Name-maj.min>/library.json": "<text>", ...}}.
Output on stdout (JSON): {"issues": [{"path": ..., "message": ..., "keyword": ...}, ...]}.

Run as a plain script (`python -I this_file`): it imports only the standard library and pyh5p,
never Django or the project, and limits its own memory and CPU before reading anything.
"""

import json
import resource
import sys

MEMORY_BYTES = 512 * 1024 * 1024
MAX_ISSUES = 200


def _limit_self(cpu_seconds: int) -> None:
    for limit, value in ((resource.RLIMIT_AS, MEMORY_BYTES), (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            _soft, hard = resource.getrlimit(limit)
            cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (cap, hard))
        except (ValueError, OSError):
            pass


def main() -> int:
    cpu_seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    _limit_self(cpu_seconds)
    from pyh5p.content import H5PContent
    from pyh5p.library import LibraryId, LibraryStore

    payload = json.load(sys.stdin)
    files = {name: text.encode("utf-8") for name, text in payload["files"].items()}
    content = H5PContent(
        LibraryStore(),  # no sources, no cache dir: nothing is looked up outside `files`
        LibraryId.parse(payload["main"]),
        payload["content"],
        payload["metadata"],
        packaged_files=files,
    )
    issues = content.validate()
    out = [{"path": i.path, "message": i.message, "keyword": i.keyword} for i in issues[:MAX_ISSUES]]
    json.dump({"issues": out, "truncated": len(issues) > MAX_ISSUES}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
