"""Row 8 of the benchmark: an edit seen in the preview (`aidreport serve`), as an editor sees it.

A copy of the project is served, with the article's pages open in both languages (polled as serve.js
polls, every 0.4 s, which tells the server they are open); one figure of a record is saved again and
again with a new value, and from each save this measures how long until the served pages hold it:
8a  the HTML of the article in both languages (what the open page reloads to);
8b  the PDF of the same article in both languages (the served file, read back with pypdf).
Each save waits until the server has finished the last one (DOCX and editions included), as an editor who
looks at the result before the next change would. The medians are kept against fixed targets in seconds:
these are what the editor waits for, on this machine, whatever its speed. PREVIEW_SAID=1 prints what the
server said, each line with the time it came (and each save's), to see where the time goes.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

ARTICLE = "articles/baoshan-minhang-jiading-jinshan"
RECORD = "data/districts/baoshan.yaml"
FACT = "value: 11281,"  # baoshan-workers-local, printed in the article as 11281名 and 11,281
HTML_TARGET, PDF_TARGET = 1.0, 3.0  # seconds
POLL = 0.05
TIMEOUT = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def _wanted(value: int) -> dict[str, str]:
    return {"zh": f"{value}名", "en": f"{value:,}"}


def _until(check, since: float) -> float:
    """Wait until check() holds; return the seconds from since."""
    deadline = time.monotonic() + TIMEOUT
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit("the preview did not show a saved figure within two minutes")
        time.sleep(POLL)
    return time.perf_counter() - since


def preview_rows(work: Path, saves: int, report, aidreport, root: Path) -> None:
    """Measure rows 8a and 8b into report (aidreport: bench.py's command helper)."""
    project = work / "preview"
    for name in ("data", "templates"):
        shutil.copytree(root / name, project / name)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(aidreport("-C", str(project), "serve", "--port", str(port)), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    said: list[str] = []
    reader = threading.Thread(target=lambda: said.extend(f"{time.perf_counter():.2f} {line}" for line in server.stdout),
                              daemon=True)
    reader.start()
    closed = threading.Event()

    def pages_open() -> None:
        while not closed.wait(0.4):
            for lang in ("zh", "en"):
                _get(f"{base}/__aidreport/state?page=/{lang}/{ARTICLE}.html")

    try:
        state = lambda: json.loads(_get(f"{base}/__aidreport/state"))  # noqa: E731
        _until(lambda: any(" serving " in line for line in said), time.perf_counter())
        threading.Thread(target=pages_open, daemon=True).start()
        html_times, pdf_times = [], []
        record = project / RECORD
        original = record.read_text(encoding="utf-8")
        for i in range(saves):
            _until(lambda: not state()["building"], time.perf_counter())
            time.sleep(0.5)  # and the watcher quiet
            value = 11282 + i
            old_pdfs = {lang: _get(f"{base}/{lang}/{ARTICLE}.pdf") for lang in ("zh", "en")}
            record.write_text(original.replace(FACT, f"value: {value},"), encoding="utf-8")
            saved = time.perf_counter()
            said.append(f"{saved:.2f} saved\n")
            wanted = _wanted(value)
            html_times.append(_until(lambda: all(
                wanted[lang] in _get(f"{base}/{lang}/{ARTICLE}.html").decode("utf-8") for lang in wanted), saved))

            held: dict[str, float] = {}  # when the served PDF held the figure (its text is read after)

            def pdfs_hold() -> bool:
                asked = time.perf_counter()
                served = {lang: _get(f"{base}/{lang}/{ARTICLE}.pdf") for lang in sorted(set(wanted) - set(held))}
                for lang, data in served.items():  # all fetched first: reading one must not delay the other
                    if data != old_pdfs[lang] and wanted[lang] in _pdf_text(data):
                        held[lang] = asked
                return len(held) == len(wanted)

            _until(pdfs_hold, saved)
            pdf_times.append(max(held.values()) - saved)
            print(f"    save {i + 1}: HTML {html_times[-1]:.2f} s, PDF {pdf_times[-1]:.2f} s", flush=True)
    finally:
        closed.set()
        server.terminate()
        server.wait(timeout=30)
        if os.environ.get("PREVIEW_SAID"):
            print("".join(said))
    median = statistics.median
    for row, what, times, target in (("8a", "HTML", html_times, HTML_TARGET), ("8b", "PDF", pdf_times, PDF_TARGET)):
        report.fact(f"{row} preview: a saved figure in the served {what} of the article (zh + en), median of {saves}",
                    f"{median(times):.2f} s (target ≤ {target:g} s), saves {min(times):.2f}–{max(times):.2f} s",
                    median(times) <= target)
