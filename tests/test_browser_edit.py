"""Editing a block in the preview, in a real browser (Debian's chromium, driven by Playwright): the editor edits
the English lead of Baoshan's release in the page and saves; the edit is in the HTML, the PDF and the DOCX;
then a figure it names changes in the record, and the new figure prints inside the edited sentence. Through
HTTP: the server writes an edit only with its per-run token, from its own pages, against the text shown.

The edit is a test's wording (synthetic); the figure changed is a real fact given a new value.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from pathlib import Path

import pytest
import yaml

from conftest import Built, squash
from serving import Served, free_port, project_with_output
from test_browser import SHOTS, browser, wait_for_text  # noqa: F401 (browser: the fixture)

PAGE = "en/press/district-baoshan.html"
# Every figure of the generated lead stays (the zh lead, not edited, states them all: the figures must match).
EDITED = ("Baoshan, paired with {counties} counties, has brought {luoping-investment} of investment to Luoping, "
          "created {yecheng-jobs} jobs and moved {yecheng-poor-employed} poor people into work, its office said.")
SHOWN = ("Baoshan, paired with seven counties, has brought more than {} million yuan of investment to Luoping, "
         "created more than 10,000 jobs and moved more than 8,000 poor people into work, its office said.")


@pytest.fixture
def served(project_copy: Path, built: Built):
    server = Served(project_with_output(project_copy, built), free_port(), "--format", "html", "--format", "pdf",
                    "--format", "docx")
    yield server
    server.kill()


def _until(check, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    try:
        return squash("\n".join(p.extract_text() for p in PdfReader(path).pages), "en")
    except Exception:  # being replaced this instant
        return ""


def _docx(path: Path) -> str:
    import docx

    try:
        return squash("\n".join(p.text for p in docx.Document(str(path)).paragraphs), "en")
    except Exception:
        return ""


def test_an_editor_edits_a_lead_in_the_page_and_a_changed_figure_prints_inside_it(served: Served, browser):
    served.wait_for(f"serving {served.url} (Ctrl-C to stop)")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(served.url + PAGE)
    page.click("#aidreport-edit")
    page.click('[data-block="lead"]')
    editor = page.locator("#aidreport-editor")
    editor.wait_for(timeout=30_000)
    generated = editor.locator("textarea").first.input_value()
    assert generated.startswith("Baoshan District is paired with") and "{luoping-investment}" in generated
    page.screenshot(path=str(SHOTS / "serve-edit.png"))
    editor.locator('textarea[name="text"]').fill(EDITED)
    page.click("#aidreport-save")
    wait_for_text(page, SHOWN.format(100))
    saved = yaml.safe_load((served.project / "data/overrides/press/district-baoshan.yaml").read_text(encoding="utf-8"))
    assert saved["overrides"][0]["text"] == EDITED and saved["overrides"][0]["replaced"] == generated
    out = served.project / "output/en/press"
    sentence = squash(SHOWN.format(100), "en")
    _until(lambda: sentence in _pdf(out / "district-baoshan.pdf"), "the edit never reached the PDF")
    _until(lambda: sentence in _docx(out / "district-baoshan.docx"), "the edit never reached the DOCX")

    served.edit("data/districts/baoshan.yaml", "measure: investment, value: 100000000,",
                "measure: investment, value: 300000000,")
    wait_for_text(page, SHOWN.format(300))
    page.screenshot(path=str(SHOTS / "serve-edit-figure.png"))
    changed = squash(SHOWN.format(300), "en")
    _until(lambda: changed in _pdf(out / "district-baoshan.pdf"), "the new figure never reached the PDF")
    _until(lambda: changed in _docx(out / "district-baoshan.docx"), "the new figure never reached the DOCX")
    assert page.locator('[data-aidreport-state="current"]').count() == 1  # the lead, marked as overridden
    code, _, err = served.interrupt()
    assert code == 0 and "Traceback" not in err


def _post(served: Served, body: dict, token: str, origin: str | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    headers = {"Content-Type": "application/json", "X-Aidreport-Token": token}
    if origin:
        headers["Origin"] = origin
    conn.request("POST", "/__aidreport/override", json.dumps(body).encode(), headers)
    response = conn.getresponse()
    body = response.read()
    json_body = response.getheader("Content-Type", "").startswith("application/json")
    answer = response.status, json.loads(body) if json_body else {"text": body.decode("utf-8")}
    conn.close()
    return answer


def test_the_preview_writes_an_edit_only_with_its_token_from_its_own_pages_against_the_text_shown(served: Served):
    served.wait_for(f"serving {served.url} (Ctrl-C to stop)")
    page = served.get("/" + PAGE)[2].decode("utf-8")
    token = re.search(r'"X-Aidreport-Token": "([^"]+)"', page).group(1)
    assert token not in (served.project / "output" / PAGE).read_text(encoding="utf-8")  # added as it is sent
    block = "press/district-baoshan#industry.luoping-investors"
    info = json.loads(served.get(f"/__aidreport/block?lang=en&id={block.replace('#', '%23')}")[2])
    assert info["skeleton"].startswith("Luoping brought in {luoping-firms} companies")
    edit = {"block": block, "lang": "en", "text": "Edited: {luoping-firms} companies.", "seen": info["skeleton"]}
    assert _post(served, edit, "not-the-token")[0] == 403
    assert _post(served, edit, token, origin="http://example.com")[0] == 403  # another site's page
    status, answer = _post(served, {**edit, "seen": "Luoping brought in 5 companies."}, token)
    assert status == 409 and "has changed since the page was loaded" in answer["error"]
    assert _post(served, {**edit, "lang": "fr"}, token)[0] == 400
    assert not (served.project / "data/overrides").exists()  # nothing written by any of them
    assert _post(served, edit, token, origin=served.url.rstrip("/")) == (
        200, {"saved": "data/overrides/press/district-baoshan.yaml"})
    served.wait_for("override saved in data/overrides/press/district-baoshan.yaml")
    served.kill()
