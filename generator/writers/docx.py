"""DOCX by walking the semantic HTML: each element becomes a named style of templates/reference.docx."""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from itertools import takewhile

import lxml.html
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.run import Run

from ..cache import Cache
from ..errors import BuildError
from ..words.lang import Language, language
from .wordfonts import for_script
from .base import Writer, image_data
from .docxembed import embed_fonts
from .wordparts import blank_document, bookmark, borders, contents, field, saved, shade, whole_rows

WS = re.compile(r"[ \t\r\n]+")

# The document vocabulary: block element (and class) -> Word paragraph style.
HEADINGS = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3"}
PARAGRAPHS = {
    None: "Body Text",
    "intro": "Intro",
    "kicker": "Kicker",
    "dateline": "Dateline",
    "box-title": "Box Title",
    "box-line": "Box Text",
    "follow-text": "Follow Text",
    "source": "Source",
    "subhead": "Subhead",
    "release-line": "Release Line",
    "lead": "Body Text",
    "about": "Body Text",
    "contact": "Body Text",
    "quote": "Body Text",
    "end": "End Mark",
    "correction-line": "Box Text",
}
CONTAINERS = {"body", "article", "header", "section", "footer"}
INLINE = {"strong", "em", "span", "br", "a"}


class DocxWriter(Writer):
    ext = "docx"

    def __init__(self, ctx):
        super().__init__(ctx)
        path = ctx.root / "templates" / "reference.docx"
        if not path.is_file():
            raise BuildError("templates/reference.docx is missing; run 'aidreport reference-docx'")
        self.reference = path.read_bytes()  # read once per process; parsed afresh for each document
        self.cache = Cache()  # the embedded faces (fontembed.py)

    def write(self, doc) -> bytes:
        word = blank_document(self.reference)
        self.lang = doc.lang
        self.word = word
        self.doc = doc
        self._style_ids: dict[str, str] = {}
        self._bookmarks = 0  # bookmarks made (a heading with an id: a contents entry may link to it)
        self.scale = 1.0  # of a picture's width: less in a column of the parallel edition
        self._language(word, doc.lang)
        tree = lxml.html.document_fromstring(doc.html)
        self._blocks(tree.find("body"), word)
        self._header_footer(word, doc)
        embed_fonts(word, self.ctx.faces, self.cache)
        stamp = datetime.fromisoformat(self.ctx.dataset.series.run_from).replace(tzinfo=timezone.utc)
        return saved(word, doc.title, doc.lang, stamp)

    def _language(self, word, conventions: Language) -> None:
        """Set the document language on Normal; Chinese paragraphs open with a two-character indent."""
        rpr = word.styles["Normal"].element.get_or_add_rPr()
        el = rpr.find(qn("w:lang"))
        if el is None:
            el = OxmlElement("w:lang")
            rpr.append(el)
        el.set(qn("w:val"), conventions.tag)
        el.set(qn("w:eastAsia"), conventions.east_asia_tag)
        for_script(word, conventions.script, conventions.east_asia_tag)  # Traditional: its own faces
        body = word.styles["Body Text"].paragraph_format
        body.first_line_indent = Pt(conventions.body_indent_pt)
        body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if conventions.justified else WD_ALIGN_PARAGRAPH.LEFT
        word.styles["Intro"].paragraph_format.first_line_indent = Pt(conventions.intro_indent_pt)

    def _header_footer(self, word, doc) -> None:
        section = word.sections[0]
        header = section.header.paragraphs[0]
        header.text = doc.title
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header.style = word.styles["Source"]
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.style = word.styles["Source"]
        field(footer, "PAGE")
        footer.add_run(" / ")
        field(footer, "NUMPAGES")

    # Block level ---------------------------------------------------------------------------------

    def _blocks(self, element, container) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments
            self._block(child, container)

    def _block(self, el, container) -> None:
        tag, cls = el.tag, el.get("class")
        if tag == "section" and cls == "contents":
            self._contents(el, container)
        elif tag in CONTAINERS:
            self._blocks(el, container)
        elif tag in HEADINGS:
            heading = self._paragraph(el, container, HEADINGS[tag])
            if el.get("id"):
                self._bookmarks += 1
                bookmark(heading, _anchor(el.get("id")), self._bookmarks)
        elif tag == "p":
            if cls not in PARAGRAPHS:
                raise BuildError(f"<p class={cls!r}> has no Word style; add it to the DOCX writer's vocabulary")
            self._paragraph(el, container, PARAGRAPHS[cls])
        elif tag == "aside" and cls in ("box", "correction"):
            cell = self._table(container, fill="F3EDE4" if cls == "box" else "FBE9E7", border="left")
            self._fill(cell, list(el))
            self._spacer(container)
        elif tag == "aside" and cls == "follow":
            self._follow(el, container)
        elif tag == "figure":
            for child in el:
                if child.tag == "figcaption":
                    self._paragraph(child, container, "Caption")
                elif child.tag == "img":
                    self._image(child, container.add_paragraph())
                else:
                    raise BuildError(f"<{child.tag}> inside <figure> is not in the document vocabulary")
        elif tag == "table":
            self._data_table(el, container)
        elif tag == "div" and cls == "parallel":
            self._parallel(el, container)
        elif tag == "ul":
            for child in el:
                if child.tag != "li":
                    raise BuildError(f"<{child.tag}> inside <ul> is not in the document vocabulary")
                self._paragraph(child, container, "List Bullet")
        else:
            raise BuildError(f"<{tag}{' class=' + repr(cls) if cls else ''}> is not in the document vocabulary")

    def _contents(self, el, container) -> None:
        """A long document's contents list: its title, then a Word table of contents linking to the headings."""
        for child in el:
            if child.tag in HEADINGS:
                self._paragraph(child, container, "TOC Heading")
            elif child.tag == "ol":
                contents(container, [("TOC 2" if li.get("class") == "level-2" else "TOC 1",
                                      _anchor(li.find("a").get("href").lstrip("#")), li.text_content().strip())
                                     for li in child])
            else:
                raise BuildError(f"<{child.tag}> inside the contents is not in the document vocabulary")

    def _follow(self, el, container) -> None:
        """The follow box as print.css draws it: a frame padded 2 mm by 3 mm, the QR code 4 mm from its text, centred."""
        table = container.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        borders(table, "all", "BBBBBB", 4)
        qr, text = table.rows[0].cells
        section = self.word.sections[0]  # the text's width, less a column's cell margins in the parallel edition
        width = (section.page_width - section.left_margin - section.right_margin) * self.scale - Mm(4) * (self.scale < 1)
        for column, cell, size, (left, right) in zip(table.columns, (qr, text), (Mm(27), width - Mm(27)),
                                                     ((3, 2), (2, 3))):
            column.width = cell.width = int(size)  # the grid LibreOffice reads, the cell width Word reads
            margins = OxmlElement("w:tcMar")
            for edge, mm in (("top", 2), ("left", left), ("bottom", 2), ("right", right)):
                margins.append(OxmlElement(f"w:{edge}", {qn("w:w"): str(Mm(mm).twips), qn("w:type"): "dxa"}))
            cell._tc.get_or_add_tcPr().append(margins)
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        picture = qr.paragraphs[0]
        picture.paragraph_format.line_spacing = 1.0  # the picture's own height, nothing above it
        for child in el:
            if child.tag == "img":
                self._image(child, picture)
        self._fill(text, [child for child in el if child.tag != "img"])
        whole_rows(table)
        self._spacer(container)

    def _parallel(self, el, container) -> None:
        """A row of the parallel edition: its two language blocks in the two cells of a borderless table."""
        table = container.add_table(rows=1, cols=len(el))
        borders(table, None, "FFFFFF", 0)
        self.scale, scale = 1 / len(el), self.scale
        for cell, half in zip(table.rows[0].cells, el):
            self._blocks(half, cell)
            if len(cell.paragraphs) > 1 and not cell.paragraphs[0].text:
                cell._tc.remove(cell.paragraphs[0]._p)  # the empty paragraph a new cell starts with
            if language(half.get("class", "").removeprefix("lang-")).script == "Latn":
                for para in cell.paragraphs:  # English in a Chinese document: not indented, not justified
                    para.paragraph_format.first_line_indent = Pt(0)
                    if para.style.name == "Body Text":
                        para.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        self.scale = scale

    def _data_table(self, el, container) -> None:
        """Map an HTML table (thead/tbody, th/td, colspan) to a Word table with a shaded header."""
        rows = [tr for part in el for tr in (part if part.tag in {"thead", "tbody"} else [part])]
        for tr in rows:
            if tr.tag != "tr":
                raise BuildError(f"<{tr.tag}> inside <table> is not in the document vocabulary")
        width = max(sum(int(c.get("colspan", "1")) for c in tr) for tr in rows)
        table = container.add_table(rows=len(rows), cols=width)
        table.style = self.word.styles["Table Grid"]
        header_rows = len(el.find("thead")) if el.find("thead") is not None else 0
        for r, tr in enumerate(rows):
            c = 0
            for cell_el in tr:
                if cell_el.tag not in {"th", "td"}:
                    raise BuildError(f"<{cell_el.tag}> inside <tr> is not in the document vocabulary")
                span = int(cell_el.get("colspan", "1"))
                cell = table.cell(r, c)
                if span > 1:
                    cell = cell.merge(table.cell(r, c + span - 1))
                heading = cell_el.tag == "th"
                para = cell.paragraphs[0]
                self._style(para, "Table Heading" if heading else "Table Text")
                self._inline(cell_el, para)
                if r < header_rows:
                    shade(cell, "A3171B")
                    for run in para.runs:
                        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                elif span > 1:
                    shade(cell, "F3EDE4")
                c += span
        self._column_widths(table, rows, width)
        # The header rows (thead's, all th) repeat on every page the table runs over.
        whole_rows(table, len(list(takewhile(lambda tr: all(cell.tag == "th" for cell in tr), rows[:header_rows]))))
        self._spacer(container)

    def _column_widths(self, table, rows: list, width: int) -> None:
        """Set the columns as print.css does: a row-heading column of 18%, a total of 9%, the rest shared."""
        section = self.word.sections[0]
        text_width = section.page_width - section.left_margin - section.right_margin
        shares: list[float | None] = [None] * width
        if width > 1 and any(len(tr) and tr[0].tag == "th" for tr in rows[1:]):
            shares[0] = 0.18
        for c, cell_el in enumerate(rows[0] if len(rows[0]) == width else []):
            if "total" in (cell_el.get("class") or "").split():
                shares[c] = 0.09
        free = [c for c, share in enumerate(shares) if share is None]
        rest = (1 - sum(share for share in shares if share is not None)) / max(1, len(free))
        table.autofit = False
        for c, share in enumerate(shares):
            column_width = int(text_width * (share if share is not None else rest))
            table.columns[c].width = column_width  # the grid LibreOffice reads
            for cell in table.columns[c].cells:
                cell.width = column_width  # what Word reads

    def _table(self, container, fill: str, border: str):
        table = container.add_table(rows=1, cols=1)
        borders(table, border, "A3171B", 18)
        whole_rows(table)
        cell = table.rows[0].cells[0]
        shade(cell, fill)
        return cell

    def _fill(self, cell, children: list) -> None:
        """Render paragraphs into a table cell."""
        first = cell.paragraphs[0]
        for i, child in enumerate(children):
            if child.tag != "p":
                raise BuildError(f"<{child.tag}> inside a box is not in the document vocabulary")
            style = PARAGRAPHS.get(child.get("class"), "Box Text")
            para = first if i == 0 else cell.add_paragraph()
            self._style(para, style)
            self._inline(child, para)

    def _spacer(self, container) -> None:
        para = container.add_paragraph()
        para.paragraph_format.space_after = Pt(0)
        para.paragraph_format.line_spacing = Pt(6)

    def _style(self, para, name: str) -> None:
        """Give a paragraph a named style (by id, cached: python-docx's lookup by name is slow)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.word.styles[name].style_id
        para._p.style = self._style_ids[name]

    def _paragraph(self, el, container, style: str):
        para = container.add_paragraph()
        self._style(para, style)
        self._inline(el, para)
        return para

    def _image(self, el, paragraph) -> None:
        _, data = image_data(el, self.doc.charts)  # a chart: the high-resolution PNG drawn from its data
        if el.get("data-chart") is not None:
            paragraph.add_run().add_picture(io.BytesIO(data), width=Mm(165 * self.scale))
        elif el.get("class") == "qr":
            paragraph.add_run().add_picture(io.BytesIO(data), width=Mm(22), height=Mm(22))
        else:
            paragraph.add_run().add_picture(io.BytesIO(data), width=Mm(120 * self.scale))
        pic = paragraph._p.xpath(".//pic:cNvPr")
        for node in pic:
            node.set("descr", el.get("alt", ""))

    # Inline level --------------------------------------------------------------------------------

    def _inline(self, el, para, bold: bool = False, italic: bool = False, top: bool = True) -> None:
        if el.text:
            self._run(para, el.text, bold, italic, first=True)
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag not in INLINE:
                raise BuildError(f"<{child.tag}> inside <{el.tag}> is not in the document vocabulary")
            elif child.tag == "br":
                para.add_run().add_break(WD_BREAK.LINE)
            else:
                self._inline(child, para, bold or child.tag == "strong", italic or child.tag == "em", top=False)
            if child.tail:
                self._run(para, child.tail, bold, italic)
        # Trim the white space the HTML's own line breaks left at the paragraph's ends.
        texts = [t for t in para._p.iter(qn("w:t"))] if top else []
        if texts:
            texts[0].text = (texts[0].text or "").lstrip()
            texts[-1].text = (texts[-1].text or "").rstrip()

    def _run(self, para, text: str, bold: bool, italic: bool, first: bool = False) -> None:
        text = WS.sub(" ", text)
        if not text:
            return
        # One w:t per run: the text holds no tabs or breaks (white space is folded above), and
        # python-docx's character-by-character add_text is slow on long Chinese paragraphs.
        r = para._p.add_r()
        r.add_t(text)
        run = Run(r, para)
        if bold:
            run.bold = True
        if italic:
            run.italic = True


def _anchor(html_id: str) -> str:
    """A heading's bookmark name in Word: a letter first, letters, digits and underscores, 40 at most."""
    return ("toc_" + re.sub(r"[^A-Za-z0-9_]", "_", html_id))[:40]
