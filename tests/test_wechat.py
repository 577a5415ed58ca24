"""The WeChat edition (generator/writers/wechat.py) of the real documents, zh and en: fragments the 公众号
editor keeps (its tags, inline styles only, under its size limit), images beside them, no text lost; and
one fragment with a photo opened in Chromium at a phone's width, its images loaded."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT
from generator.context import make_context
from generator.records.dataset import load_dataset
from generator.errors import BuildError
from generator.words.plaintext import plain_text
from generator.render.renderer import qr_png
from generator.build.worker import render_documents
from generator.kinds import kind, kinds
from generator.writers.wechat import ATTRIBUTES, MAX_CHARS, MAX_IMAGE_BYTES, TAGS, WechatWriter, fitted
from test_browser import SHOTS, browser  # noqa: F401  (a fixture)

DATASET = load_dataset(ROOT)
LANGS = ("zh", "en")
PNG, JPEG = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"


@pytest.fixture(scope="module")
def documents():
    ctx = make_context(ROOT, ROOT / "output", DATASET)
    return ctx, render_documents(ctx, DATASET)


def has_edition(doc) -> bool:
    return "wechat" in kind(doc.kind).formats


@pytest.fixture(scope="module")
def editions(documents) -> dict:
    """Every document with a WeChat edition, with its files: {(folder, name, lang): (doc, {file: bytes})}."""
    ctx, docs = documents
    writer = WechatWriter(ctx)
    found = {}
    for doc in docs:
        if has_edition(doc):
            files = {f"{doc.name}.html": writer.write(doc), **writer.extras(doc)}
            found[doc.folder, doc.name, doc.lang.code] = doc, files
    return found


def fragments(files: dict[str, bytes]) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in files.items() if name.endswith(".html")}


def lines(html: str) -> list[str]:
    return plain_text(f"<html><body>{html}</body></html>").splitlines()


def test_articles_and_releases_have_an_edition_and_nothing_else(editions):
    assert {k.folder for k in kinds() if "wechat" in k.formats} == {"articles", "press"}
    assert {k.name for k in kinds() if "wechat" not in k.formats} == {"brief", "factsheet", "corrections"}
    folders = {key[0] for key in editions}
    assert folders == {"articles", "press"}
    instalment = DATASET.series.instalments[0]
    for lang in LANGS:
        _, files = editions["articles", instalment.id, lang]
        name = instalment.id
        assert set(files) == {f"{name}.html", f"{name}/qr.png"} | {f"{name}-{d}.html" for d in instalment.districts}
        for did in DATASET.districts:
            _, files = editions["press", f"district-{did}", lang]
            assert set(files) == {f"district-{did}.html"}  # a release: one fragment, no image
    assert sum(1 for key in editions if key[0] == "press") == 2 * (len(DATASET.districts) + len(DATASET.events) + 1)


def test_a_brief_has_no_edition(documents):
    ctx, docs = documents
    brief = next(doc for doc in docs if doc.folder == "briefs")
    with pytest.raises(BuildError, match="no WeChat edition"):
        WechatWriter(ctx).write(brief)


@pytest.mark.parametrize("lang", LANGS)
def test_fragments_hold_only_the_editors_tags_and_inline_styles(editions, lang):
    """No style or script element, no class, id, data-* or lang: only `style`, and src and alt on img."""
    for (folder, name, doc_lang), (_, files) in editions.items():
        if doc_lang != lang:
            continue
        for file, html in fragments(files).items():
            assert "<style" not in html and "<script" not in html and "@font-face" not in html, file
            root = lxml.html.fragment_fromstring(html)
            assert root.tag == "section" and "font-family" in root.get("style"), file
            for el in root.iter():
                assert isinstance(el.tag, str) and el.tag in TAGS, (file, el.tag)
                assert set(el.attrib) <= {"style"} | ATTRIBUTES.get(el.tag, set()), (file, el.tag, el.attrib)
                if el.tag in {"p", "h1", "h2", "h3"}:
                    assert "color:" in el.get("style", ""), (file, el.tag)  # the editor resets a bare p to black
            assert not re.search(r"\s(class|id|lang|data-[a-z-]+)=", html), file


@pytest.mark.parametrize("lang", LANGS)
def test_every_fragment_is_under_the_editors_limit(editions, lang):
    sizes = {f"{lang}/{folder}/{file}": len(html) for (folder, _, doc_lang), (_, files) in editions.items()
             if doc_lang == lang for file, html in fragments(files).items()}
    largest = max(sizes, key=sizes.get)
    print(f"largest {lang} fragment: {largest}, {sizes[largest]:,} characters")
    assert sizes[largest] < MAX_CHARS


@pytest.mark.parametrize("lang", LANGS)
def test_images_are_files_beside_the_fragment(editions, lang):
    for (folder, name, doc_lang), (_, files) in editions.items():
        if doc_lang != lang:
            continue
        used = set()
        for file, html in fragments(files).items():
            for img in lxml.html.fragment_fromstring(html).iter("img"):
                src = img.get("src")
                assert src in files and not src.startswith(("data:", "/", "http")), (file, src)
                assert img.get("alt", "").strip(), (file, src)
                used.add(src)
        pictures = {f for f in files if not f.endswith(".html")}
        assert pictures == used
        for picture in pictures:
            assert picture.startswith(f"{name}/") and len(files[picture]) < MAX_IMAGE_BYTES
            assert files[picture].startswith(PNG if picture.endswith(".png") else JPEG), picture


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_is_lost(editions, lang):
    """A release's fragment reads as the release; an article's files hold all its lines, each section whole."""
    for (folder, name, doc_lang), (doc, files) in editions.items():
        if doc_lang != lang:
            continue
        texts = {file: lines(html) for file, html in fragments(files).items()}
        whole = plain_text(doc.html).splitlines()
        if folder == "press":
            assert texts[f"{name}.html"] == whole
            continue
        assert {line for text in texts.values() for line in text} == set(whole)
        tree = lxml.html.document_fromstring(doc.html)
        sections = {s.get("id"): lines(lxml.html.tostring(s, encoding="unicode")) for s in tree.find_class("district")}
        inside = {line for own in sections.values() for line in own}
        for part, own in sections.items():
            text = texts[f"{name}-{part}.html"]
            start = text.index(own[0])
            assert text[start:start + len(own)] == own  # the section whole, in order
            assert not set(text) & (inside - set(own))  # and nothing of another
        assert texts[f"{name}.html"] == [line for line in whole if line not in inside]


def test_the_same_document_gives_the_same_files(documents, editions):
    ctx, docs = documents
    writer = WechatWriter(ctx)
    for doc in docs:
        if has_edition(doc):
            again = {f"{doc.name}.html": writer.write(doc), **writer.extras(doc)}
            assert again == editions[doc.folder, doc.name, doc.lang.code][1], doc.stem


def test_the_qr_code_is_the_accounts_png(editions):
    for lang in LANGS:
        name = DATASET.series.instalments[0].id
        _, files = editions["articles", name, lang]
        assert files[f"{name}/qr.png"] == qr_png(DATASET.series.follow.url)


def test_a_qr_code_drawn_as_svg_becomes_png(documents):
    """Should the documents draw the QR code as SVG, the editor still gets a PNG: the editor takes no SVG."""
    import base64
    import io

    import segno

    ctx, docs = documents
    article = next(doc for doc in docs if doc.folder == "articles")
    buf = io.BytesIO()
    segno.make(DATASET.series.follow.url, error="m").save(buf, kind="svg")
    svg = "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()
    html = re.sub(r'(<img class="qr" src=")[^"]+', lambda m: m.group(1) + svg, article.html)
    files = WechatWriter(ctx).extras(dataclasses.replace(article, html=html))
    assert files[f"{article.name}/qr.png"] == qr_png(DATASET.series.follow.url)


def test_an_element_the_editor_lacks_is_an_error_and_a_fragment_too_long_is_continued(documents):
    ctx, docs = documents
    release = next(doc for doc in docs if doc.folder == "press" and doc.lang.code == "en")
    video = release.html.replace("</h1>", "</h1><video></video>", 1)
    with pytest.raises(BuildError, match="<video> has no counterpart"):
        WechatWriter(ctx).write(dataclasses.replace(release, html=video))
    # A release of many paragraphs (SYNTHETIC: the first repeated, numbered): continued in pieces that
    # each fit, in order, every paragraph whole in one of them, each piece under the release's headline.
    paragraph = re.search(r"<p data-block=[^>]*>.*?</p>", release.html, re.S).group(0)
    many = "".join(re.sub("^(<p[^>]*>)", rf"\g<1>[{i}] ", paragraph) for i in range(3 * MAX_CHARS // len(paragraph)))
    long = dataclasses.replace(release, html=release.html.replace(paragraph, many, 1))
    files = WechatWriter(ctx).files(long)
    pieces = [name for name in files if name.endswith(".html")]
    assert pieces == [f"{release.name}.html"] + [f"{release.name}-continued-{i}.html" for i in range(2, len(pieces) + 1)]
    assert len(pieces) >= 3
    texts = [files[name].decode("utf-8") for name in pieces]
    assert all(len(text) < MAX_CHARS for text in texts)
    headline = re.search(r"<h1[^>]*>(.*?)</h1>", texts[0], re.S).group(1)
    assert all(headline in text for text in texts)
    numbers = [int(n) for text in texts for n in re.findall(r"\[(\d+)\] ", text)]
    assert numbers == list(range(3 * MAX_CHARS // len(paragraph)))


def noise(width: int, height: int) -> bytes:
    """A PNG that does not compress: random pixels from a fixed seed."""
    import io

    from PIL import Image

    pixels = random.Random(13).randbytes(width * height * 3)
    buf = io.BytesIO()
    Image.frombytes("RGB", (width, height), pixels).save(buf, format="PNG")
    return buf.getvalue()


def test_a_photo_over_the_limit_is_scaled_into_it():
    big = noise(1500, 1000)
    assert len(big) > MAX_IMAGE_BYTES
    fmt, data = fitted("png", big)
    assert fmt == "jpeg" and data.startswith(JPEG) and len(data) < MAX_IMAGE_BYTES
    assert fitted("png", big) == (fmt, data)  # the same bytes each time
    small = noise(100, 100)
    assert fitted("png", small) == ("png", small)  # one that fits is kept as it is


@pytest.fixture(scope="module")
def with_photo(tmp_path_factory) -> Path:
    """The project with a photo of 4.5 MB in Jiading's section, its WeChat files written out as the build would."""
    import shutil

    project = tmp_path_factory.mktemp("wechat") / "project"
    for folder in ("data", "templates"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "data/photos").mkdir()
    (project / "data/photos/eye-care.png").write_bytes(noise(1500, 1000))
    record = project / "data/districts/jiading.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("    after: box\n", "    after: box\n    image: eye-care.png\n", 1), encoding="utf-8")
    dataset = load_dataset(project)
    ctx = make_context(project, project / "output", dataset)
    writer = WechatWriter(ctx)
    for doc in render_documents(ctx, dataset):
        if doc.folder == "articles":
            folder = project / "output" / doc.lang.code / "wechat" / doc.folder
            for name, data in {f"{doc.name}.html": writer.write(doc), **writer.extras(doc)}.items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
    return project / "output"


@pytest.mark.parametrize("lang", LANGS)
def test_a_fragment_with_a_photo_shows_in_chromium_at_a_phones_width(with_photo: Path, browser, lang):  # noqa: F811
    name = DATASET.series.instalments[0].id
    fragment = with_photo / lang / "wechat" / "articles" / f"{name}-jiading.html"
    photo = fragment.parent / name / "photo-1.jpg"
    assert 0 < photo.stat().st_size < MAX_IMAGE_BYTES
    assert f'src="{name}/photo-1.jpg"' in fragment.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(fragment.as_uri())  # the bare fragment, as a copy desk opens it before pasting
    page.wait_for_load_state("load")
    widths = page.evaluate("[...document.images].map(i => i.complete ? i.naturalWidth : 0)")
    assert len(widths) == 2 and all(widths), widths  # the QR code and the photo
    assert page.evaluate("document.characterSet") == "UTF-8"
    heading = next(line for line in lines(fragment.read_text(encoding="utf-8")) if line.startswith("## "))
    assert heading[3:] in page.inner_text("body")
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / f"wechat-{lang}.png"), full_page=True)
