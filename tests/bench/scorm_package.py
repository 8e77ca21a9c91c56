"""Time and peak memory of validating and unpacking generated SCORM packages of growing size.

    DJANGO_DEBUG=1 .venv/bin/python tests/bench/scorm_package.py [10 100]

Each size (MB of incompressible video in 1 MB files, plus 300 small scripts and one SCO page:
tests/scorm/packages.py `large_package`) is measured in a fresh child process: tracemalloc's
peak of Python allocations and the process's peak RSS. Memory must stay flat as the archive
grows: members are streamed, never read whole. The baseline is a plain `zipfile.extractall` of
the same archive in the same child (`ratio` = validate + store time / extractall time).
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the project root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.package_upload import main, setup


def measure(path: Path) -> dict:
    import resource

    setup()
    from courses.scorm.package import limits, validate_package
    from courses.scorm.storage import store_package

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "scorm"
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        started = time.perf_counter()
        validated = validate_package(path, limits=limits())
        validate_s = time.perf_counter() - started
        _, validate_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        started = time.perf_counter()
        store_package(path, validated, package_key="bench", root=root)
        store_s = time.perf_counter() - started
        _, store_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        started = time.perf_counter()
        with zipfile.ZipFile(path) as archive:
            archive.extractall(Path(tmp) / "plain")
        extract_s = time.perf_counter() - started
        return {
            "archive_mb": round(path.stat().st_size / 2**20, 1), "files": len(validated.files),
            "validate_s": round(validate_s, 3), "validate_peak_kib": validate_peak // 1024,
            "store_s": round(store_s, 3), "store_peak_kib": store_peak // 1024,
            "extractall_s": round(extract_s, 3),
            "ratio_to_extractall": round((validate_s + store_s) / extract_s, 1) if extract_s else None,
            "rss_before_mib": round(rss_before / 1024, 1),
            "rss_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }


def _build(path: Path, size: int) -> None:
    from tests.scorm.packages import large_package

    large_package(path, media_mb=size)


if __name__ == "__main__":
    main(__file__, measure, _build, ".zip")
