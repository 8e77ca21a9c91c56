"""gunicorn on a free loopback port for the length of a `with` block."""

from __future__ import annotations

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


class Gunicorn:
    """`gunicorn backend.wsgi` with sync workers (never slower than gthread on this machine,
    see NOTES.md), no control socket, errors to a log file under the results directory."""

    def __init__(self, env: dict[str, str], *, workers: int, log_dir: Path, timeout: int = 300):
        self.env, self.workers, self.timeout = env, workers, timeout
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
             "--worker-class", "sync", "--timeout", str(self.timeout), "--no-control-socket",
             "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self, seconds: float = 90) -> None:  # 2 workers booting on a busy machine
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
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return memory
        for pid in map(int, children.split()):
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
