"""Redlines for the copy desk: a DOCX of a document's new text with Word's tracked changes from its old text.

Both texts are in plain_text's form: one block a line, headings marked `#`, `##` or `###`, list items
`- `. The blocks are aligned line by line; a block that changed is one paragraph diffed by the
tokens of its language (words in English, characters in Chinese, a figure always whole), so that a
changed figure reads as one deletion and one insertion. Accepting every change gives the new text,
rejecting every change gives the old one (accepted_text and rejected_text read a redline that way).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from difflib import SequenceMatcher

from lxml import etree

from ..errors import BuildError
from ..figures import ZH_MAGNITUDE_CHARS
from ..words.lang import Language
from .wordparts import blank_document, saved

AUTHOR = "aidreport"
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
W = "{%s}" % NS["w"]
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# A line's mark -> the Word paragraph style it stands for; a line without one is Normal.
MARKS = {"# ": "Heading 1", "## ": "Heading 2", "### ": "Heading 3", "- ": "List Bullet"}
NORMAL = "Normal"
ALIKE = 0.5  # two blocks at least this alike (by tokens) are one block changed, not one deleted and one inserted

FIGURE = r"\d+(?:[.,]\d+)*"  # 11,281 / 185.18 / 2019


@dataclass(frozen=True)
class Script:
    """How a language's text is cut for a diff, and which w:lang attributes carry its tag."""

    tokens: re.Pattern
    lang_attributes: tuple[str, ...]


SCRIPTS = {
    # Words (with their apostrophes and hyphens), figures with their per cent sign, spaces, single marks.
    "Latn": Script(re.compile(rf"{FIGURE}%?|\w+(?:['’-]\w+)*|\s+|.", re.S), ("val",)),
    # Characters, but a figure with its magnitude and measure word (1.23亿元, 11281名, 5408人次) whole.
    "Hans": Script(re.compile(rf"{FIGURE}[{ZH_MAGNITUDE_CHARS}]*(?:元|人次|[名个個家场場所批亩畝项項户戶村人倍年月日%])?|[A-Za-z]+|\s+|.",
                            re.S), ("val", "eastAsia")),
}
SCRIPTS["Hant"] = SCRIPTS["Hans"]  # Traditional Chinese; the parallel edition is written as Chinese


def redline_docx(old_text: str, new_text: str, lang: Language, reference: bytes, title: str, date: str) -> bytes:
    """Return a DOCX of new_text on the reference document's styles, every change from old_text tracked."""
    if lang.script not in SCRIPTS:
        raise BuildError(f"no redline tokenizer for the script of '{lang.code}' (known: {', '.join(SCRIPTS)})")
    stamp = _stamp(date)
    word = blank_document(reference)
    section = word.sections[0]
    section.header.paragraphs[0].text = title
    styles = {name: word.styles[name].style_id for name in (NORMAL, *MARKS.values())}
    writer = _Redline(word.element.body, styles, lang, stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    writer.blocks(_lines(old_text), _lines(new_text))
    return saved(word, title, lang, stamp)


def accepted_text(docx_bytes: bytes) -> str:
    """Return a redline's text with every change accepted: one line a paragraph, headings marked again."""
    return _read(docx_bytes, drop="del")


def rejected_text(docx_bytes: bytes) -> str:
    """Return a redline's text with every change rejected: one line a paragraph, headings marked again."""
    return _read(docx_bytes, drop="ins")


def _stamp(date: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(date)
    except ValueError:
        raise BuildError(f"redline date '{date}' is not an ISO date and time (2019-10-13T00:00:00Z)") from None
    return stamp.replace(tzinfo=timezone.utc) if stamp.tzinfo is None else stamp.astimezone(timezone.utc)


def _lines(text: str) -> list[str]:
    """Cut a text into its blocks; the newline that ends the last one is not a block of its own."""
    return text.removesuffix("\n").split("\n") if text else []


def _split(line: str) -> tuple[str, str]:
    """Return a line's paragraph style and its text without the mark."""
    for mark, style in MARKS.items():
        if line.startswith(mark):
            return style, line[len(mark):]
    return NORMAL, line


class _Redline:
    """Writes the paragraphs of one redline into a document body, numbering its changes."""

    def __init__(self, body, styles: dict[str, str], lang: Language, date: str):
        self.body, self.styles, self.date = body, styles, date
        self.script = SCRIPTS[lang.script]
        self.tag = lang.tag
        self.ids = itertools.count(1)

    def blocks(self, olds: list[str], news: list[str]) -> None:
        for op, i1, i2, j1, j2 in SequenceMatcher(None, olds, news, autojunk=False).get_opcodes():
            if op == "equal":
                for line in news[j1:j2]:
                    self._paragraph(*_split(line))
            else:
                self._replace(olds[i1:i2], news[j1:j2])

    def _replace(self, olds: list[str], news: list[str]) -> None:
        """Pair each old block with the next new block like it; the others are deleted or inserted whole."""
        j = 0
        for old in olds:
            k = next((k for k in range(j, len(news)) if self._alike(old, news[k])), None)
            if k is None:
                self._paragraph(*_split(old), change="del")
                continue
            for new in news[j:k]:
                self._paragraph(*_split(new), change="ins")
            self._changed(old, news[k])
            j = k + 1
        for new in news[j:]:
            self._paragraph(*_split(new), change="ins")

    def _alike(self, old: str, new: str) -> bool:
        (old_style, old_text), (new_style, new_text) = _split(old), _split(new)
        if old_style != new_style:
            return False
        a, b = ([t for t in self.script.tokens.findall(text) if not t.isspace()] for text in (old_text, new_text))
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        return matcher.real_quick_ratio() >= ALIKE and matcher.quick_ratio() >= ALIKE and matcher.ratio() >= ALIKE

    def _changed(self, old: str, new: str) -> None:
        """One paragraph: the unchanged parts plain, the removed parts deleted, the added parts inserted."""
        style, new_text = _split(new)
        p = self._p(style)
        for removed, added, changed in self._hunks(_split(old)[1], new_text):
            if not changed:
                self._run(p, added)
                continue
            self._run(p, removed, "del")
            self._run(p, added, "ins")

    def _hunks(self, old: str, new: str) -> list[tuple[str, str, bool]]:
        """Diff two blocks by tokens into (removed, added, changed) hunks; white space between two changes
        joins them, so that a rewritten phrase reads as one deletion and one insertion."""
        a, b = self.script.tokens.findall(old), self.script.tokens.findall(new)
        ops = SequenceMatcher(str.isspace, a, b, autojunk=False).get_opcodes()  # a space starts no match
        hunks: list[tuple[str, str, bool]] = []
        for n, (op, i1, i2, j1, j2) in enumerate(ops):
            removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
            bridge = op == "equal" and not removed.strip() and 0 < n < len(ops) - 1
            if hunks and hunks[-1][2] and (op != "equal" or bridge):
                hunks[-1] = (hunks[-1][0] + removed, hunks[-1][1] + added, True)
            else:
                hunks.append((removed, added, op != "equal" or bridge))
        return hunks

    def _paragraph(self, style: str, text: str, change: str | None = None) -> None:
        """A whole paragraph: plain, or deleted or inserted with its paragraph mark."""
        self._run(self._p(style, change), text, change)

    def _p(self, style: str, change: str | None = None):
        p = self.body.add_p()
        ppr = etree.SubElement(p, f"{W}pPr")
        etree.SubElement(ppr, f"{W}pStyle").set(f"{W}val", self.styles[style])
        if change:
            etree.SubElement(ppr, f"{W}rPr").append(self._mark(change))
        return p

    def _mark(self, change: str):
        """A w:ins or w:del with its id, author and date."""
        mark = etree.Element(f"{W}{change}")
        mark.set(f"{W}id", str(next(self.ids)))
        mark.set(f"{W}author", AUTHOR)
        mark.set(f"{W}date", self.date)
        return mark

    def _run(self, p, text: str, change: str | None = None) -> None:
        if not text:
            return
        parent = p
        if change:
            parent = self._mark(change)
            p.append(parent)
        r = etree.SubElement(parent, f"{W}r")
        lang = etree.SubElement(etree.SubElement(r, f"{W}rPr"), f"{W}lang")
        for attribute in self.script.lang_attributes:
            lang.set(f"{W}{attribute}", self.tag)
        t = etree.SubElement(r, f"{W}delText" if change == "del" else f"{W}t")
        t.set(XML_SPACE, "preserve")
        t.text = text


def _read(docx_bytes: bytes, drop: str) -> str:
    """Read a redline's body one paragraph a line, leaving out what the w:ins or w:del named by drop holds."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
    # styles.xml names the built-in styles in lower case (heading 1), the others as shown (List Bullet).
    by_name = {style.lower(): mark for mark, style in MARKS.items()}
    marks = {style.get(f"{W}styleId"): by_name.get(style.xpath("string(w:name/@w:val)", namespaces=NS).lower(), "")
             for style in styles.iter(f"{W}style")}
    lines = []
    for p in document.iter(f"{W}p"):
        if p.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None:
            continue  # the paragraph itself is what is dropped
        kept = [t.text or "" for t in p.iter(f"{W}t", f"{W}delText")
                if not any(a.tag == f"{W}{drop}" for a in t.iterancestors(f"{W}ins", f"{W}del"))]
        style = p.find(f"{W}pPr/{W}pStyle")
        lines.append(marks.get(style.get(f"{W}val") if style is not None else None, "") + "".join(kept))
    return "".join(line + "\n" for line in lines)
