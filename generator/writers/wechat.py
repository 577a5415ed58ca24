"""The WeChat edition: HTML fragments that the 公众号 (official account) editor keeps when they are pasted
or sent as an article's `content`, with their images as files beside them.

Which documents: those of the kinds whose formats include "wechat" (kinds/). An article is cut into parts, so that each district's
section can be posted alone and every file stays under the editor's limit; a release is one fragment.

Files, named relative to the folder the main file goes in (`output/<lang>/wechat/<folder>/`):

- `<name>.html`, the main fragment: for an article its masthead, intro, follow box with the QR code and
  sources (every element but the sections); for a release the whole release;
- `<name>-<part>.html`, one fragment per part (an article's district section, `<part>` its id, e.g.
  `baoshan-minhang-jiading-jinshan-baoshan.html`): the section with what each part repeats of its
  document (masthead, follow box, sources, a correction notice), so that it reads as a post of its own;
- `<name>/qr.png`, `<name>/chart-<id>.png`, `<name>/photo-<n>.png|jpg`: the images, shared by the
  document's fragments (`photo-<n>` numbers the photos in document order); each `img src` is this
  relative path, to be replaced by the address the editor gives the uploaded file.

Each fragment is one `<section>`, styled only by `style` attributes that css-inline writes from
templates/css/wechat.css; classes, ids, `<style>` and `<script>` are gone. The rules, from what WeChat
publishes and what the editor is known to keep:

- at most MAX_CHARS characters: the API that saves an article (draft/add, `content`) takes "必须少于2万字符，
  小于1M" (less than 20,000 characters, under 1 MB); we count the fragment's HTML source as Python
  counts a str, in Unicode code points (a Chinese character is one), tags and attributes included.
  A fragment that would be longer is continued in `<fragment>-continued-2.html`, `-continued-3` and so
  on: its blocks (paragraphs, list items, boxes) are shared out in order, each continuation repeating
  the masthead and headline and what surrounds the blocks (the follow box). A record's text is at most 2,000 characters
  (models.Str), so a block always fits;
- images as PNG or JPEG of at most MAX_IMAGE_BYTES: the API for an article's images (media/uploadimg)
  takes "仅支持jpg/png格式，大小必须在1MB以下". A bigger photo is scaled down and saved as JPEG;
- TAGS and ATTRIBUTES below: the editor drops `<style>`, `<script>`, `id`, `class` and event
  attributes on paste and keeps an element's inline `style`; the tags it keeps are listed by the
  open-source converters that target it (e.g. md2wechat's HTML guide: section, p, span, strong, em,
  u, a, h1-h6, ul, ol, li, blockquote, pre, code, table, thead, tbody, tr, th, td, br, img, hr; img
  keeps src, alt and style). We use the subset our documents need.
"""

from __future__ import annotations

import io
from copy import deepcopy
from dataclasses import dataclass

import lxml.html

from ..errors import BuildError
from ..kinds import kind
from .base import Writer, image_data

MAX_CHARS = 20_000  # a fragment has fewer characters than this
MAX_IMAGE_BYTES = 1_000_000  # and each image fewer bytes than this
STYLESHEET = "templates/css/wechat.css"

# The editor's tags that the fragments may hold.
TAGS = frozenset({"section", "p", "span", "strong", "em", "br", "img", "h1", "h2", "h3", "h4",
                  "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td"})
# The document's own elements outside that set, and the editor's element each becomes.
RENAMED = {"body": "section", "article": "section", "header": "section", "aside": "section",
           "footer": "section", "figure": "section", "div": "section", "figcaption": "p"}
# The attributes kept: `style` on every element, and these on their own element. No class, id,
# data-* or lang (the editor drops the first two; the others it has no use for).
ATTRIBUTES = {"img": frozenset({"src", "alt"})}
# Blocks a fragment too long is never cut inside: each goes whole into one of its pieces.
WHOLE = frozenset({"p", "li", "h1", "h2", "h3", "h4", "figure", "figcaption", "blockquote", "table", "img"})
HEADINGS = frozenset({"h1", "h2"})  # each continuation repeats the blocks up to the first of these
# Widths a photo over MAX_IMAGE_BYTES is scaled to (the widest that fits wins), and its JPEG quality.
WIDTHS = (1600, 1280, 1080, 900, 720, 540)
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Edition:
    """How one folder's documents become fragments.

    `part`: the class of the elements that each get a fragment of their own (None: one fragment);
    `frame`: the classes of the elements every part's fragment repeats from its document.
    """

    part: str | None = None
    frame: frozenset[str] = frozenset()


def edition_of(doc) -> Edition:
    """How a document is cut: as its kind says (kinds.Kind.wechat_part and wechat_frame)."""
    made = kind(doc.kind)
    if "wechat" not in made.formats:
        raise BuildError(f"{doc.stem}: documents of the kind {made.name} have no WeChat edition")
    return Edition(part=made.wechat_part, frame=made.wechat_frame)


class WechatWriter(Writer):
    """Writes the main fragment of a document; extras() gives its other fragments and its images."""

    ext = "html"
    STYLESHEET = STYLESHEET  # an input of every file it writes

    def __init__(self, ctx):
        super().__init__(ctx)
        import css_inline

        css = (ctx.root / STYLESHEET).read_text(encoding="utf-8")
        # The documents' own <style> (print.css) is dropped; only the WeChat stylesheet is inlined.
        self.inliner = css_inline.CSSInliner(inline_style_tags=False, keep_style_tags=False,
                                             load_remote_stylesheets=False, extra_css=css)
        self._last: tuple[object, dict[str, bytes]] | None = None

    def write(self, doc) -> bytes:
        return self.files(doc)[f"{doc.name}.html"]

    def extras(self, doc) -> dict[str, bytes]:
        """Return the document's other files, each named relative to the main file's folder."""
        main = f"{doc.name}.html"
        return {name: data for name, data in self.files(doc).items() if name != main}

    def files(self, doc) -> dict[str, bytes]:
        """Return every file of a document's WeChat edition, the main fragment first."""
        if self._last is not None and self._last[0] is doc:
            return self._last[1]
        edition = edition_of(doc)
        body = lxml.html.document_fromstring(self.inliner.inline(doc.html)).find("body")
        images = self._images(body, doc)
        files = {}
        for suffix, fragment in fragments(body, edition):
            for i, html in enumerate(pieces(fragment, f"{doc.stem}{suffix}")):
                name = f"{doc.name}{suffix}{f'-continued-{i + 1}' if i else ''}.html"
                files[name] = html.encode("utf-8")
        files.update(images)
        self._last = (doc, files)
        return files

    def _images(self, body, doc) -> dict[str, bytes]:
        """Give every image a file of its own beside the fragments and point its src there."""
        files: dict[str, bytes] = {}
        photos = 0
        for img in body.iter("img"):
            if not img.get("alt", "").strip():
                raise BuildError(f"{doc.stem}: an image has no alternative text")
            classes = set(img.get("class", "").split())
            fmt, data = self._picture(img, doc, "qr" in classes)
            if "qr" in classes:
                stem = "qr"
            elif img.get("data-chart") is not None:
                stem = f"chart-{img.get('data-chart')}"
            else:
                photos += 1
                stem = f"photo-{photos}"
            fmt, data = fitted(fmt, data)
            name = f"{doc.name}/{stem}.{'jpg' if fmt == 'jpeg' else fmt}"
            files[name] = data
            img.set("src", name)
        return files

    def _picture(self, img, doc, qr: bool) -> tuple[str, bytes]:
        """Return an image's bytes; a QR code drawn as SVG is drawn again as PNG, from the account's address."""
        if qr and img.get("src", "").startswith("data:image/svg+xml"):
            from ..render.renderer import qr_png

            dataset = self.ctx.dataset
            if dataset is None:
                from ..records.dataset import load_dataset

                dataset = self.ctx.dataset = load_dataset(self.ctx.root)
            return "png", qr_png(dataset.series.follow.url)
        return image_data(img, doc.charts)


def fragments(body, edition: Edition):
    """Yield (suffix, element) for each fragment of a document's body: the main one ("") first, then its parts."""
    main = deepcopy(body)
    for el in _parts(main, edition):
        el.drop_tree()
    yield "", main
    for i, part in enumerate(_parts(body, edition)):
        copy = deepcopy(body)
        own = _parts(copy, edition)[i]
        for el in _parts(copy, edition):
            if el is not own:
                el.drop_tree()
        for sibling in list(own.getparent()):
            if sibling is not own and not (_classes(sibling) & edition.frame):
                sibling.drop_tree()
        yield f"-{part.get('id') or i + 1}", copy


def _parts(root, edition: Edition) -> list:
    if edition.part is None:
        return []
    return [el for el in root.iter() if isinstance(el.tag, str) and edition.part in _classes(el)]


def _classes(el) -> set[str]:
    return set(el.get("class", "").split()) if isinstance(el.tag, str) else set()


def pieces(fragment, where: str) -> list[str]:
    """Return a fragment serialised, in as many pieces as keep each under MAX_CHARS: the blocks of the
    element that holds most of its text are shared out in order; each piece keeps what surrounds them,
    and the blocks up to the first heading (the masthead and headline)."""
    whole = serialise(deepcopy(fragment), where)
    if len(whole) < MAX_CHARS:
        return [whole]
    path = _widest(fragment)
    holder = _at(fragment, path)
    head = next((i for i, block in enumerate(holder) if block.tag in HEADINGS), -1)
    sizes = [len(lxml.html.tostring(block, encoding="unicode")) for block in holder]
    frame = len(_only(fragment, path, head, 0, 0, where))
    made, start = [], 0
    while start < len(sizes):
        end, total = start + 1, frame + sizes[start]
        while end < len(sizes) and total + sizes[end] < MAX_CHARS * 0.95:  # a guess from the blocks' sizes
            total, end = total + sizes[end], end + 1
        html = _only(fragment, path, head, start, end, where)
        while len(html) >= MAX_CHARS and end - start > 1:  # then checked on what the editor gets
            end -= 1
            html = _only(fragment, path, head, start, end, where)
        if len(html) >= MAX_CHARS:
            raise BuildError(f"{where}: a block of the WeChat fragment has {len(html):,} characters; the editor "
                             f"takes fewer than {MAX_CHARS:,}")
        made.append(html)
        start = max(end, head + 1)  # the blocks up to the headline are in every piece already
    return made


def _widest(root) -> list[int]:
    """The path (child indexes) to the element whose children share most of root's text: descend while
    one child holds more than half of it, never into a block that reads as one (a paragraph, a list item)."""
    path, el = [], root
    while True:
        sizes = [len(lxml.html.tostring(child, encoding="unicode")) for child in el]
        if not sizes or max(sizes) * 2 <= sum(sizes) or el[sizes.index(max(sizes))].tag in WHOLE:
            return path
        path.append(sizes.index(max(sizes)))
        el = el[path[-1]]


def _at(root, path: list[int]):
    for i in path:
        root = root[i]
    return root


def _only(fragment, path: list[int], head: int, start: int, end: int, where: str) -> str:
    """Serialise a copy of the fragment whose element at path keeps only its blocks up to head and its
    blocks start..end-1."""
    copy = deepcopy(fragment)
    holder = _at(copy, path)
    for block in [b for i, b in enumerate(holder) if i > head and not start <= i < end]:
        block.drop_tree()
    return serialise(copy, where)


def serialise(root, where: str) -> str:
    """Return a fragment as the editor takes it: its tags renamed to the editor's, only allowed attributes."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # a comment
            el.drop_tree()
            continue
        tag = RENAMED.get(el.tag, el.tag)
        if tag not in TAGS:
            raise BuildError(f"{where}: <{el.tag}> has no counterpart in the WeChat editor; add it to wechat.RENAMED")
        el.tag = tag
        keep = ATTRIBUTES.get(tag, frozenset()) | {"style"}
        for name in [name for name in el.attrib if name not in keep]:
            del el.attrib[name]
        for text in ("text", "tail"):  # a line break between blocks, however many lines dropped parts left
            value = getattr(el, text)
            if value and "\n" in value and not value.strip():
                setattr(el, text, "\n")
        if tag == "span" and not el.attrib:
            el.drop_tag()  # a figure's span, its class gone: only its text is left
    return lxml.html.tostring(root, encoding="unicode").strip() + "\n"


def fitted(fmt: str, data: bytes) -> tuple[str, bytes]:
    """Return an image within MAX_IMAGE_BYTES: as it is when it fits, else scaled down and saved as JPEG."""
    if len(data) < MAX_IMAGE_BYTES:
        return fmt, data
    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        picture = opened.convert("RGBA")
    flat = Image.new("RGB", picture.size, "white")  # a transparent PNG on white, as the page shows it
    flat.paste(picture, mask=picture.getchannel("A"))
    for width in WIDTHS:
        scaled = flat if flat.width <= width else flat.resize(
            (width, round(flat.height * width / flat.width)), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        scaled.save(buf, format="JPEG", quality=JPEG_QUALITY)
        if buf.tell() < MAX_IMAGE_BYTES:
            return "jpeg", buf.getvalue()
    raise BuildError(f"an image stays over {MAX_IMAGE_BYTES:,} bytes at {WIDTHS[-1]} pixels wide")
