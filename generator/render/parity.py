"""Both editions say the same thing: the figures of each zh document and its en twin, compared as values.

The figures are read back from the rendered documents themselves, not from the data, so a template
that words a figure wrongly in one language is caught as surely as a record that does.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from decimal import Decimal

import lxml.html

from ..errors import Diagnostic, Location
from ..figures import en_values, zh_values
from ..records.lookups import Dataset

ZH_DATE_PARTS = re.compile(r"\d{1,2}月|\d{1,2}日")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
EN_DATE_PARTS = re.compile(
    rf"\b\d{{1,2}}(?:\s*(?:–|-|to)\s*\d{{1,2}})?\s+(?:{MONTHS})\b|\b(?:{MONTHS})\.?\s+\d{{1,2}}\b(?!,\d)"
)
# Parts of a document that state the release date in different forms (年 in one, none in the other).
SKIP_CLASSES = {"release-line", "dateline"}


def visible_text(html: str) -> str:
    """Return the text a reader sees, without the dateline and release line."""
    tree = lxml.html.document_fromstring(html)
    for el in tree.xpath("//head | //style | //*[@class]"):
        if el.tag in {"head", "style"} or set(el.get("class", "").split()) & SKIP_CLASSES:
            el.drop_tree()
        elif el.get("data-n") is not None:
            el.text = el.get("data-n")  # a count in words ("seven") is the figure it stands for
    for el in tree.xpath("//p[contains(concat(' ', @class, ' '), ' lead ')]/strong"):
        el.drop_tree()  # the release's dateline
    # A space between elements keeps table cells and cards from running together ("2019" + "6").
    return html_lib.unescape(" ".join(tree.itertext()))


def figures(text: str, lang: str, ds: Dataset) -> Counter[Decimal]:
    """Return every figure in the text as a value: 5.9亿 and 590 million both give 590000000."""
    names, read = READERS[lang]
    for name in names(ds):
        if any(ch.isdigit() for ch in name):
            # A name, not part of a figure: a term named 55 is no figure, but 55 in 155 or 55.5 stays.
            before = r"(?<![\d.,])" if name[0].isdigit() else ""
            after = r"(?!\d|[.,]\d)" if name[-1].isdigit() else ""
            text = re.sub(before + re.escape(name) + after, " ", text)
    return read(text.replace("\u2019", "'"))


def _zh_figures(text: str) -> Counter[Decimal]:
    return Counter(zh_values(ZH_DATE_PARTS.sub(" ", text)))


def _en_figures(text: str) -> Counter[Decimal]:
    return Counter(en_values(EN_DATE_PARTS.sub(" ", text)))


def _hant_names(ds: Dataset) -> list[str]:
    from ..words.hanzi import converter

    convert = converter(ds)
    return sorted({convert(n) for n in ds.names()[0]}, key=len, reverse=True)


HINTS = {"en": "the Chinese and English editions must state the same figures",
         "zh-Hant": "the Traditional edition must state the Simplified one's figures; check the Traditional names "
                    "(zh_hant) in the gazetteer and glossary"}
# Each language's names (a name with a digit is no figure) and figure reader.
READERS = {"zh": (lambda ds: ds.names()[0], _zh_figures), "en": (lambda ds: ds.names()[1], _en_figures),
           "zh-Hant": (_hant_names, _zh_figures)}


def compare(zh_html: str, en_html: str, zh_name: str, en_name: str, ds: Dataset,
            other: str = "en") -> list[Diagnostic]:
    """Return one error for each figure one edition (English, or another: other) prints more often than zh."""
    zh = figures(visible_text(zh_html), "zh", ds)
    en = figures(visible_text(en_html), other, ds)
    problems = []
    for value in sorted(set(zh) | set(en)):
        if zh[value] != en[value]:
            shown = format(value, "f")
            problems.append(Diagnostic(
                Location(zh_name), f"figure {shown} appears {zh[value]} time(s) here but {en[value]} time(s) in "
                                   f"{en_name}", HINTS[other]))
    return problems


def compare_overridden(zh, en, ds: Dataset, located: dict) -> tuple[str, str, list[Diagnostic]]:
    """Compare the blocks an editor overrode in zh or en block by block, each mismatch located at the override;
    return both documents' HTML without those blocks (for the comparison of the rest) and the problems."""
    from .overrides import blocks

    ids = {a.override.local for a in [*zh.overrides, *en.overrides] if a.state != "orphaned"}
    if not ids:
        return zh.html, en.html, []
    found = [blocks(zh.html), blocks(en.html)]
    htmls = [zh.html, en.html]
    problems = []
    for bid in sorted(ids & set(found[0]) & set(found[1])):
        zh_part, en_part = (html[b[bid].start:b[bid].end] for html, b in zip(htmls, found))
        zh_values_, en_values_ = _values(zh_part, "zh", ds), _values(en_part, "en", ds)
        differ = [v for v in zh_values_ | en_values_ if zh_values_[v] != en_values_[v]]
        if differ:
            mine = [a.override for a in [*zh.overrides, *en.overrides] if a.override.local == bid]
            where = located.get(mine[0].ident, Location("data/overrides"))
            shown = ", ".join(format(v, "f") for v in sorted(differ))
            problems.append(Diagnostic(where, f"the zh and en texts of {mine[0].block} state different figures ({shown})",
                                       "an override and its twin in the other language state the same figures: "
                                       "write each figure as its {reference} in both"))
    # The rest of each document, compared as a whole: the overridden blocks emptied (the last first).
    for i, b in enumerate(found):
        for block in sorted((b[bid] for bid in ids if bid in b), key=lambda x: x.start, reverse=True):
            if not any(o.start < block.start and block.end < o.end for o in (b[x] for x in ids if x in b)):
                htmls[i] = htmls[i][:block.start] + htmls[i][block.end:]
    return htmls[0], htmls[1], problems


def _values(fragment: str, lang: str, ds: Dataset) -> Counter[Decimal]:
    return figures(visible_text(f"<html><body><p>{fragment}</p></body></html>"), lang, ds)
