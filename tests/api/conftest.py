import pytest

# What the schemathesis run did (tests/api/test_fuzz.py), shown at the end of the session.
FUZZ_FIGURES = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = config.stash.get(FUZZ_FIGURES, [])
    if lines:
        terminalreporter.section("schemathesis")
        for line in lines:
            terminalreporter.write_line(line)
