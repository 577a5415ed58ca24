"""Long documents laid out in parts: memory bounded by a part, the pages the same as in one piece.

WeasyPrint keeps the boxes of every page until the PDF is written, 2 to 3 MB a page of tables, so
the brief of 160 districts (40 pages) would need twice the memory of building an article. A long
document is therefore laid out a part at a time, in a process of its own (write_apart):

1. Its flow is cut into units: the children of its <article>, and each row of a table.
2. Pass 1 lays out about PART_PAGES pages of units from where the last part stopped. The part keeps
   its pages up to the last one that begins with the start of a unit; the next part starts with
   that unit. A continued part first fills one page with a spacer block (carrying the running
   head) and drops that page: its units then start a second page after an unforced break, so
   margins, the container, a re-opened table and page rules behave as they do in one piece.
3. Pass 2 lays out each part again, now knowing its first page number and the document's page
   count for the footers, and writes its pages.
4. pypdf joins the parts, with the first part's metadata and the outline rebuilt across them.

Each part embeds its own subsets of the fonts, so a document in parts is larger than in one piece.
The page-by-page equality with a one-piece layout is tested (tests/test_parts.py).
"""

from __future__ import annotations

import copy
import io
import json
import re
from dataclasses import dataclass
from types import SimpleNamespace

import lxml.html
from lxml import etree

PART_PAGES = 5  # pages a part keeps, about: what bounds the layout held in memory
# Sizes in characters of HTML, not counting embedded data (charts): 3,000 to 4,000 make a page of tables.
APART_CHARS = 50_000  # a longer document is laid out in a process of its own (in one piece: the same bytes)
PARTS_CHARS = 80_000  # a longer one (some 20 pages and more) is laid out there in parts
DATA_URI = re.compile(r"data:[^\"')\s]*")
UNIT = "data-aidreport-unit"
SPACER = "aidreport-spacer"
RUNNING_HEAD = "series-title"  # the named string print.css shows at the top of each page


@dataclass
class Unit:
    element: etree._Element
    table: etree._Element | None = None  # for a table row: its table
    first_row: bool = False
    size: int = 0


@dataclass
class Part:
    start: int  # first unit
    end: int  # units laid out (the part's own pages end before the last of them)
    pages: int = 0
    head: str = ""  # the running head as it stood at the part's first page


class Flow:
    """A document cut into units, and the HTML of any run of them."""

    def __init__(self, html: str):
        self.root = lxml.html.document_fromstring(html)
        body = self.root.find("body")
        articles = body.findall("article")
        self.container = articles[0] if len(articles) == 1 else body
        self.units: list[Unit] = []
        for child in list(self.container):
            rows = child.findall("tbody/tr") if child.tag == "table" and child.find("tfoot") is None else []
            if len(rows) >= 2:
                for i, row in enumerate(rows):
                    self.units.append(Unit(row, child, i == 0))
            elif isinstance(child.tag, str):
                self.units.append(Unit(child))
        for i, unit in enumerate(self.units):
            unit.element.set(UNIT, str(i))
            unit.size = len(etree.tostring(unit.element, encoding="unicode", method="html"))
        for child in list(self.container):
            self.container.remove(child)
        self.container.text = "\n"

    def html(self, start: int, end: int, style: str, spacer: str | None) -> str:
        """Return a document of units [start, end), after a spacer page when one is given (its style)."""
        root = copy.deepcopy(self.root)
        etree.SubElement(root.find("head"), "style").text = style
        container = root.find("body") if self.container.tag == "body" else root.find("body/article")
        if spacer is not None:
            etree.SubElement(container, "div", {"class": SPACER, "style": spacer})
        table = tbody = None
        for unit in self.units[start:end]:
            if unit.table is None:
                container.append(copy.deepcopy(unit.element))
                table = None
                continue
            if table is not unit.table:
                table = unit.table
                shell = etree.SubElement(container, "table", dict(table.attrib))
                shell.tail = "\n"
                for child in table:
                    if child.tag == "thead" or (child.tag in ("caption", "colgroup") and unit.first_row):
                        shell.append(copy.deepcopy(child))
                tbody = etree.SubElement(shell, "tbody")
            tbody.append(copy.deepcopy(unit.element))
        return lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode", method="html")


def _spacer(part: Part, height: float) -> str | None:
    """Return the style of the block that fills a continued part's first page, or None for the first part.

    The units then start the second page after an unforced break, as they do in one piece: margins
    at the break truncated, the container and a table open as continuations, page-based rules the same.
    """
    if not part.start:
        return None
    head = f" string-set: {RUNNING_HEAD} {json.dumps(part.head, ensure_ascii=False)};" if part.head else ""
    return f"display: block; height: {height}px; margin: 0; padding: 0; border: 0;{head}"


def _style(first_page: int | None, total: int | None) -> str:
    rules = []
    if first_page is not None:
        rules.append(f"@page :first {{ counter-reset: page {first_page}; }}")
    if total is not None:
        rules.append(f"@page {{ @bottom-center {{ content: counter(page) \" / {total}\"; }} }}")
    return "\n".join(rules)


def _units_on(page) -> set[int]:
    """Return the units that have a box on a laid-out page (WeasyPrint 70's page box, pinned)."""
    found = set()
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get(UNIT) is not None:
            found.add(int(element.get(UNIT)))
    return found


def _top_center(page) -> str:
    for box in page._page_box.children:
        if getattr(box, "at_keyword", None) == "@top-center":
            return "".join(getattr(b, "text", "") for b in box.descendants())
    return ""


def write_in_parts(html: str, render, part_pages: int = PART_PAGES) -> bytes:
    """Lay out and write html in parts; render(html) returns a WeasyPrint Document."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit, NameObject
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    from ..memory import release

    flow = Flow(html)
    count = len(flow.units)
    parts: list[Part] = []
    start, head, height = 0, "", 0.0
    per_page = 4_000.0  # characters of HTML a page holds, learnt from each part laid out
    while start < count:
        end, size = start, 0
        while end < count and (size < per_page * (part_pages + 1) or end == start):
            size += flow.units[end].size
            end += 1
        part = Part(start, end, head=head)
        skip = 1 if part.start else 0  # the spacer page
        while True:
            document = render(flow.html(start, end, "", _spacer(part, height)))
            pages = document.pages
            height = height or pages[0]._page_box.height
            part.end = end
            laid = sum(u.size for u in flow.units[start:end])
            per_page = max(500.0, laid / max(1, len(pages) - skip))
            if end == count:
                part.pages, start = len(pages) - skip, end
                break
            on = [_units_on(p) for p in pages]
            clean = [b for b in range(skip + 1, len(pages)) if on[b] and min(on[b]) not in on[b - 1]]
            if clean:
                part.pages, start = clean[-1] - skip, min(on[clean[-1]])
                head = _top_center(pages[clean[-1]])
                break
            end = min(count, end + max(1, (end - part.start) // 2))  # no page boundary yet: take more
        parts.append(part)
        del document, pages
        release()

    total = sum(p.pages for p in parts)
    writer = PdfWriter()
    bookmarks: list = []
    first_page = 1
    for index, part in enumerate(parts):
        skip = 1 if part.start else 0
        document = render(flow.html(part.start, part.end, _style(first_page - skip, total), _spacer(part, height)))
        if len(document.pages) < skip + part.pages:
            raise RuntimeError(f"part {index + 1} laid out in {len(document.pages) - skip} pages, not {part.pages}")
        kept = document.copy(document.pages[skip : skip + part.pages])
        for page in kept.pages:
            bookmarks.append((page.bookmarks, page.height))
        pdf = kept.write_pdf()
        reader = PdfReader(io.BytesIO(pdf))
        if index == 0:
            metadata = dict(reader.metadata or {})
            lang = reader.trailer["/Root"].get("/Lang")
        writer.append(reader, import_outline=False)
        first_page += part.pages
        del document, kept, pdf, reader
        release()

    # The outline, as WeasyPrint makes it for one document: levels nested across the parts' pages.
    tree: list = []
    skipped: list[int] = []
    last_by_depth = [tree]
    previous_level = 0
    for number, (marks, page_height) in enumerate(bookmarks):
        # CSS pixels from the top to PDF points from the bottom, as WeasyPrint writes them.
        previous_level = make_page_bookmark_tree(SimpleNamespace(bookmarks=marks), skipped, last_by_depth,
                                                 previous_level, number,
                                                 Matrix(a=0.75, d=-0.75, f=page_height * 0.75))

    def add(items, parent=None):
        for label, (number, x, y), children, state in items:
            item = writer.add_outline_item(title=label, page_number=number, parent=parent,
                                           fit=Fit.xyz(left=x, top=y, zoom=0), is_open=state != "closed")
            add(children, item)

    add(tree)
    writer.add_metadata(metadata)
    if lang is not None:
        writer.root_object[NameObject("/Lang")] = lang
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def layout_chars(html: str) -> int:
    """Return the size of a document for layout: its HTML without embedded data."""
    return len(DATA_URI.sub("", html))


def write_apart(html: str, root, font_css: str, roots: list, part_pages: int = PART_PAGES,
                parts_chars: int = PARTS_CHARS) -> bytes:
    """Lay out and write a long document in a process of its own, in parts if it is longer than parts_chars.

    What a long layout leaves in a process (font and shaping caches, a fragmented heap) then goes
    with that process, instead of staying with the build worker for every later job.
    """
    from ..memory import in_child

    request = {"html": html, "root": root, "font_css": font_css, "roots": roots, "part_pages": part_pages,
               "parts_chars": parts_chars}
    return in_child("generator.writers.parts", request, "laying out a long document")


def _serve(request: dict) -> bytes:
    from generator.writers.pdf import PdfWriter

    writer = PdfWriter(SimpleNamespace(root=request["root"], font_css=request["font_css"],
                                       fetch_roots=request["roots"]))
    if layout_chars(request["html"]) <= request["parts_chars"]:
        return writer.render(request["html"]).write_pdf()
    return write_in_parts(request["html"], writer.render, request["part_pages"])


if __name__ == "__main__":
    from generator.memory import serve

    serve(_serve)
