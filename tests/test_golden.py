"""Golden texts: the plain text of every document in every language, committed under tests/golden/.

A change of wording, of a figure or of a name shows up here as a readable diff. When the change is
meant, write the texts anew and review the diff before committing it:

    AIDREPORT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os

from conftest import ROOT, Built
from generator.words.plaintext import plain_text

GOLDEN = ROOT / "tests" / "golden"
SYNTHETIC = "synthetic"  # golden/synthetic/: the synthetic corpora's texts (tests/test_brief_layout.py keeps them)


def _kept_files():
    return [p for p in sorted(GOLDEN.rglob("*.txt")) if p.relative_to(GOLDEN).parts[0] != SYNTHETIC]


def test_every_document_reads_as_its_golden_text(built: Built):
    import json

    documents = json.loads((built.output / "manifest.json").read_text("utf-8"))["documents"]
    made = {f"{stem}.txt": plain_text((built.output / f"{stem}.html").read_text("utf-8")) for stem in sorted(documents)}
    # 16 documents in zh and en, the 16 of the Traditional edition, the article and releases side by side.
    assert len(made) == 16 * 3 + 11
    if os.environ.get("AIDREPORT_UPDATE_GOLDEN") == "1":
        for stale in _kept_files():
            stale.unlink()
        for rel, text in made.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    kept = {p.relative_to(GOLDEN).as_posix(): p.read_text("utf-8") for p in _kept_files()}
    assert sorted(kept) == sorted(made), "documents added or gone: write the golden texts anew (see the docstring)"
    diffs = []
    for rel, text in made.items():
        if text != kept[rel]:
            diffs += difflib.unified_diff(kept[rel].splitlines(), text.splitlines(), f"golden/{rel}", f"built/{rel}",
                                          lineterm="", n=1)
    assert not diffs, "\n".join(diffs[:80])


def test_the_plain_text_keeps_blocks_rows_and_alternative_text():
    html = ("<html><body><article><header><h1>T</h1><p class='x'>a <strong>b</strong><br>c</p></header>"
            "<table><tr><th>k</th><td>1</td></tr></table><figure><img alt='chart of x'><figcaption>cap"
            "</figcaption></figure><ul><li>one</li></ul></article></body></html>")
    assert plain_text(html) == "# T\na b / c\nk | 1\n[image: chart of x]\ncap\n- one\n"

