"""Time and peak memory of validating and unpacking generated H5P packages of growing size.

    DJANGO_DEBUG=1 .venv/bin/python tests/bench/h5p_package.py [10 100]

Each size (MB of incompressible media, plus 30 small libraries) is measured in a fresh child
process: tracemalloc's peak of Python allocations, and the process's peak RSS. Memory must stay
flat as the archive grows: members are streamed, never read whole.

Also measured in the same child: a second upload of the same package (its 31 libraries are
reused, only the content is unpacked), and, as the baseline, a plain `zipfile.extractall` of
the archive (`ratio` = validate + store time / extractall time).
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
    from courses.h5p.archive import H5PLimits
    from courses.h5p.package import validate_package
    from courses.h5p.storage import libraries_dir, store_package

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "h5p"
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        started = time.perf_counter()
        validated = validate_package(path, limits=H5PLimits(), library_store_dir=libraries_dir(root),
                                     player_core_api=(1, 26))
        validate_s = time.perf_counter() - started
        _, validate_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        started = time.perf_counter()
        stored = store_package(path, validated, root=root, content_key="bench")
        store_s = time.perf_counter() - started
        _, store_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        started = time.perf_counter()
        again = validate_package(path, limits=H5PLimits(), library_store_dir=libraries_dir(root),
                                 player_core_api=(1, 26))
        reused = store_package(path, again, root=root, content_key="bench-again")
        second_s = time.perf_counter() - started
        started = time.perf_counter()
        with zipfile.ZipFile(path) as archive:
            archive.extractall(Path(tmp) / "plain")
        extract_s = time.perf_counter() - started
        return {
            "archive_mb": round(path.stat().st_size / 2**20, 1),
            "libraries": len(validated.libraries), "added": len(stored.added_libraries),
            "validate_s": round(validate_s, 3), "validate_peak_kib": validate_peak // 1024,
            "store_s": round(store_s, 3), "store_peak_kib": store_peak // 1024,
            "second_upload_s": round(second_s, 3), "second_added": len(reused.added_libraries),
            "extractall_s": round(extract_s, 3),
            "ratio_to_extractall": round((validate_s + store_s) / extract_s, 1) if extract_s else None,
            "rss_before_mib": round(rss_before / 1024, 1),
            "rss_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }


def _build(path: Path, size: int) -> None:
    from tests.h5p.builders import big_package

    big_package(path, media_mb=size, libraries=30)


if __name__ == "__main__":
    main(__file__, measure, _build, ".h5p")
