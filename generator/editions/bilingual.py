"""The parallel bilingual edition (output/bilingual/): the zh and en renders side by side, block by block.

For translators and reviewers: each row holds a block of the Chinese render and its English twin.
Both renders come from one layout over the same records, so their blocks (a heading, a record
item's paragraph, a box, a photo, a table) stand in the same order within the same sections; they
are paired by that structure (element, class and section), and a block one language has and the
other lacks stands alone in its column. Nothing is written here: every sentence is the renders'.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from ..words.lang import language

CODE = "bilingual"
FORMATS = ("html", "pdf", "docx")
CONTAINERS = {"header", "section", "article", "footer", "div"}
SOURCES = ("zh", "en")


def derive(ctx: Any, renders: dict[str, Any]):
    """Return the parallel document of a job's zh and en renders."""
    import lxml.html
    from dataclasses import replace

    from ..view.prose import Printed

    zh, en = (renders[code] for code in SOURCES)
    trees = [lxml.html.document_fromstring(doc.html) for doc in (zh, en)]
    rows = align(*(_blocks(tree.find("body")) for tree in trees))
    title = f"{zh.title} · {en.title}"
    head = trees[0].find("head")
    head.find("title").text = title
    body = trees[0].find("body")
    body.set("class", body.get("class", "").replace(f"lang-{zh.lang.code}", f"lang-{CODE}"))
    for child in list(body):
        body.remove(child)
    for section, pair in rows:
        _row(body, section, pair)
    html = "<!DOCTYPE html>\n" + lxml.html.tostring(trees[0], encoding="unicode")
    reads = {**zh.reads, **en.reads}
    printed = Printed(zh.printed.figures + en.printed.figures)
    return replace(zh, lang=language(CODE), title=title, html=html, printed=printed, reads=reads,
                   charts={**zh.charts, **en.charts}, extra={}, nav="", overrides=[], problems=[])


def _blocks(element, section: str = "") -> list[tuple[tuple[str, str, str], Any]]:
    """Return a body's blocks in order, each with its signature: (section, element, class)."""
    found = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag in CONTAINERS and len(child):
            inner = section if child.tag == "div" else f"{section}/{child.tag}.{child.get('class', '')}#{child.get('id', '')}"
            found += _blocks(child, inner)
        else:
            found.append(((section, child.tag, child.get("class") or ""), child))
    return found


def align(left: list, right: list) -> list[tuple[str, tuple[Any, Any]]]:
    """Pair two block lists by their signatures: (section, (left block or None, right block or None))."""
    rows = []
    ops = SequenceMatcher(None, [s for s, _ in left], [s for s, _ in right], autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in ops:
        a, b = left[i1:i2], right[j1:j2]
        if op == "equal" or (op == "replace" and len(a) == len(b)):
            rows += [(x[0][0], (x[1], y[1])) for x, y in zip(a, b)]
        else:
            rows += [(x[0][0], (x[1], None)) for x in a] + [(y[0][0], (None, y[1])) for y in b]
    return rows


def _row(body, section: str, pair: tuple[Any, Any]) -> None:
    """Append one row: the zh block and the en block side by side, each in its own language."""
    from lxml import etree

    row = etree.SubElement(body, "div", {"class": "parallel"})
    if section:
        row.set("data-section", section.rsplit("#", 1)[-1] or section)
    for code, block in zip(SOURCES, pair):
        cell = etree.SubElement(row, "div", {"class": f"lang-{code}", "lang": language(code).tag})
        if block is not None:
            block.tail = None
            cell.append(block)
