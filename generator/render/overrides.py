"""The editor's overrides applied to a rendered document, and the blocks and skeletons they are keyed by.

A template marks each block of generated prose with its id (`data-block="lead"`) and each figure it prints
with its reference (`data-ref="yecheng-investment"`, a fact's id, or a name the document gives a figure it
derives). A block's *skeleton* is its text with each figure as its reference: `{yecheng-investment}`. It is
what an override was written against: when the skeleton changes (the template's wording, the record's
text), the override is stale; when only a figure changes, the skeleton does not.

Applying an override replaces the block's content with the editor's text, its references resolved: a
figure by the markup the document printed for it (so it is worded by the same number layer), else by the
document's writer; places and terms by the writer. Text identical to the skeleton leaves the block as
generated, byte for byte. The edits are made on the HTML as text, so nothing else in it moves.
"""

from __future__ import annotations

import difflib
import html as html_lib
import re
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..errors import Diagnostic, Location
from ..records.overrides import TOKEN, Override

TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
BLOCK_ATTR = re.compile(r'\sdata-block="([^"]+)"')
REF_ATTR = re.compile(r'\sdata-ref="([^"]+)"')
VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source"})
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Block:
    """One block of a rendered document: its id, and where its content stands in the HTML."""

    id: str
    start: int  # the content's first character (after the start tag)
    end: int  # the content's end (the end tag's first character)
    tag_start: int


@dataclass
class Applied:
    """What became of one override in one document: current, stale or orphaned, with the skeletons."""

    override: Override
    state: str  # current | stale | orphaned
    skeleton: str = ""  # the block's skeleton now
    nearest: tuple[str, ...] = ()  # for an orphan: the ids nearest its own


def blocks(html: str) -> dict[str, Block]:
    """Every block of a document, by id, in the order they stand."""
    found: dict[str, Block] = {}
    for m in TAG.finditer(html):
        if m.group(1) or "data-block" not in m.group(3):
            continue
        ident = BLOCK_ATTR.search(m.group(0))
        if ident and ident.group(1) not in found:
            found[ident.group(1)] = Block(ident.group(1), m.end(), _end_of(html, m.group(2).lower(), m.end()),
                                          m.start())
    return found


def _end_of(html: str, tag: str, start: int) -> int:
    """Where the element whose content starts at `start` ends: the position of its matching end tag."""
    depth = 1
    for m in TAG.finditer(html, start):
        if m.group(2).lower() != tag:
            continue
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    return len(html)


def skeleton(content: str) -> str:
    """A block's text with each figure as its reference, tags dropped, spaces as one."""
    out: list[str] = []
    pos = 0
    for m in TAG.finditer(content):
        if m.start() < pos:
            continue
        out.append(content[pos:m.start()])
        ref = None if m.group(1) else REF_ATTR.search(m.group(0))
        if ref:
            out.append("{" + html_lib.unescape(ref.group(1)) + "}")
            pos = _after_element(content, m)
        else:
            pos = m.end()
    out.append(content[pos:])
    return normal(html_lib.unescape("".join(out)))


def normal(text: str) -> str:
    """Text compared as skeletons are: runs of space as one, none at either end."""
    return SPACE.sub(" ", text).strip()


def _after_element(html: str, start: re.Match) -> int:
    """The position after the element a start tag opens (its end tag included)."""
    tag = start.group(2).lower()
    if tag in VOID or start.group(0).endswith("/>"):
        return start.end()
    end = _end_of(html, tag, start.end())
    close = html.find(">", end)
    return close + 1 if close >= 0 else len(html)


def refs(html: str) -> dict[str, str]:
    """The markup of every figure a piece of HTML prints, by reference (the first of each)."""
    found: dict[str, str] = {}
    for m in TAG.finditer(html):
        ref = None if m.group(1) else REF_ATTR.search(m.group(0))
        if ref and ref.group(1) not in found:
            found[html_lib.unescape(ref.group(1))] = html[m.start():_after_element(html, m)]
    return found


Resolve = Callable[[str], "Markup | None"]  # a token (@place, #term, {ref}) to its markup, None if unknown


def apply(html: str, doc: str, overrides: list[Override], resolve: Resolve, located: dict[str, Location],
          block_located: dict[str, Location] | None = None) -> tuple[str, list[Applied], list[Diagnostic]]:
    """Apply one document's overrides (one language's) to its HTML.

    Return the new HTML, what became of each override, and the problems: an override of a block the
    document does not have (with the nearest ids), two that overlap, a reference nothing resolves.
    """
    found = blocks(html)
    applied: list[Applied] = []
    problems: list[Diagnostic] = []
    edits: list[tuple[Block, str]] = []
    printed = _Printed(html)
    for override in overrides:
        where = located.get(override.ident, Location("data/overrides"))
        block = found.get(override.local)
        if block is None:
            nearest = tuple(difflib.get_close_matches(override.local, list(found), n=3, cutoff=0.4))
            applied.append(Applied(override, "orphaned", nearest=nearest))
            problems.append(orphan_problem(override, doc, nearest, (block_located or located).get(override.ident, where)))
            continue
        content = html[block.start:block.end]
        now = skeleton(content)
        applied.append(Applied(override, "current" if normal(override.replaced) == now else "stale", now))
        if normal(override.text) == now:
            continue  # the generated text as it stands: nothing to replace
        local = refs(content)
        markup, unknown = _markup(override.text, lambda token: _resolved(token, local, printed, resolve))
        if unknown:
            problems.append(Diagnostic(where, f"the override of {override.block} ({override.lang}) refers to "
                                       f"{', '.join(unknown)}, which nothing in {doc} names",
                                       f"`aidreport blocks {doc}` lists the references of each block"))
            continue
        edits.append((block, markup))
    for (outer, _), (inner, _) in ((a, b) for a in edits for b in edits if a is not b):
        if outer.start <= inner.tag_start and inner.end <= outer.end:
            problems.append(Diagnostic(located.get(_ident(overrides, inner), Location("data/overrides")),
                                       f"the overrides of {doc}#{outer.id} and {doc}#{inner.id} overlap: one block "
                                       "holds the other", "keep one of them"))
    if problems:
        return html, applied, problems
    for block, markup in sorted(edits, key=lambda e: e[0].start, reverse=True):
        html = html[:block.start] + markup + html[block.end:]
    return html, applied, problems


def _ident(overrides: list[Override], block: Block) -> str:
    return next(o.ident for o in overrides if o.local == block.id)


def orphan_problem(override: Override, doc: str, nearest: tuple[str, ...], where: Location) -> Diagnostic:
    suggest = ", ".join(f"{doc}#{n}" for n in nearest)
    return Diagnostic(where, f"the override of {override.block} ({override.lang}) names a block {doc} does not have",
                      (f"did you mean {suggest}? " if suggest else "") + f"`aidreport blocks {doc}` lists its "
                      "blocks; change the block id or delete the override")


class _Printed:
    """The figures a whole document prints, by reference: found once, when an override first asks."""

    def __init__(self, html: str):
        self.html, self._refs = html, None

    def get(self, name: str) -> str | None:
        if self._refs is None:
            self._refs = refs(self.html)
        return self._refs.get(name)


def _resolved(token: str, local: dict[str, str], printed: _Printed, resolve: Resolve) -> Markup | None:
    """A token's markup: a figure as the block printed it, else as the document did, else the writer's."""
    if token.startswith("{"):
        name = token[1:-1]
        if name in local:
            return Markup(local[name])
        if printed.get(name) is not None:
            return Markup(printed.get(name))
    return resolve(token)


def _markup(text: str, resolve: Resolve) -> tuple[str, list[str]]:
    """The editor's text as HTML: its references resolved, the rest escaped; and the tokens nothing resolved."""
    out: list[str] = []
    unknown: list[str] = []
    last = 0
    for m in TOKEN.finditer(text):
        out.append(escape(text[last:m.start()]))
        found = resolve(m.group(0))
        if found is None:
            unknown.append(m.group(0))
        else:
            out.append(found)
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out), unknown


def resolver(w: Any, ds: Any) -> Resolve:
    """Resolve an override's tokens with a document's writer: a place or term by its name in the writer's
    language, a fact (one the document did not print) by its figure, each noted as read."""

    def resolve(token: str) -> Markup | None:
        if token.startswith("@"):
            pid, _, form = token[1:].partition(":")
            return escape(w.place(pid, form)) if pid in ds.places else None
        if token.startswith("#"):
            return escape(w.term(token[1:])) if token[1:] in ds.terms else None
        fid = token[1:-1]
        origins = [f"{path}/{fid}" for path, facts in ds.facts_by_file() if any(f.id == fid for f in facts)]
        if len(origins) != 1:  # none, or one in each of two records: not a reference this can resolve
            return None
        return w.figure(w.ds.fact_at(origins[0]), origins[0])

    return resolve
