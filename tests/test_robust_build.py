"""The build under attack: markup in data, URLs, a full disk, a kill mid-write, two builds at once."""

from __future__ import annotations

import errno
import fcntl
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, Built, heavy, run_cli, squash

MARKUP = '<script>alert(1)</script> <img src=URL/x.png> </p> & url(URL/y.css)'


class Counter(http.server.ThreadingHTTPServer):
    """A local server that counts every connection it accepts."""

    hits = 0

    def verify_request(self, request, client_address):
        Counter.hits += 1
        return True


@pytest.fixture
def local_server():
    Counter.hits = 0
    server = Counter(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_markup_in_data_is_printed_as_text_and_no_url_is_fetched(project_copy: Path, tmp_path: Path, local_server):
    text = MARKUP.replace("URL", local_server)
    path = project_copy / "data/districts/baoshan.yaml"
    record = path.read_text(encoding="utf-8")
    old = '  en: "Baoshan: industry, markets and skills for lasting gains"'
    old_zh = "  zh: 宝山区：产业、市场、人才多路并进，助受援地长效脱贫"
    assert old in record and old_zh in record
    record = record.replace(old, "  en: " + json.dumps("Baoshan " + text))
    path.write_text(record.replace(old_zh, "  zh: " + json.dumps("宝山区 " + text)), encoding="utf-8")
    series = project_copy / "data/series.yaml"
    series.write_text(series.read_text(encoding="utf-8").replace("https://weixin.qq.com/",
                                                                 local_server.replace("http", "https") + "/qr"),
                      encoding="utf-8")
    out = tmp_path / "out"
    # Baoshan's release prints its headline (the article does too, and takes four times as long to make).
    result = run_cli("-C", str(project_copy), "build", "--only", "press/district-baoshan", "--output", str(out))
    assert result.returncode == 0, result.stderr
    html = (out / "en/press/district-baoshan.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    from pypdf import PdfReader

    pdf = "".join(p.extract_text() for p in PdfReader(out / "en/press/district-baoshan.pdf").pages)
    assert squash(text, "zh") in squash(pdf, "zh")  # compared without white space: lines break after "/"
    import docx

    paragraphs = [p.text for p in docx.Document(str(out / "en/press/district-baoshan.docx")).paragraphs]
    assert "Baoshan " + text in paragraphs
    assert Counter.hits == 0


def test_the_pdf_fetcher_serves_only_project_files(local_server, tmp_path: Path):
    from generator.writers.pdf import ProjectFetcher

    fetcher = ProjectFetcher([ROOT / "templates"])
    for url in (f"{local_server}/x.png", "file:///etc/passwd", f"file://{tmp_path}/x.css"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    response = fetcher.fetch((ROOT / "templates/css/print.css").as_uri())
    assert b"@page" in response.read()
    response.close()
    assert Counter.hits == 0


def _valid(path: Path) -> None:
    """Assert an output file is complete: a parsable PDF, an openable DOCX, a whole HTML or JSON."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), path
    elif path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None and "word/document.xml" in z.namelist()
    elif path.suffix == ".html":  # a page, or a WeChat fragment: one section
        assert data.rstrip().endswith(b"</section>" if "wechat" in path.parts else b"</html>"), path
    elif path.suffix == ".json":
        json.loads(data)


def _all_valid(out: Path) -> int:
    count = 0
    for path in out.rglob("*"):
        if path.is_file() and ".cache" not in path.parts and not path.name.startswith("."):
            _valid(path)
            count += 1
    return count


@pytest.fixture
def built_copy(project_copy: Path, tmp_path: Path, built: Built) -> tuple[Path, Path]:
    """A project with a complete earlier build (the session's, of the same data: it is up to date)."""
    out = tmp_path / "out"
    shutil.copytree(built.output, out)
    assert run_cli("-C", str(project_copy), "build", "--output", str(out)).stdout.startswith("nothing to do")
    # Change the series title, so that every document differs on the next build.
    series = project_copy / "data/series.yaml"
    series.write_text(series.read_text(encoding="utf-8").replace("在精准扶贫中彰显上海力量与温度",
                                                                 "在精准扶贫中彰显上海的力量与温度"), encoding="utf-8")
    return project_copy, out


@heavy  # make test: test_killed_build.py kills and interrupts builds of a small corpus
def test_a_build_killed_while_writing_leaves_every_output_complete(built_copy):
    project, out = built_copy
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    for _ in range(3):
        # The releases only: the commit that is killed is the same, and the build reaches it sooner.
        proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(project), "build", "--only", "press/*",
                                 "--output", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        # Kill it the moment it starts replacing files.
        while proc.poll() is None and time.monotonic() < deadline:
            if any(p.stat().st_mtime_ns != t for p, t in before.items()) or list(out.rglob(".*.tmp*")):
                break
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _all_valid(out) >= 96
    result = run_cli("-C", str(project), "build", "--only", "press/*", "--output", str(out))
    assert result.returncode == 0
    assert not list(out.rglob(".*.tmp*"))  # what a killed build left is cleared by the next


def test_a_full_disk_leaves_the_previous_outputs(built_copy, monkeypatch):
    project, out = built_copy
    from generator.build import run as build_module
    from generator.errors import BuildError

    calls = {"n": 0}
    real_fsync = os.fsync

    def full_disk(fd):
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(build_module.os, "fsync", full_disk)
    with pytest.raises(BuildError, match="No space left on device"):
        build_module.build(project, out)
    assert _all_valid(out) >= 96
    assert not list(out.rglob(".*.tmp*"))


def test_output_that_is_not_a_folder(project_copy: Path, tmp_path: Path):
    target = tmp_path / "out"
    target.write_text("not a folder")
    result = run_cli("-C", str(project_copy), "build", "--format", "html", "--output", str(target))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: cannot write to {target}: it is a file, not a folder",
                                          "1 problem; nothing written"]
    assert target.read_text() == "not a folder"


def test_two_builds_at_once(built_copy):
    project, out = built_copy
    with open(out / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = run_cli("-C", str(project), "build", "--format", "html", "--output", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: another build is writing {out}; wait for it to finish",
                                          "1 problem; nothing written"]
    assert _all_valid(out) >= 96
