"""aidreport serve: a local preview of output/ that rebuilds on every change and reloads the open page.

Three threads besides the main one: the HTTP server (output/ on 127.0.0.1, nothing else; localhttp.py), the
watcher (data/ and templates/, with watchfiles) and the builder (one build at a time; changes that
arrive during a build are gathered into one more). A change is built in passes, each a build of its own
that commits what it made: the HTML first, then the PDF of the pages open in the browser, then every
other format. A change saved during the later passes gives them up (nothing of theirs is written), so
that its HTML comes first again. Every HTML response gets templates/serve.js at serve time (never on
disk): it polls /__aidreport/state?page=<its path>, which tells the builder what is open; it reloads
the page when the generation advances, says which formats are still being made, and shows the build's
problems over the last good output, which a failed build leaves as it was.
"""

from __future__ import annotations

import errno
import gc
import json
import mimetypes
import secrets
import signal
import socketserver
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from ..build.run import Progress, build
from ..build.stamp import FORMATS
from ..errors import AidReportError, BuildError, relpath, warned
from ..writers import document_of
from .localhttp import LocalHandler, LocalServer
from .preview_edit import EDIT, EditorRoutes

HOST = "127.0.0.1"
PORT = 8800
STATE = "/__aidreport/state"
SCRIPT = "templates/serve.js"
EDIT_SCRIPT = "templates/edit.js"
POLL_MS = 400
OPEN_FOR = 3.0  # seconds: a page that polled this recently is open in the browser
NO_CACHE = {"Cache-Control": "no-store, no-cache, must-revalidate, max-age=0", "Pragma": "no-cache", "Expires": "0"}
EMPTY_PAGE = "<!doctype html><html><head><meta charset=\"utf-8\"><title>aidreport</title></head><body></body></html>"

Say = Callable[..., None]  # say(line, err=False)


@dataclass
class State:
    """What the open page polls: the generation of the HTML, whether a build runs and which formats it is
    making, the last problems and the warnings of the last build's check (a figure that no longer matches
    its printed:, say)."""

    generation: int = 0
    building: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    making: list[str] = field(default_factory=list)

    def json(self) -> bytes:
        return json.dumps({"generation": self.generation, "building": self.building, "errors": self.errors,
                           "warnings": self.warnings, "making": self.making}, ensure_ascii=False).encode("utf-8")


class _Stopped(Exception):
    """The server is stopping: the build in progress gives up between two documents."""


class _Superseded(Exception):
    """A change was saved during a pass after the HTML: it gives up, and the new change's HTML comes first."""


class _Progress(Progress):
    def __init__(self, builder: Builder):
        self.builder = builder

    def preparing_fonts(self) -> None:
        self.builder.say("preparing fonts (not cached yet; later builds reuse them)…")

    def finished(self, label: str, reasons: list[str], done: int, total: int) -> None:
        if self.builder.stopping:
            raise _Stopped
        if self.builder.yielding and self.builder.pending:
            raise _Superseded


class Builder:
    """Builds the project in its own thread, one build at a time; the first build starts at once."""

    def __init__(self, root: Path, say: Say, formats: tuple[str, ...] = FORMATS):
        self.root, self.say = root, say
        self.formats = ("html", *(f for f in formats if f != "html"))  # the HTML first, always
        self.state = State()
        self.changed = threading.Condition()
        self.pending: set[str] = {"start"}
        self.stopping = False
        self.ready = threading.Event()  # the first HTML build is over (made or failed)
        self.yielding = False  # the pass under way gives up for a new change (every pass after the HTML)
        self.open: dict[str, float] = {}  # the documents (lang/folder/name) whose pages poll, and when they last did

    def viewing(self, page: str) -> None:
        """Note that a page of output/ (its URL path) is open in the browser."""
        parts = [p for p in unquote(page).split("/") if p]
        if len(parts) >= 3 and parts[-1].endswith(".html") and not any(p.startswith(".") for p in parts):
            self.open[document_of("/".join(parts))] = time.monotonic()

    def open_documents(self) -> list[str]:
        """The documents whose pages polled lately and that the last HTML pass made (a page left open on a
        document whose record was removed names nothing to build)."""
        now = time.monotonic()
        output = self.root / "output"
        return sorted(stem for stem, when in list(self.open.items())
                      if now - when <= OPEN_FOR and (output / f"{stem}.html").is_file())

    def request(self, paths: set[str]) -> None:
        with self.changed:
            self.pending |= paths
            self.changed.notify()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify()

    def run(self) -> None:
        while True:
            with self.changed:
                while not self.pending and not self.stopping:
                    self.changed.wait()
                if self.stopping:
                    return
                paths, self.pending = sorted(self.pending - {"start"}), set()
                self.state.building = True
            try:
                self._rebuild(paths)
            except _Stopped:
                return
            except _Superseded:
                pass  # the next round builds the new change, and what this pass had left
            finally:
                self.state.building = False
                self.state.making = []
                self.ready.set()  # also when the build failed or stopped: the main thread waits for it

    def _rebuild(self, paths: list[str]) -> None:
        """Build the HTML and publish it; then the PDF of the open pages, then the other formats."""
        later = [f for f in self.formats if f != "html"]
        made = self._pass(("html",), paths, later)
        self.ready.set()
        if not made or not later:
            return
        opened = self.open_documents()
        if "pdf" in later and opened:
            self._pass(("pdf",), [], later, tuple(opened))
        self._pass(self.formats, [], [])

    def _pass(self, formats: tuple[str, ...], paths: list[str], later: list[str],
              only: tuple[str, ...] = ()) -> bool:
        """Build these formats (of the only documents, if given); later: the formats still to make after it."""
        start = time.monotonic()
        self.yielding = formats != ("html",)
        if self.yielding and self.pending:
            raise _Superseded
        self.state.making = [f for f in self.formats if f != "html" or not self.yielding]
        gc.unfreeze()  # a build freezes what it loaded; the last build's leftovers go now
        gc.collect()
        try:
            # The HTML in this process, which has loaded the libraries; the other formats in forked workers,
            # one per core (the open pages' languages side by side), which take what layout leaves in a
            # process with them: this one, serving for hours, stays as fast as it started.
            report = build(self.root, None, formats, 1 if formats == ("html",) else None, False, _Progress(self),
                           only)
        except AidReportError as exc:
            self._failed(exc.lines())
            return False
        except (_Stopped, _Superseded):
            raise
        except Exception as exc:  # a bug: shown like a problem, and the server keeps running
            self._failed([f"internal error: {type(exc).__name__}: {exc} (please report it)"])
            return False
        html = formats == ("html",)
        first = not self.ready.is_set()
        reload = html and bool(report.written or self.state.errors or first)
        if report.warnings != self.state.warnings:
            for line in report.warnings:
                self.say(line, err=True)
        self.state = State(self.state.generation + reload, self.state.building, [], report.warnings, later)
        rest = [f for f in formats if f != "html"]
        what = "html" if html else " and ".join(filter(None, [", ".join(rest[:-1]), rest[-1]]))
        why = f" ({', '.join(paths)} changed)" if paths else " (the pages open in the browser)" if only else ""
        self.say(f"{what}: {len(report.written)} written in {time.monotonic() - start:.1f} s{why}"
                 + ("; reloading the page" if reload and not first else "") + warned(report.warnings))
        return True

    def _failed(self, lines: list[str]) -> None:
        self.state = State(self.state.generation, self.state.building, lines, self.state.warnings)
        for line in lines:
            self.say(line, err=True)
        count = f"{len(lines)} problem{'s' if len(lines) != 1 else ''}"
        self.say(f"build failed, {count}: the page shows them over the last good output", err=True)


# HTTP --------------------------------------------------------------------------------------------

class _Server(LocalServer):
    def __init__(self, port: int, root: Path, builder: Builder):
        self.root, self.output, self.builder = root, (root / "output").resolve(), builder
        self.token = secrets.token_urlsafe(24)  # a page this run served sends it with an edit
        super().__init__((HOST, port), _Handler)

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # no name lookup of the host (HTTPServer's getfqdn)
        self.server_name, self.server_port = HOST, self.server_address[1]

    def handle_error(self, request: object, client_address: object) -> None:
        """Say a failed request in one line (a browser dropping a connection is not worth one)."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            self.builder.say(f"internal error while serving a request: {type(exc).__name__}: {exc}", err=True)


def resolve(output: Path, url: str) -> Path | None:
    """Return the file under output/ that a URL path names, or None (outside it, hidden, or missing)."""
    parts = [p for p in unquote(urlsplit(url).path).split("/") if p]
    if any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None
    path = output.joinpath(*parts)
    if path.is_dir():
        path = path / "index.html"
    try:
        path = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return path if path.is_relative_to(output) and path.is_file() else None


def inject(html: bytes, script: str) -> bytes:
    """Return the page with the reload script before its last </body> (or at its end)."""
    tag = f"<script>{script}</script>".encode("utf-8")
    at = html.rfind(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


class _Handler(EditorRoutes, LocalHandler):
    server: _Server

    def answer(self, send_body: bool) -> None:
        if urlsplit(self.path).path == STATE:
            for page in parse_qs(urlsplit(self.path).query).get("page", []):
                self.server.builder.viewing(page)
            self._send(200, "application/json", self.server.builder.state.json(), send_body)
            return
        if urlsplit(self.path).path.startswith(EDIT):
            self._editor(urlsplit(self.path).path[len(EDIT):], parse_qs(urlsplit(self.path).query), send_body)
            return
        generation = self.server.builder.state.generation  # read before the file: at worst one reload more
        path = resolve(self.server.output, self.path)
        if path is None:
            self._send(404, "text/html; charset=utf-8", self._page(EMPTY_PAGE.encode(), generation), send_body)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        try:
            body = path.read_bytes()
        except OSError:
            self._send(404, "text/html; charset=utf-8", self._page(EMPTY_PAGE.encode(), generation), send_body)
            return
        if kind == "text/html":
            body, kind = self._page(body, generation), "text/html; charset=utf-8"
        self._send(200, kind, body, send_body)

    def _page(self, html: bytes, generation: int) -> bytes:
        try:
            script = (self.server.root / SCRIPT).read_text(encoding="utf-8")
            edit = (self.server.root / EDIT_SCRIPT).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return html  # removed while serving: the page is still shown, without the reload
        script = script.replace("__GENERATION__", str(generation)).replace("__POLL_MS__", str(POLL_MS))
        edit = edit.replace("__EDIT__", EDIT).replace("__TOKEN__", self.server.token)
        return inject(html, script.replace("__STATE__", STATE) + "\n" + edit)

    def _send(self, status: int, kind: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in NO_CACHE.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser went on to another page

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        """Say nothing per request: the terminal shows the builds."""


# The whole -------------------------------------------------------------------------------------

def _watch(root: Path, builder: Builder, stop: threading.Event) -> None:
    from watchfiles import watch

    for changes in watch(root / "data", root / "templates", stop_event=stop, debounce=200, step=50,
                         raise_interrupt=False):
        # A hidden file is no record (an editor's or the preview's temporary copy): it changes nothing.
        found = {relpath(Path(path), root) for _, path in changes if not Path(path).name.startswith(".")}
        if found:
            builder.request(found)


def _bind(root: Path, port: int, builder: Builder) -> _Server:
    try:
        return _Server(port, root, builder)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BuildError(f"port {port} on {HOST} is in use: stop what uses it, or give another with --port") \
                from None
        raise BuildError(f"cannot serve on {HOST}:{port}: {exc.strerror}") from None


def serve(root: Path, port: int, say: Say, formats: tuple[str, ...] = FORMATS) -> None:
    """Build, serve output/ on 127.0.0.1:port and rebuild on every change, until Ctrl-C (formats: those kept
    up to date, the HTML first)."""
    root = root.resolve()
    for folder in ("data", "templates"):
        if not (root / folder).is_dir():
            raise BuildError(f"no {folder}/ folder in {root}: run it in a project folder, or give one with -C")
    for script in (SCRIPT, EDIT_SCRIPT):
        if not (root / script).is_file():
            raise BuildError(f"{script} is missing: copy it from the aidreport project")
    gc.enable()  # the command line turns the collector off for short runs; this one runs for hours
    signal.signal(signal.SIGTERM, _interrupt)  # stopped by a service manager: as cleanly as by Ctrl-C
    builder = Builder(root, say, formats)
    server = _bind(root, port, builder)
    stop = threading.Event()
    threads = [threading.Thread(target=builder.run, name="builder", daemon=True),
               threading.Thread(target=server.serve_forever, args=(0.2,), name="server", daemon=True),
               threading.Thread(target=_watch, args=(root, builder, stop), name="watcher", daemon=True)]
    try:
        threads[0].start()
        while not builder.ready.wait(0.2):
            pass
        threads[1].start()
        threads[2].start()
        say(f"serving http://{HOST}:{server.server_port}/ (Ctrl-C to stop)")
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        _shut_down(server, builder, stop, threads)
    say("stopped")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _shut_down(server: _Server, builder: Builder, stop: threading.Event, threads: list[threading.Thread]) -> None:
    stop.set()
    builder.stop()
    if threads[1].is_alive():
        server.shutdown()
    server.server_close()
    for thread in threads:
        if thread.is_alive():
            thread.join(timeout=10)  # a build stops after its current document; the rest at once
