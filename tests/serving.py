"""A running `aidreport serve` on a copy of the project, for test_serve.py and test_browser.py."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import ROOT, Built

FACT = "{id: baoshan-workers-local, measure: workers-employed-locally, value: 11281,"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """The server process, what it printed so far, and its project's files."""

    def __init__(self, project: Path, port: int, *args: str):
        self.project, self.port = project, port
        self.url = f"http://127.0.0.1:{port}/"
        self.proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(project), "serve", "--port",
                                      str(port), *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=lambda s=stream, into=lines: into.extend(iter(s.readline, "")),
                             daemon=True).start()

    def wait_for(self, text: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.out + self.err):
            assert self.proc.poll() is None, f"serve ended: {''.join(self.out + self.err)}"
            assert time.monotonic() < deadline, f"no {text!r} in {''.join(self.out + self.err)}"
            time.sleep(0.1)

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def state(self) -> dict:
        return json.loads(self.get("/__aidreport/state")[2])

    def wait_state(self, check, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while not check(state := self.state()):
            assert time.monotonic() < deadline, f"state stayed {state}; printed: {''.join(self.out + self.err)}"
            time.sleep(0.2)
        return state

    def open_page(self, path: str) -> None:
        """Keep a page open, as a browser does: its script polls the state with its path every 0.4 s."""
        def poll() -> None:
            while self.proc.poll() is None:
                try:
                    self.get(f"/__aidreport/state?page={path}")
                except OSError:
                    pass  # stopping
                time.sleep(0.4)

        threading.Thread(target=poll, daemon=True).start()

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.project / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")

    def interrupt(self) -> tuple[int, str, str]:
        """Press Ctrl-C; return the exit code and everything printed."""
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=60)
        time.sleep(0.2)  # the reader threads take the last lines
        return code, "".join(self.out), "".join(self.err)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def project_with_output(project: Path, built: Built) -> Path:
    """Give the copied project the session's build (of the same data): serve starts up to date."""
    shutil.copytree(built.output, project / "output")
    return project
