"""aidreport serve in a real browser (Debian's chromium, driven by Playwright): an open page shows a new
figure seconds after the record is saved, a failed build's problems in a banner over it, and the warnings
of a build that succeeded in a banner the editor can close.

Not skipped when chromium is missing: it fails and says how to install it (scripts/setup-system).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import Built
from serving import FACT, Served, free_port, project_with_output

CHROMIUM = os.environ.get("AIDREPORT_CHROMIUM", "/usr/bin/chromium")
# The network is closed: chromium must not try to reach its services.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("AIDREPORT_SCREENSHOTS", "/tmp"))
BRIEF = "en/briefs/baoshan.html"


@pytest.fixture
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup-system (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def served(project_copy: Path, built: Built):
    """The preview of the HTML only (serve --format html): the page is what the browser shows; test_serve.py
    follows the PDF and DOCX."""
    server = Served(project_with_output(project_copy, built), free_port(), "--format", "html")
    yield server
    server.kill()


def wait_for_text(page, text: str, present: bool = True, timeout: float = 60) -> None:
    """Poll the page's text (it reloads by itself meanwhile) until text is there, or gone."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = text in page.inner_text("body")
        except Exception:  # the page is reloading: no body this instant
            found = not present
        if found == present:
            return
        assert time.monotonic() < deadline, f"{text!r} {'never came' if present else 'stayed'} on {page.url}"
        time.sleep(0.2)


def test_an_open_page_shows_a_new_figure_and_a_broken_record(served: Served, browser):
    served.wait_for(f"serving {served.url} (Ctrl-C to stop)")
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(served.url)
    assert "Paired-assistance documents" in page.title()
    page.screenshot(path=str(SHOTS / "serve-index.png"))
    page.click(f'a[href="{BRIEF}"]')
    page.wait_for_url(served.url + BRIEF)
    wait_for_text(page, "11,281")

    served.edit("data/districts/baoshan.yaml", FACT, FACT.replace("11281", "12345"))
    started = time.monotonic()
    wait_for_text(page, "12,345")
    seconds = time.monotonic() - started
    assert "11,281" not in page.inner_text("body")
    assert page.url == served.url + BRIEF  # the same page, reloaded
    # The new figure no longer matches what the source printed: the build's warning shows over the page.
    warning = "data/districts/baoshan.yaml:175:13: warning: baoshan-workers-local is 12345 but the source printed"
    warnings = page.locator("#aidreport-warnings")
    warnings.wait_for(timeout=60_000)
    assert "Built, with warnings" in warnings.inner_text() and warning in warnings.inner_text()
    page.screenshot(path=str(SHOTS / "serve-preview.png"))
    page.click('a[hreflang="zh-CN"]')  # its Chinese twin, where a banner must not hide Chinese text
    page.wait_for_url(served.url + BRIEF.replace("en/", "zh/"))
    wait_for_text(page, "12345名")
    warnings.wait_for(timeout=60_000)
    assert "构建已完成，但有警告" in warnings.inner_text() and warning in warnings.inner_text()
    warnings.locator("button").click()  # the editor closes it: it stays closed while the warnings are the same
    warnings.wait_for(state="detached", timeout=10_000)

    served.edit("data/districts/baoshan.yaml", "value: 12345,", "value: -5,")
    banner = page.locator("#aidreport-problems")
    banner.wait_for(timeout=60_000)
    assert "data/districts/baoshan.yaml:175:" in banner.inner_text()
    assert "12345名" in page.inner_text("body")  # the last good output, under the banner
    page.screenshot(path=str(SHOTS / "serve-problem.png"))

    served.edit("data/districts/baoshan.yaml", "value: -5,", "value: 12346,")
    wait_for_text(page, "12346名")
    banner.wait_for(state="detached", timeout=60_000)
    warnings.wait_for(timeout=60_000)  # a new warning (12346) shows again
    assert "baoshan-workers-local is 12346" in warnings.inner_text()
    code, _, err = served.interrupt()
    assert code == 0 and "Traceback" not in err
    print(f"the new figure showed {seconds:.1f} s after the save")
