"""Editing a block in the preview (`aidreport serve`): what the page asks and sends, answered here.

The page (templates/edit.js) asks for a block's text when the editor picks it: the generated text with
each figure as its reference (the skeleton), and the editor's override of it if there is one, with its
state. It sends the edit back with the skeleton it showed and the server's per-run token; the override
is written (overrides.py: save) only if that skeleton is still the block's, so an edit is never made
against text the page no longer shows. The watcher sees the file change, and the page reloads with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import AidReportError
from ..records.overrides import Override
from .overrides import OverrideError, as_html, document_blocks, listing, save

EDIT = "/__aidreport/"  # the editor's routes: block, page-overrides, overrides (a page), override (POST)
LANGS = ("zh", "en", "zh-Hant")  # the languages an override is written in (the side-by-side page is made of two)
MAX_BODY = 64 * 1024


class Refused(Exception):
    """An edit the server will not write: the status to answer with and why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def page_of(path: str) -> tuple[str, str] | None:
    """The language and document label of a page's URL path (/en/press/district-baoshan.html)."""
    parts = [p for p in path.split("/") if p]
    if len(parts) != 3 or parts[0] not in LANGS or not parts[2].endswith(".html"):
        return None
    return parts[0], f"{parts[1]}/{parts[2][:-len('.html')]}"


def block_info(root: Path, lang: str, block: str) -> dict[str, Any]:
    """A block's skeleton now, and the override of it in this language (its text, what it replaced, its state)."""
    from ..records.dataset import load_dataset

    label, _, _ = block.partition("#")
    ds = load_dataset(root)
    found = {(b.id, b.lang): b for b in document_blocks(root, ds, label)}.get((block, lang))
    if found is None:
        raise Refused(404, f"{label} has no block {block.partition('#')[2]} in {lang}")
    info: dict[str, Any] = {"block": block, "lang": lang, "skeleton": found.skeleton, "refs": found.refs}
    # The override's text and state: the documents with overrides rendered again only for an overridden block.
    row = next((r for r in listing(root, ds) if r["id"] == f"{lang}/{block}"), None) if found.overridden else None
    if row is not None:
        info["override"] = {k: row[k] for k in ("text", "replaced", "state", "file")}
    return info


def page_overrides(root: Path, lang: str, label: str) -> list[dict[str, Any]]:
    """The overrides of one page, with their states (the page marks a stale one)."""
    from ..records.dataset import load_dataset

    ds = load_dataset(root)
    if ds.overrides is None or not ds.overrides.of(label, lang):
        return []
    return [{"block": r["id"].partition("#")[2], "state": r["state"]} for r in listing(root, ds)
            if r["id"].startswith(f"{lang}/{label}#")]


def save_edit(root: Path, body: bytes) -> dict[str, Any]:
    """Write the edit the page sent ({block, lang, text, seen, by}); raise Refused for one that cannot be."""
    from ..records.dataset import load_dataset

    try:
        sent = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refused(400, "the edit is not JSON") from None
    if not isinstance(sent, dict) or not all(isinstance(sent.get(k), str) for k in ("block", "lang", "text", "seen")):
        raise Refused(400, "an edit gives block, lang, text and seen as text")
    try:  # the shape an override file would be checked for, before anything is written
        Override(block=sent["block"], lang=sent["lang"], text=sent["text"], replaced=sent["seen"] or "-",
                 by=sent.get("by") or None)
    except ValueError as exc:
        raise Refused(400, f"not an override: {str(exc).splitlines()[0]}") from None
    try:
        path = save(root, load_dataset(root), sent["block"], sent["lang"], sent["text"], sent["seen"],
                    sent.get("by") or None)
    except OverrideError as exc:
        raise Refused(409, str(exc)) from None
    except AidReportError as exc:  # the project does not load: the page shows the build's problems already
        raise Refused(409, "; ".join(exc.lines())) from None
    return {"saved": path.relative_to(root).as_posix()}



class EditorRoutes:
    """The preview server's answers to the editor (mixed into its request handler, which gives _send, _page,
    path, headers, rfile and server: its root, token, builder)."""

    def _editor(self, route: str, query: dict[str, list[str]], send_body: bool) -> None:
        """The editor's questions: a block's text (block?lang=&id=), a page's overrides (page-overrides?page=),
        and every override with its state as a page (overrides)."""
        from ..records.dataset import load_dataset

        one = lambda name: (query.get(name) or [""])[0]  # noqa: E731
        root = self.server.root
        try:
            if route == "block":
                found = block_info(root, one("lang"), one("id"))
            elif route == "page-overrides":
                page = page_of(one("page"))
                found = page_overrides(root, *page) if page else []
            elif route == "overrides":
                page = as_html(listing(root, load_dataset(root))).encode("utf-8")
                self._send(200, "text/html; charset=utf-8", self._page(page, self.server.builder.state.generation),
                           send_body)
                return
            else:
                raise Refused(404, f"no such question: {route}")
        except Refused as exc:
            self._json(exc.status, {"error": str(exc)}, send_body)
            return
        except (OverrideError, AidReportError) as exc:  # the project does not load: the banner says why
            self._json(409, {"error": "; ".join(exc.lines())}, send_body)
            return
        self._json(200, found, send_body)

    def answer_post(self) -> None:
        """The editor's edit of a block: written as an override, if the token is this run's and the block's
        text is still the one the page showed."""
        import hmac

        if urlsplit(self.path).path != EDIT + "override":
            self._json(404, {"error": "nothing to post there"}, True)
            return
        if not hmac.compare_digest(self.headers.get("X-Aidreport-Token", ""), self.server.token):
            self._json(403, {"error": "this page is not one this preview served: reload it"}, True)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY:
            self._json(413, {"error": f"an edit is at most {MAX_BODY} bytes"}, True)
            return
        try:
            saved = save_edit(self.server.root, self.rfile.read(length))
        except Refused as exc:
            self._json(exc.status, {"error": str(exc)}, True)
            return
        self.server.builder.say(f"override saved in {saved['saved']}")
        self._json(200, saved, True)

    def _json(self, status: int, value: object, send_body: bool) -> None:
        self._send(status, "application/json", json.dumps(value, ensure_ascii=False).encode("utf-8"), send_body)

