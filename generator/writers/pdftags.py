"""What WeasyPrint's PDF/UA tagging leaves to us: header scopes, layout tables, running heads as artifacts.

It runs as WeasyPrint's finisher, on the PDF objects before they are written (nothing is parsed
again): WeasyPrint 70 tags the document from its boxes, and these fix-ups use the same boxes.

- A header cell's `scope` (col, row) becomes its /Scope attribute; WeasyPrint uses it only to
  link the cells to their headers.
- A table with role="presentation" (the fact sheet's grid of key figures) is a layout, not data:
  its elements become /Div, so no reader announces rows and columns without headers.
- The running heads and page numbers (@page margin boxes) are tagged by WeasyPrint into elements
  that no part of the tree holds (PDF 1.7 has no artifact element); their content becomes
  /Artifact marked content, as PDF/UA asks of pagination.
- WeasyPrint wraps each run of text in a /Span of its own; the run becomes content of its
  paragraph or heading instead (a /Span kept only where the HTML has a span).
"""

from __future__ import annotations

import pydyf
from weasyprint.formatting_structure import boxes

PLAIN_SPAN = {"Type", "S", "K", "Pg", "P"}  # a /Span as WeasyPrint makes one for each run of text
SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


def finish_tags(document, pdf: pydyf.PDF) -> None:
    """Complete the structure tree WeasyPrint wrote (a finisher for Document.write_pdf)."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    for page in document.pages:
        _mark_cells(pdf, page._page_box, layout=False)
    root = _obj(pdf, pdf.catalog["StructTreeRoot"])
    held = _reachable(pdf, root)
    nums = _obj(pdf, root["ParentTree"])["Nums"]
    _artifact_margins(pdf, held, nums)
    _inline_spans(pdf, held, nums)


def _obj(pdf: pydyf.PDF, reference: bytes):
    return pdf.objects[int(reference.split()[0])]


def _mark_cells(pdf: pydyf.PDF, box, layout: bool) -> None:
    """Give header cells their scope, and tag the cells of layout tables as divisions."""
    if box.element_tag == "table" and box.element is not None:
        layout = box.element.get("role") == "presentation"
    element = getattr(box, "mark", None)  # the cell's structure element, as WeasyPrint keeps it
    if element is not None:
        if layout:
            _as_division(pdf, element)
        elif box.element_tag == "th" and box.element.get("scope") in SCOPES:
            element["A"]["Scope"] = SCOPES[box.element.get("scope")]
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            _mark_cells(pdf, child, layout)


def _as_division(pdf: pydyf.PDF, element) -> None:
    """Retag a layout table's cell, and its row, row group and table, as /Div."""
    while element["S"] != "/Div":  # a sibling cell retagged the rest
        role = element["S"]
        element["S"] = "/Div"
        element.pop("A", None)
        element.pop("ID", None)
        if role == "/Table":  # not beyond: the table may sit in a cell of another
            return
        element = _obj(pdf, element["P"])


def _reachable(pdf: pydyf.PDF, root) -> set[int]:
    """Return the numbers of the structure elements the tree holds."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        element = todo.pop()
        for kid in element.get("K", ()):
            if isinstance(kid, bytes) and kid.endswith(b" R"):
                number = int(kid.split()[0])
                child = pdf.objects[number]
                if number not in seen and isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                    seen.add(number)
                    todo.append(child)
    return seen


def _artifact_margins(pdf: pydyf.PDF, held: set[int], nums: pydyf.Array) -> None:
    """Turn the content of the elements outside the tree (the margin boxes') into artifacts."""
    left = 0
    for page_number, page in enumerate(pdf.page_references):
        mapping = nums[2 * page_number + 1]
        loose = {mcid for mcid, ref in enumerate(mapping) if int(ref.split()[0]) not in held}
        done = _unmark(_obj(pdf, _obj(pdf, page)["Contents"]), loose) if loose else set()
        for mcid in done:
            mapping[mcid] = "null"  # no content of the page has this MCID any more
        left += len(loose - done)
    if not left:  # every loose element lost its content: none is left to point at
        for number, obj in enumerate(pdf.objects):
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem" and number not in held:
                obj.clear()


def _inline_spans(pdf: pydyf.PDF, held: set[int], nums: pydyf.Array) -> None:
    """Put the content of each plain /Span (one per run of text) straight into its parent element."""
    pages = {reference: 2 * number + 1 for number, reference in enumerate(pdf.page_references)}
    for number in sorted(held):
        element = pdf.objects[number]
        if "K" not in element:  # a span already inlined
            continue
        kids = pydyf.Array()
        for kid in element["K"]:
            span = _plain_span(pdf, kid, element.get("Pg"))
            if span is None:
                kids.append(kid)
                continue
            for mcid in span["K"]:
                nums[pages[span["Pg"]]][mcid] = element.reference
            kids.extend(span["K"])
            span.clear()
        element["K"] = kids


def _plain_span(pdf: pydyf.PDF, kid, page: bytes | None):
    """Return the element kid refers to if it is a /Span of text on the given page and nothing more, else None."""
    if not isinstance(kid, bytes):
        return None
    span = _obj(pdf, kid)
    if (isinstance(span, pydyf.Dictionary) and set(span) == PLAIN_SPAN and span["S"] == "/Span"
            and span["Pg"] == page and all(isinstance(mcid, int) for mcid in span["K"])):
        return span
    return None


def _unmark(stream: pydyf.Stream, mcids: set[int]) -> set[int]:
    """Rewrite the marked content of the given MCIDs as /Artifact; return the MCIDs rewritten."""
    items, done = stream.stream, set()
    # Each is three items, as pydyf writes them: the tag, the property list with the MCID, BDC.
    found = [i for i, item in enumerate(items) if type(item) is pydyf.Dictionary and item.get("MCID") in mcids]
    for i in reversed(found):
        if 0 < i < len(items) - 1 and isinstance(items[i - 1], str) and items[i + 1] == b"BDC":
            done.add(items[i]["MCID"])
            items[i - 1 : i + 2] = ["/Artifact", b"BMC"]
    return done
