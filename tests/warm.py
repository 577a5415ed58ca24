"""The command line run from a warm interpreter: one fork per command, as a fresh process would run it.

Starting Python and importing the package, pydantic and the renderers costs 0.4-1 s a run, and the tests run
the command line some 150 times. A helper process imports them once and forks a child for each run. The
child is a process of its own, as `python -m generator` would be: its own working folder, environment,
standard output and error (files the caller reads), exit code and process group; nothing the helper did
before leaks into it, since the helper only imports.

What a forked child cannot take from a new environment is what Python reads as it starts: the locale
(LANG, LC_*) and the PYTHON* variables. A run that sets those goes to a real new interpreter instead.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Read by the interpreter as it starts, so a fork of a started one cannot take them.
AT_START = ("LANG", "LC_", "PYTHON")
TIMEOUT = 600  # seconds, as run_cli gave subprocess.run

HELPER = r"""
import importlib, json, os, pkgutil, sys, tempfile, traceback
import generator
from generator.cli.main import run

# What runs import: every module of the toolkit, and the libraries its modules import when first needed.
for module in pkgutil.walk_packages(generator.__path__, "generator."):
    if module.name != "generator.__main__":  # which would run the command line
        importlib.import_module(module.name)
for name in ("matplotlib.pyplot", "opencc", "css_inline", "segno", "PIL.Image", "fontTools.subset", "docx",
             "weasyprint", "openpyxl", "pandas"):
    importlib.import_module(name)


def child(request):
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    tempfile.tempdir = None  # read TMPDIR again
    os.setpgid(0, 0)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, path in ((1, request["out"]), (2, request["err"])):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    sys.argv = ["aidreport", *request["args"]]
    code = 0
    try:
        run()
    except SystemExit as exc:  # as the interpreter ends on one
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        child(request)
    sys.stdout.write(json.dumps(pid) + "\n")
    sys.stdout.flush()
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(json.dumps(os.waitstatus_to_exitcode(status)) + "\n")
    sys.stdout.flush()
"""


class Warm:
    """One helper process per test process, started at its first run."""

    def __init__(self) -> None:
        self.helper: subprocess.Popen | None = None
        self.folder = Path(tempfile.mkdtemp(prefix="aidreport-warm-"))

    def _started(self) -> subprocess.Popen:
        if self.helper is None or self.helper.poll() is not None:
            self.helper = subprocess.Popen([sys.executable, "-c", HELPER], cwd=ROOT, stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, text=True, env=os.environ.copy())
        return self.helper

    def run(self, args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
        helper = self._started()
        out, err = self.folder / "out", self.folder / "err"
        request = {"args": args, "cwd": str(cwd), "env": env, "out": str(out), "err": str(err)}
        helper.stdin.write(json.dumps(request) + "\n")
        helper.stdin.flush()
        pid = json.loads(self._reply(helper))
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            os.killpg(pid, signal.SIGKILL)  # its own group: the child and its workers

        timer = threading.Timer(TIMEOUT, expire)
        timer.start()
        try:
            code = json.loads(self._reply(helper))
        finally:
            timer.cancel()
        if expired.is_set():
            raise subprocess.TimeoutExpired(["aidreport", *args], TIMEOUT)
        return subprocess.CompletedProcess(["aidreport", *args], code, _text(out), _text(err))

    @staticmethod
    def _reply(helper: subprocess.Popen) -> str:
        reply = helper.stdout.readline()
        if not reply:
            raise RuntimeError(f"the warm helper ended (exit {helper.wait()})")
        return reply

    def close(self) -> None:
        if self.helper is not None and self.helper.poll() is None:
            self.helper.stdin.close()
            self.helper.wait(timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def _text(path: Path) -> str:
    with open(path, encoding="utf-8", newline=None) as fh:  # as subprocess.run(text=True) decodes
        return fh.read()


def needs_new_interpreter(env: dict[str, str]) -> bool:
    return any(key.startswith(AT_START) for key in env)
