"""gunicorn on a free loopback port for the length of a `with` block."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.bench.environment import ROOT


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


WORKER_CLASSES = ("sync", "gthread", "gevent")


class Gunicorn:
    """`gunicorn backend.wsgi`, no control socket, errors to a log file under the results
    directory. Sync workers by default (as fast as gthread in a closed loop of a few clients);
    `worker_class="gthread"` with `threads` per worker is what the open-loop exam surge chose
    (docs/decisions/0070-exam-surge-worker-model.md); `gevent` takes `worker_connections`
    (each concurrent request then holds its own database connection: bound it)."""

    def __init__(self, env: dict[str, str], *, workers: int, log_dir: Path, timeout: int = 300,
                 worker_class: str = "sync", threads: int = 1, worker_connections: int = 1000):
        if worker_class not in WORKER_CLASSES:
            raise SystemExit(f"Unknown gunicorn worker class {worker_class!r}: {', '.join(WORKER_CLASSES)}")
        self.env, self.workers, self.timeout = env, workers, timeout
        self.worker_class, self.threads, self.worker_connections = worker_class, threads, worker_connections
        self.port = free_port()
        self.host = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "backend.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
             *self.worker_args(), "--timeout", str(self.timeout), "--no-control-socket",
             "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_ready()
        return self

    def worker_args(self) -> list[str]:
        args = ["--worker-class", self.worker_class]
        if self.worker_class == "gthread":
            args += ["--threads", str(self.threads)]
        if self.worker_class in ("gthread", "gevent"):
            args += ["--worker-connections", str(self.worker_connections)]
        return args

    @property
    def model(self) -> str:
        """The worker model in one phrase, for reports: "2 sync", "2 gthread x 4"."""
        suffix = f" x {self.threads}" if self.worker_class == "gthread" else ""
        if self.worker_class == "gevent":
            suffix = f" ({self.worker_connections} connections)"
        return f"{self.workers} {self.worker_class}{suffix}"

    def cpu_seconds(self) -> float:
        """User + system CPU seconds of the workers alive now (from /proc; Linux)."""
        total = 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def _wait_ready(self, seconds: float = 120) -> None:  # 2 workers booting on a busy machine
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(self.host + "/bench/bare/json/", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s; see {self.log_path}")

    def worker_memory(self) -> dict[int, tuple[float, float]]:
        """{worker pid: (current RSS, peak RSS)} in MB, from /proc (Linux)."""
        memory = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text().splitlines()
            except OSError:
                continue
            fields = {line.split(":")[0]: line.split()[1] for line in status if line.startswith("Vm")}
            memory[pid] = (int(fields.get("VmRSS", 0)) / 1024, int(fields.get("VmHWM", 0)) / 1024)
        return memory

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
