"""The app boundaries of docs/decisions/0060-what-frontend-may-import.md hold as written.

`lint-imports` (run by `make test`) checks the imports; these tests check the contracts
themselves, which a careless edit could weaken without any import failing.
"""

from __future__ import annotations

import ast
import importlib
import tomllib
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OTHER_APPS = {"backend", "courses", "assessments", "certificates"}


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def _frontend_contract() -> dict:
    [contract] = [c for c in _contracts() if "frontend" in c.get("source_modules", [])]
    return contract


def test_frontend_is_a_source_and_every_other_app_is_forbidden_to_it():
    contract = _frontend_contract()
    assert contract["type"] == "forbidden"
    assert set(contract["forbidden_modules"]) == OTHER_APPS  # an allow-list, not a blocklist


def test_every_published_module_the_contracts_allow_exists():
    """A typo in an ignored import would allow nothing and fail no import: catch it here."""
    for contract in _contracts():
        for expression in contract.get("ignore_imports", []):
            allowed = expression.split("->")[1].strip().removesuffix(".**")
            assert find_spec(allowed) is not None, (contract["name"], expression)


def test_names_the_pages_import_from_an_api_are_declared_in_its_all():
    """What an api publishes is its `__all__`: a page may not lean on a name an api imports
    for its own use (say `courses.api.selectors`)."""
    undeclared = []
    for path in sorted((ROOT / "frontend").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".api") \
                    and node.module.split(".")[0] in OTHER_APPS:
                published = set(importlib.import_module(node.module).__all__)
                undeclared += [f"{path.name}: {node.module}.{a.name}" for a in node.names
                               if a.name not in published]
    assert undeclared == []


def test_attributes_the_pages_use_of_an_api_are_declared_in_its_all():
    """`courses_api.x` in a page: `x` must be published too."""
    aliases = {"courses_api": "courses.api", "assessments_api": "assessments.api",
               "certificates_api": "certificates.api", "accounts_api": "backend.accounts.api",
               "h5p_api": "courses.h5p.api"}
    undeclared = []
    for path in sorted((ROOT / "frontend").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in aliases:
                module = importlib.import_module(aliases[node.value.id])
                if node.attr not in module.__all__:
                    undeclared.append(f"{path.name}: {aliases[node.value.id]}.{node.attr}")
    assert undeclared == []
