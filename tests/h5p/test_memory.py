"""Memory must not grow with the archive: members are streamed, never read whole."""

import tracemalloc

from courses.h5p.archive import H5PLimits
from courses.h5p.package import validate_package
from courses.h5p.storage import libraries_dir, store_package
from tests.h5p.builders import big_package


def peak_bytes(path, root):
    tracemalloc.start()
    try:
        validated = validate_package(path, limits=H5PLimits(), library_store_dir=libraries_dir(root),
                                     player_core_api=(1, 26), semantics=False)
        store_package(path, validated, root=root, content_key="k")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_does_not_grow_with_archive_size(tmp_path):
    small, large = tmp_path / "small.h5p", tmp_path / "large.h5p"
    big_package(small, media_mb=2, libraries=5)
    big_package(large, media_mb=24, libraries=5)
    small_peak = peak_bytes(small, tmp_path / "a")
    large_peak = peak_bytes(large, tmp_path / "b")
    assert large_peak < small_peak + 512 * 1024  # 22 MB more archive, under 0.5 MB more memory
    assert large_peak < 4 * 1024 * 1024
