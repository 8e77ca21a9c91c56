"""py-spy flame graphs of the gunicorn workers while a scenario runs (`run.py --profile`).

py-spy samples the real worker processes under the scenario's load (50 samples/s each, idle
frames dropped), so the graph shows where the served requests spend their time, database
waits included (`psycopg ... wait`). One SVG per scenario, `flame-<scenario>.svg`, plus the
collapsed stacks (`flame-<scenario>.txt`, one line per stack with its sample count) that
`summarise` turns into the share of time per function (`flame-<scenario>-top.txt`).
Sampling costs CPU on the same cores: compare ratios from runs without `--profile`."""

from __future__ import annotations

import collections
import shutil
import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path

PY_SPY = shutil.which("py-spy") or str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "py-spy")


_master_pid: int | None = None


def enable(master_pid: int) -> None:
    """Record from now on: `phase()` blocks sample this gunicorn master's workers."""
    global _master_pid
    _master_pid = master_pid


@contextmanager
def phase(name: str, out_dir: Path):
    """Sample the workers (`--subprocesses` of the master) while the block's load runs (the
    measured phase only: no logins, no warm-up); nothing unless `enable()` was called."""
    if _master_pid is None:
        yield
        return
    master_pid = _master_pid
    procs = []
    for fmt, suffix in (("flamegraph", "svg"), ("raw", "txt")):
        procs.append(subprocess.Popen(
            [PY_SPY, "record", "--pid", str(master_pid), "--subprocesses", "--rate", "50",
             "--format", fmt, "--output", str(out_dir / f"flame-{name}.{suffix}"), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        yield
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl-C
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        summary = summarise(out_dir / f"flame-{name}.txt")
        if summary:
            (out_dir / f"flame-{name}-top.txt").write_text(summary, encoding="utf-8")


def summarise(raw: Path, top: int = 45) -> str:
    """Share of the request time per function (inclusive, and own), from py-spy's collapsed
    stacks (`frame;frame;... count` per line): only samples inside Django's WSGI handler count,
    so gunicorn's idle accept loop and the frames above the handler drop out."""
    if not raw.exists():
        return ""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = idle = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        entry = next((i for i, f in enumerate(frames) if f.startswith("WSGIHandler.__call__")), None)
        if entry is None:
            idle += int(count)
            continue
        n = int(count)
        total += n
        for frame in set(frames[entry + 1:]):
            inclusive[frame] += n
        own[frames[-1]] += n
    if not total:
        return ""
    lines = [f"{total} samples in requests ({idle} outside: idle workers, gunicorn)", "",
             "inclusive %  function"]
    lines += [f"{100 * n / total:10.1f}  {f}" for f, n in inclusive.most_common(top)]
    lines += ["", "    own %  function"]
    lines += [f"{100 * n / total:9.1f}  {f}" for f, n in own.most_common(top)]
    return "\n".join(lines) + "\n"
