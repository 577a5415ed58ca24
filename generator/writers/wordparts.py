"""Word's parts that python-docx leaves to XML: the package made reproducible, cell shading, table
borders, rows kept whole, fields. Shared by the DOCX writer and the redlines."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx import Document as open_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..words.lang import Language
from .docxembed import packaged, zip_entry


def normalise_docx(data: bytes) -> bytes:
    """Rewrite a DOCX zip with fixed timestamps, so the same content gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zip_entry(info.filename), src.read(info.filename))
    return out.getvalue()


def blank_document(reference: bytes):
    """Open the reference document with its body emptied (its section settings kept)."""
    word = open_docx(io.BytesIO(reference))
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return word


# A core property (the title) holds at most this many characters: python-docx refuses more, as Word's own
# dialog does. A longer title is cut to fit, ending in "…"; the page itself keeps the whole headline.
MAX_PROPERTY = 255


def saved(word, title: str, lang: Language, stamp: datetime) -> bytes:
    """Return a document's normalised bytes, its properties fixed: no clock time, no machine's name."""
    core = word.core_properties
    core.title = title if len(title) <= MAX_PROPERTY else title[: MAX_PROPERTY - 1].rstrip() + "…"
    core.language = lang.tag
    core.author = core.last_modified_by = "aidreport"
    core.subject = core.keywords = core.comments = core.category = ""
    core.revision = 1
    core.created = core.modified = stamp
    core.last_printed = stamp
    return packaged(word.part.package)


def shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def borders(table, left: str | None, colour: str, size: int) -> None:
    """Give a table no borders but, optionally, a left rule (the box's red bar) or a frame."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        on = left == "all" and edge in {"top", "left", "bottom", "right"} or left == edge
        el.set(qn("w:val"), "single" if on else "nil")
        if on:
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:color"), colour)
        borders.append(el)
    tblpr.append(borders)


def whole_rows(table, header_rows: int = 0) -> None:
    """Keep each row of a table on one page; repeat the first header_rows on every page it runs over."""
    for r, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r < header_rows:
            trpr.append(OxmlElement("w:tblHeader"))


def field(paragraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to a paragraph."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def bookmark(paragraph, name: str, number: int) -> None:
    """Mark a paragraph (a heading) as a bookmark, which a contents entry links to."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def contents(container, entries: list[tuple[str, str, str]]) -> None:
    """Append a table of contents: a TOC field whose shown result is one paragraph per entry (style, bookmark,
    text), each a link to its heading. Nothing asks Word or LibreOffice to update it on opening, so the
    document opens without a prompt; updating the field adds the page numbers the entries leave out."""
    paragraphs = []
    for style, anchor, text in entries:
        paragraph = container.add_paragraph(style=style)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), anchor)
        link.set(qn("w:history"), "1")
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        run.append(t)
        link.append(run)
        paragraph._p.append(link)
        paragraphs.append(paragraph)
    if not paragraphs:
        return
    opening = []
    for kind, instruction in (("begin", None), (None, ' TOC \\o "2-3" \\h \\z \\u '), ("separate", None)):
        run = OxmlElement("w:r")
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instruction
        run.append(el)
        opening.append(run)
    first = paragraphs[0]._p
    at = 1 if first.pPr is not None else 0
    for k, run in enumerate(opening):
        first.insert(at + k, run)
    closing = OxmlElement("w:r")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    closing.append(end)
    paragraphs[-1]._p.append(closing)
