"""Figures and their report: ratios against the bare baseline, a text table, JSON and markdown.

Pure: no Django, no network. Absolute figures drift from run to run on a shared machine, so
every HTTP figure is also given as a ratio against the bare DRF list measured in the same run.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASELINE = "bare-drf"  # the DRF list of 20 rows (see backend/api/bench.py)


@dataclass(frozen=True)
class LoadStats:
    """One HTTP scenario under closed-loop load: throughput and latency percentiles (ms)."""

    name: str
    path: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    clients: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class ImportStats:
    """One CSV import: rows in the file, the time it took and the memory it needed."""

    name: str
    rows: int
    created: int
    updated: int
    errors: int
    seconds: float
    peak_mb: float | None = None
    note: str = ""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Report:
    meta: dict = field(default_factory=dict)
    http: list[LoadStats] = field(default_factory=list)
    imports: list[ImportStats] = field(default_factory=list)

    def baseline(self) -> LoadStats | None:
        return next((s for s in self.http if s.name == BASELINE), None)

    def as_dict(self) -> dict:
        base = self.baseline()
        return {
            "meta": self.meta,
            "baseline": BASELINE,
            "http": [{**asdict(s), "ratio": ratios(s, base)} for s in self.http],
            "import": [{**asdict(i), "rows_per_second": round(i.rows_per_second, 1)}
                       for i in self.imports],
        }


def _ratio(value: float, base: float) -> float | None:
    return round(value / base, 3) if base else None


def ratios(stats: LoadStats, base: LoadStats | None) -> dict[str, float | None]:
    """Throughput as a share of the baseline's (higher is better) and latency as a multiple
    of the baseline's (lower is better)."""
    if base is None:
        return {"rps": None, "p50": None, "p95": None, "p99": None}
    return {"rps": _ratio(stats.rps, base.rps), "p50": _ratio(stats.p50, base.p50),
            "p95": _ratio(stats.p95, base.p95), "p99": _ratio(stats.p99, base.p99)}


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _rows(report: Report) -> tuple[list[list[str]], list[list[str]]]:
    base = report.baseline()
    http = [["scenario", "path", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors",
             "rps ×base", "p50 ×base", "p95 ×base", "p99 ×base"]]
    for s in report.http:
        r = ratios(s, base)
        http.append([s.name, s.path, _fmt(s.rps), _fmt(s.p50, 0), _fmt(s.p95, 0), _fmt(s.p99, 0),
                     f"{s.failures}/{s.requests}", _fmt(r["rps"], 2), _fmt(r["p50"], 2),
                     _fmt(r["p95"], 2), _fmt(r["p99"], 2)])
    imports = [["import", "rows", "created", "updated", "errors", "seconds", "rows/s", "+peak MB",
                "note"]]
    for i in report.imports:
        imports.append([i.name, str(i.rows), str(i.created), str(i.updated), str(i.errors),
                        _fmt(i.seconds, 2), _fmt(i.rows_per_second, 0), _fmt(i.peak_mb),
                        i.note])
    return http, imports


def _text_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if c < 2 or c == len(widths) - 1 else cell.rjust(w)
                       for c, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _markdown_table(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out)


def _meta_line(meta: dict) -> str:
    keys = ("started", "db", "users", "clients", "duration", "workers", "commit")
    return ", ".join(f"{k}={meta[k]}" for k in keys if k in meta)


def format_text(report: Report) -> str:
    http, imports = _rows(report)
    parts = [f"Benchmark ({_meta_line(report.meta)})"]
    if len(http) > 1:
        parts += ["", _text_table(http), f"(×base: against {BASELINE} in this run; "
                  "rps ×base > 1 is faster, latency ×base > 1 is slower)"]
    if len(imports) > 1:
        parts += ["", _text_table(imports)]
    return "\n".join(parts)


def format_markdown(report: Report) -> str:
    http, imports = _rows(report)
    parts = ["# Benchmark results", "", _meta_line(report.meta), ""]
    if len(http) > 1:
        parts += ["## HTTP (closed-loop load, loopback)", "", _markdown_table(http), "",
                  f"Ratios are against `{BASELINE}` measured in the same run.", ""]
    if len(imports) > 1:
        parts += ["## CSV user import", "", _markdown_table(imports), ""]
    return "\n".join(parts)


def write_results(report: Report, directory: Path, stamp: str) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"bench-{stamp}.json"
    md_path = directory / f"bench-{stamp}.md"
    json_path.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    md_path.write_text(format_markdown(report), encoding="utf-8")
    for latest, path in (("latest.json", json_path), ("latest.md", md_path)):
        (directory / latest).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return json_path, md_path
