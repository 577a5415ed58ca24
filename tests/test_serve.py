"""aidreport serve, through HTTP: it builds, serves output/, rebuilds on a change, shows a failed build's
problems over the last good output, and stops on Ctrl-C without a traceback."""

from __future__ import annotations

import http.client
import socket
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import Built, run_cli
from serving import FACT, Served, free_port, project_with_output

BRIEF = "en/briefs/baoshan.html"


@pytest.fixture
def served(project_copy: Path, built: Built):
    # The HTML, then the PDF (the DOCX and WeChat passes are the same build of other formats).
    server = Served(project_with_output(project_copy, built), free_port(), "--format", "html", "--format", "pdf")
    yield server
    server.kill()


def raw_status(port: int, path: str, host: str | None = None) -> int:
    """GET a path exactly as written (urllib would tidy away the ..), with the Host header given."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("GET", path, skip_host=host is not None)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    status = conn.getresponse().status
    conn.close()
    return status


def test_serve_rebuilds_shows_problems_and_stops_on_ctrl_c(served: Served):
    served.wait_for(f"serving {served.url} (Ctrl-C to stop)")
    status, headers, index = served.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in headers["Cache-Control"] and headers["Expires"] == "0"
    assert BRIEF.encode() in index and b"/__aidreport/state" in index  # the reload script, at serve time
    assert b"__aidreport" not in (served.project / "output/index.html").read_bytes()  # not on disk
    assert served.get("/" + BRIEF)[2].count(b"11,281") >= 1
    assert served.get("/en/briefs/baoshan.pdf")[1]["Content-Type"] == "application/pdf"
    first = served.wait_state(lambda s: not s["building"])
    assert first["errors"] == [] and first["warnings"] == [] and first["generation"] >= 1

    # Only output/ is served: not the data beside it, nor the build's own files.
    for path in ("/../data/gazetteer.yaml", "/%2e%2e/data/gazetteer.yaml", "/en/../../data/glossary.yaml",
                 "/.lock", "/nothing.html"):
        assert raw_status(served.port, path) == 404, path
    # Only to its own names: a page that rebinds its name to 127.0.0.1 reads nothing (DNS rebinding).
    assert raw_status(served.port, "/manifest.json", host="attacker.example") == 403
    assert raw_status(served.port, "/manifest.json", host=f"localhost:{served.port}") == 200

    # A mistake: the page's state carries the located message; the last good document is still served.
    served.edit("data/districts/baoshan.yaml", FACT, FACT.replace("11281", '"many"'))
    broken = served.wait_state(lambda s: s["errors"])
    assert any(line.startswith("data/districts/baoshan.yaml:175:") and ": error: " in line for line in broken["errors"])
    assert broken["generation"] == first["generation"]
    assert b"11,281" in served.get("/" + BRIEF)[2]
    served.wait_for("build failed, 1 problem: the page shows them over the last good output")

    # Fixed with a new figure: the problems go, the generation advances, the document shows it.
    served.open_page("/" + BRIEF)
    served.edit("data/districts/baoshan.yaml", '"many"', "12345")
    fixed = served.wait_state(lambda s: not s["errors"] and s["generation"] > first["generation"])
    page = served.get("/" + BRIEF)[2]
    assert b"12,345" in page and b"11,281" not in page
    assert fixed["generation"] == first["generation"] + 1
    # The new figure no longer matches what the source printed: a warning, located, in the state and the log.
    assert fixed["warnings"] == [
        "data/districts/baoshan.yaml:175:13: warning: baoshan-workers-local is 12345 but the source printed "
        "'11281名' (hint: if the figure changed, update printed and src to the new source; if not, restore the value)"]
    served.wait_for(fixed["warnings"][0])
    # The page says the PDF is still being made; the PDF of the page open in the browser comes first, alone,
    # then those of its three documents in zh, en and zh-Hant, and of the article and release side by side
    # (11 in all).
    assert served.wait_state(lambda s: s["making"])["making"] == ["pdf"]
    served.wait_for("pdf: 1 written")
    assert "12,345" in PdfReader(served.project / "output/en/briefs/baoshan.pdf").pages[0].extract_text()
    served.wait_for("pdf: 10 written")
    served.wait_for(" · 1 warning")
    assert served.wait_state(lambda s: not s["building"])["making"] == []
    passes = [line for line in served.out if line.startswith(("html: ", "pdf: "))]
    assert [line.split(" written")[0] for line in passes[-3:]] == ["html: 11", "pdf: 1", "pdf: 10"], passes
    assert passes[-2].endswith(" (the pages open in the browser) · 1 warning\n"), passes

    code, out, err = served.interrupt()
    assert code == 0, err
    assert "Traceback" not in err and out.splitlines()[-1] == "stopped"
    assert "html: " in out and "data/districts/baoshan.yaml changed" in out


def test_a_port_in_use_is_one_line_and_exit_1(project_copy: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("-C", str(project_copy), "serve", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: port {port} on 127.0.0.1 is in use: stop what uses it, or give "
                                          "another with --port"]
    assert not (project_copy / "output").exists()  # it said so before building anything


def test_serve_offers_the_formats_a_build_makes():
    from generator.build.stamp import FORMATS
    from generator.cli.serve import FORMATS as OFFERED

    assert OFFERED == FORMATS


def test_a_change_saved_while_the_other_formats_are_made_gives_them_up(project_copy: Path, built: Built):
    """The builder itself, in this process: a second save lands while the PDF of the first is being made; that
    pass gives up (nothing of it is written) and the second change's HTML comes next, then its PDF."""
    import threading
    import time

    from generator.editing.serve import Builder

    root = project_with_output(project_copy, built)
    record = root / "data/events/minhang-youth-camps-2019.yaml"
    lines: list[str] = []
    started: list[threading.Thread] = []

    def save(old: str, new: str) -> None:
        text = record.read_text(encoding="utf-8")
        assert text.count(old) == 1
        record.write_text(text.replace(old, new), encoding="utf-8")
        builder.request({"data/events/minhang-youth-camps-2019.yaml"})

    def second() -> None:
        while not builder.yielding:  # until the first change's PDF pass has begun
            time.sleep(0.01)
        save("follows the pattern", "follows the template")

    def say(line: str, err: bool = False) -> None:
        lines.append(line)
        if line.startswith("html: ") and "changed" in line and not started:
            started.append(threading.Thread(target=second))
            started[0].start()

    builder = Builder(root, say, ("html", "pdf"))
    thread = threading.Thread(target=builder.run)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not any(line.startswith("pdf: ") for line in lines):  # the start: nothing to do in either format
            assert time.monotonic() < deadline, lines
            time.sleep(0.05)
        save("follows the model", "follows the pattern")
        while sum(line.startswith("html: ") for line in lines) < 3 or not lines[-1].startswith("pdf: "):
            assert time.monotonic() < deadline, lines
            assert not any("error" in line for line in lines), lines
            time.sleep(0.05)
    finally:
        builder.stop()
        thread.join(timeout=60)
    passes = [line.split(" written")[0] for line in lines if " written in " in line]
    # The English release and its side-by-side edition, in HTML, then in PDF.
    assert passes == ["html: 0", "pdf: 0", "html: 2", "html: 2", "pdf: 2"], lines
    text = PdfReader(root / "output/en/press/minhang-youth-camps-2019.pdf").pages[0].extract_text()
    assert "follows the template" in text.replace("\n", " ")
    assert not (root / "output/.staging").exists()


def test_the_open_pages_are_the_documents_the_last_html_pass_made(project_copy: Path, built: Built):
    """A page polls with its path; a page of a document no longer made (its record removed), the index or a
    path outside output/ names nothing for the PDF pass to build."""
    from generator.editing.serve import Builder

    builder = Builder(project_with_output(project_copy, built), lambda line, err=False: None)
    for page in ("/en/briefs/baoshan.html", "/zh-Hant/press/series.html", "/zh/wechat/press/district-jinshan.html",
                 "/en/press/district-nowhere.html", "/index.html", "/../data/gazetteer.yaml", "/en/briefs/baoshan.pdf",
                 "/en/../../output/en/briefs/jinshan.html"):
        builder.viewing(page)
    assert builder.open_documents() == ["en/briefs/baoshan", "zh-Hant/press/series", "zh/press/district-jinshan"]
