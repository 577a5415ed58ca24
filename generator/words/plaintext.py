"""A document's plain text, read from its semantic HTML: what a reader reads, one block a line.

Headings are marked with `#`, list items with `-`, table rows are their cells joined by ` | `, an
image is `[image: its alternative text]`. The tests keep this text of every document under
tests/golden/, so that a change of wording shows up in review as a readable diff.
"""

from __future__ import annotations

import re

BLOCKS = {"p", "li", "tr", "h1", "h2", "h3", "h4", "figcaption", "caption", "div", "header", "footer", "aside",
          "section", "article", "figure", "table", "thead", "tbody", "ul", "ol", "body"}
CONTAINERS = {"div", "header", "footer", "aside", "section", "article", "figure", "table", "thead", "tbody", "ul",
              "ol", "body"}
SKIPPED = {"head", "style", "script", "title", "nav"}  # nav: the preview's links, not the document


def plain_text(html: str) -> str:
    """Return the reader's text of a rendered document, one block per line."""
    import lxml.html

    body = lxml.html.document_fromstring(html).find("body")
    lines: list[str] = []
    _walk(body, lines)
    return "\n".join(line for line in lines if line) + "\n"


def _walk(element, lines: list[str]) -> None:
    for child in element:
        if not isinstance(child.tag, str) or child.tag in SKIPPED:
            continue
        if child.tag in CONTAINERS and any(isinstance(c.tag, str) and c.tag in BLOCKS for c in child):
            _walk(child, lines)
        elif child.tag == "tr":
            lines.append(" | ".join(_inline(cell) for cell in child if isinstance(cell.tag, str)))
        elif child.tag in BLOCKS:
            text = _inline(child)
            if re.fullmatch(r"h\d", child.tag):
                text = "#" * int(child.tag[1]) + " " + text
            elif child.tag == "li":
                text = "- " + text
            lines.append(text)
        else:
            lines.append(_inline(child))


def _inline(element) -> str:
    """Return an element's text on one line: white space folded, line breaks kept as ' / ', images by alt."""
    parts: list[str] = []

    def visit(node) -> None:
        if node.tag == "br":
            parts.append(" / ")
        elif node.tag == "img":
            parts.append(f"[image: {node.get('alt', '')}]")
        else:
            parts.append(node.text or "")
            for child in node:
                if isinstance(child.tag, str):
                    visit(child)
                parts.append(child.tail or "")

    visit(element)
    return re.sub(r"\s+", " ", "".join(parts)).strip()
