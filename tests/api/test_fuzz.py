"""Property-based probing of the whole REST API with schemathesis, from its own OpenAPI schema.

Every operation of /api/schema/ gets generated requests (valid and invalid), each sent to the live
test server as anonymous, trainee, trainer and administrator (allauth headless session tokens) of
a small world (tests/api/world.py) whose ids sometimes appear in paths. A response fails when it
is a server error, or when its status code or body is not what the schema documents.

`make test` runs the bounded profile: 5 examples per operation, a fixed seed, deterministic
generation, no shrinking (20-60 s here). `make fuzz` (FUZZ=1) runs 60 examples and the coverage
phase, shrinks failures, adds every other schemathesis check and draws a seed (printed with the
figures; FUZZ_SEED=<n> replays it, FUZZ_EXAMPLES=<n> changes the count). See decision 0044."""

from __future__ import annotations

import os
import random
import time

import pytest
import requests
import schemathesis
from django.core.cache import cache
from hypothesis import strategies as st
from schemathesis.core.failures import FailureGroup
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.specs.openapi import checks as openapi_checks

from tests.api.conftest import FUZZ_FIGURES
from tests.api.world import PASSWORD, build_world, path_values

FUZZ = os.environ.get("FUZZ") == "1"
ROLES = {"anonymous": None, "trainee": "trainee_a", "trainer": "trainer_a", "administrator": "admin_a"}

# Bounded run: these three. `make fuzz`: None, i.e. every check schemathesis enables by default.
CHECKS = None if FUZZ else [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
                            openapi_checks.response_schema_conformance]



# The bounded run always uses this seed; `make fuzz` draws one (printed: FUZZ_SEED=<n> replays it).
SEED = int(os.environ.get("FUZZ_SEED") or (random.SystemRandom().randrange(10**8) if FUZZ else 20261210))


def fuzz_config() -> schemathesis.Config:
    examples = int(os.environ.get("FUZZ_EXAMPLES", "60" if FUZZ else "5"))
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": examples, "deterministic": not FUZZ,
                       "no-shrink": not FUZZ, "database": "none", "with-security-parameters": False},
        "phases": {"coverage": {"enabled": FUZZ}, "stateful": {"enabled": False}},
        "suppress-health-check": ["all"],
    })


class Tally:
    """What the run did, printed at the end (the figures the issue asks for)."""

    def __init__(self):
        self.started = time.perf_counter()
        self.operations: set[str] = set()
        self.examples = 0
        self.calls = 0
        self.failures = 0

    def report(self) -> str:
        return (f"schemathesis (seed {SEED}): {len(self.operations)} operations, {self.examples} examples, "
                f"{self.calls} requests, {self.failures} failing examples, "
                f"{time.perf_counter() - self.started:.0f} s")


@pytest.fixture
def fuzz_world(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    world = build_world()
    tokens = {}
    for role, person in ROLES.items():
        if person is None:
            tokens[role] = {}
            continue
        response = requests.post(f"{live_server.url}/_allauth/app/v1/auth/login", timeout=30,
                                 json={"email": world.user(person).email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        tokens[role] = {"X-Session-Token": response.json()["meta"]["session_token"]}
    yield world, tokens
    cache.clear()  # rate-limit counters of 127.0.0.1 (verification, logins) must not reach other tests


@pytest.fixture
def api_schema(live_server, fuzz_world):
    """The schema as a client fetches it, with generation steered towards the world's ids."""
    world, _tokens = fuzz_world
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json",
                                           config=fuzz_config())
    schema.config.update(base_url=live_server.url)

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        # Often the path names a real object of the world, so the operation gets to do its work.
        real = path_values(world, context.operation.path)
        return st.one_of(strategy, st.just(real)) if real else strategy

    return schema


@pytest.fixture(scope="module")
def tally(request):
    counts = Tally()
    yield counts
    request.config.stash.setdefault(FUZZ_FIGURES, []).append(counts.report())


def run_each_operation(schema, subtests, probe) -> None:
    """One subtest per operation, each a Hypothesis test built by schemathesis from its config
    (modes, examples, seed, hooks). `schemathesis.pytest.from_fixture` would do this, but its
    4.32 release reads pytest's private `Node._nodeid`, which pytest 9.2 no longer has."""
    for built in get_all_tests(schema=schema, test_func=probe, settings=None, given_kwargs=None):
        operation, test = built.ok()  # an operation the schema cannot describe fails here
        with subtests.test(msg=operation.label):
            try:
                test()
            except FailureGroup as group:
                raise AssertionError(str(group)) from None


def prober(fuzz_world, tally):
    _world, tokens = fuzz_world

    def probe(case):
        tally.operations.add(case.operation.label)
        tally.examples += 1
        problems = []
        for role, headers in tokens.items():
            response = case.call(headers=headers, timeout=60)
            tally.calls += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                problems.append(f"as {role}: {group}")
        if problems:
            tally.failures += 1
            raise AssertionError("\n".join(problems))

    return probe


def test_api_conforms_to_its_schema(api_schema, fuzz_world, tally, subtests):
    run_each_operation(api_schema.exclude(method="DELETE"), subtests, prober(fuzz_world, tally))


def test_api_deletions_conform_to_its_schema(api_schema, fuzz_world, tally, subtests):
    """Deletions run apart, on a fresh world, so they do not take objects from the others."""
    run_each_operation(api_schema.include(method="DELETE"), subtests, prober(fuzz_world, tally))
