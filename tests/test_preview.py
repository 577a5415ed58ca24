"""The HTML preview: an index of every output, and every document linked to its twin."""

from __future__ import annotations

import lxml.html

from conftest import Built


def _links(path) -> list[str]:
    return lxml.html.parse(str(path)).getroot().xpath("//a/@href")


def test_the_index_links_every_output_in_every_language_and_format(built: Built):
    outputs = {p.relative_to(built.output).as_posix() for p in built.output.rglob("*")
               if p.suffix in {".pdf", ".docx", ".html"} and p.name != "index.html"}
    links = _links(built.output / "index.html")
    assert sorted(links) == sorted(outputs) and len(links) == 222  # every document and WeChat fragment, no picture
    text = (built.output / "index.html").read_text(encoding="utf-8")
    assert "新闻稿" in text and "Press releases" in text and "Paired assistance, district by district" in text


def test_every_html_document_links_its_twin_and_the_index(built: Built):
    pages = [p for lang in ("zh", "en") for p in (built.output / lang).rglob("*.html") if "wechat" not in p.parts]
    assert len(pages) == 32
    for page in pages:
        lang, folder, name = page.relative_to(built.output).with_suffix("").parts
        other = "en" if lang == "zh" else "zh"
        links = _links(page)
        assert f"../../{other}/{folder}/{name}.html" in links, page
        assert "../../index.html" in links
        assert (page.parent / f"../../{other}/{folder}/{name}.html").resolve().is_file()


def test_the_pdf_and_docx_carry_no_preview_links(built: Built):
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(built.path("en", "pdf", "briefs", "comparison")).pages)
    assert "All documents" not in text
    import docx

    document = docx.Document(str(built.path("zh", "docx", "briefs", "baoshan")))
    assert all("全部文档" not in p.text for p in document.paragraphs)


def test_every_preview_loads_the_project_fonts_from_output(built: Built):
    """The lean faces the PDFs embed are copied under output/fonts/ and loaded by relative URLs."""
    import re

    from generator.cache import Cache
    from generator.fonts.faces import FACES

    fonts = sorted(p.name for p in (built.output / "fonts").iterdir())
    assert len(fonts) == len(FACES)
    cached = {p.read_bytes() for p in Cache().folder.glob("*") if p.suffix in {".otf", ".ttf"}}
    assert all((built.output / "fonts" / name).read_bytes() in cached for name in fonts)
    pages = [p for p in built.output.rglob("*.html") if "wechat" not in p.parts]  # WeChat: no @font-face
    assert len(pages) == 16 * 3 + 11 + 1  # zh, en, zh-Hant, side by side, and the index
    for page in pages:
        html = page.read_text(encoding="utf-8")
        rules = re.findall(r'@font-face \{ font-family: "([^"]+)"; font-weight: (\d+); [^}]*src: url\("([^"]+)"\)', html)
        assert {(family, int(weight)) for family, weight, _ in rules} == {(f.family, f.weight) for f in FACES}, page
        for _, _, url in rules:
            assert not url.startswith(("/", "file:", "http")), url
            assert (page.parent / url).resolve().is_file(), (page, url)
