"""What the upload benchmarks of H5P and SCORM packages share (tests/bench/h5p_package.py,
tests/bench/scorm_package.py): Django set up in a child process, and one fresh child per package
size, run twice (the first pays for cold imports and caches), printing the second's figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()


def main(script: str, measure: Callable[[Path], dict], build: Callable[[Path, int], None],
         suffix: str) -> None:
    """`script --child <path>` measures one package; `script [sizes…]` builds and measures each."""
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    setup()
    for size in [int(a) for a in sys.argv[1:]] or [10, 100]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"big{suffix}"
            build(path, size)
            for _run in range(2):
                out = subprocess.run([sys.executable, script, "--child", str(path)], capture_output=True,
                                     text=True, check=True, cwd=ROOT)
            print({"media_mb": size, **json.loads(out.stdout.strip().splitlines()[-1])})
