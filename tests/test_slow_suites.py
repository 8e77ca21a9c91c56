"""The slow-suite list names files that exist: a renamed file would otherwise fall silently back
into `make test` (and the list would mark nothing)."""

from pathlib import Path

from tests.conftest import ROOT, SLOW_SUITES


def test_every_slow_suite_is_a_test_file():
    missing = [path for path in SLOW_SUITES if not (Path(ROOT) / path).is_file()]
    assert not missing
    assert all(Path(path).name.startswith("test_") for path in SLOW_SUITES)
