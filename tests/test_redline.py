"""Redlines: the new text with Word's tracked changes from the old, read back, and opened by LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import ROOT
from generator.errors import BuildError
from generator.words.lang import Language, language
from generator.writers.redline import accepted_text, redline_docx, rejected_text

ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE = "2019-10-13T00:00:00Z"
REFERENCE = (ROOT / "templates" / "reference.docx").read_bytes()
GOLDEN = ROOT / "tests" / "golden"

# Per language: the figure changed, the heading word changed, and a paragraph inserted (an editor's addition).
EDITS = {
    "en": {"figure": ("11,281", "12,345"), "heading": ("industry", "industries"),
           "added": "Baoshan will send 10 more teachers to Yecheng County in 2020."},
    "zh": {"figure": ("11281名", "12345名"), "heading": ("长效", "稳定"),
           "added": "2020年，宝山区将再派10名教师到叶城县支教。"},
}


def _golden(lang: str) -> str:
    return (GOLDEN / lang / "press" / "district-baoshan.txt").read_text(encoding="utf-8")


def _edited(lang: str) -> tuple[str, str, str]:
    """Return the golden text, a copy-desk edit of it, and the paragraph the edit deletes."""
    old = _golden(lang)
    edit = EDITS[lang]
    lines = old.replace(*edit["figure"]).splitlines()
    assert lines[1].startswith("# ") and edit["heading"][0] in lines[1]
    lines[1] = lines[1].replace(*edit["heading"])
    deleted = lines.pop(3)  # the second body paragraph
    lines.insert(6, edit["added"])
    return old, "\n".join(lines) + "\n", deleted


def _document(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _texts(doc, change: str) -> list[str]:
    """The text of each w:ins or w:del that holds runs."""
    return ["".join(t.text for t in el.iter(f"{W}t", f"{W}delText")) for el in doc.iter(f"{W}{change}")
            if el.find(f"{W}r") is not None]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_copy_desk_edit_is_tracked_and_reads_back(lang: str):
    old, new, deleted = _edited(lang)
    data = redline_docx(old, new, language(lang), REFERENCE, "Baoshan", DATE)
    assert accepted_text(data) == new
    assert rejected_text(data) == old
    doc = _document(data)
    changes = list(doc.iter(f"{W}ins", f"{W}del"))
    assert {el.tag for el in changes} == {f"{W}ins", f"{W}del"}
    assert {(el.get(f"{W}author"), el.get(f"{W}date")) for el in changes} == {("aidreport", DATE)}
    ids = [el.get(f"{W}id") for el in changes]
    assert len(ids) == len(set(ids))
    before, after = EDITS[lang]["figure"]
    assert [t for t in _texts(doc, "del") if before in t] == [before]
    assert [t for t in _texts(doc, "ins") if after in t] == [after]
    marks = {change: ["".join(p.itertext()) for p in doc.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{W}{change}") is not None]
             for change in ("ins", "del")}
    assert marks == {"ins": [EDITS[lang]["added"]], "del": [deleted]}
    first = next(doc.iter(f"{W}p"))
    assert first.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Normal"  # the release line
    headings = [p for p in doc.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading1"]
    assert len(headings) == 1 and not "".join(headings[0].itertext()).startswith("#")
    assert _texts(doc, "del")[0] == EDITS[lang]["heading"][0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_run_carries_the_language(lang: str):
    old, new, _ = _edited(lang)
    doc = _document(redline_docx(old, new, language(lang), REFERENCE, "Baoshan", DATE))
    tag = {"en": "en-GB", "zh": "zh-CN"}[lang]
    langs = {(r.find(f"{W}rPr/{W}lang").get(f"{W}val"), r.find(f"{W}rPr/{W}lang").get(f"{W}eastAsia"))
             for r in doc.iter(f"{W}r")}
    assert langs == {(tag, tag if lang == "zh" else None)}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unchanged_text_has_no_tracked_changes(lang: str):
    text = _golden(lang)
    data = redline_docx(text, text, language(lang), REFERENCE, "Baoshan", DATE)
    doc = _document(data)
    assert not list(doc.iter(f"{W}ins", f"{W}del"))
    assert accepted_text(data) == rejected_text(data) == text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_article_rewritten_reads_back(lang: str):
    """The four-district article (an image among its blocks), every year moved on, every third block
    rewritten backwards and every seventh dropped: whole paragraphs and changes within them, side by side."""
    old = (GOLDEN / lang / "articles" / "baoshan-minhang-jiading-jinshan.txt").read_text(encoding="utf-8")
    lines = [line[::-1] if n % 3 == 2 else line.replace("2019", "2020")
             for n, line in enumerate(old.splitlines()) if n % 7 != 6]
    new = "\n".join(lines) + "\n"
    data = redline_docx(old, new, language(lang), REFERENCE, "Baoshan", DATE)
    assert (accepted_text(data), rejected_text(data)) == (new, old)


def test_the_same_input_gives_the_same_bytes():
    old, new, _ = _edited("zh")
    first = redline_docx(old, new, language("zh"), REFERENCE, "宝山区", DATE)
    assert redline_docx(old, new, language("zh"), REFERENCE, "宝山区", DATE) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "<dc:title>宝山区</dc:title>" in core and "<dc:creator>aidreport</dc:creator>" in core
    assert "2019-10-13T00:00:00Z" in core


def test_a_figure_is_one_token_and_markup_survives():
    data = redline_docx("- Investment: 1.23亿元 in 2019\n", "- Investment: 1.5亿元 in 2019\n", language("zh"), REFERENCE, "t", DATE)
    doc = _document(data)
    assert (_texts(doc, "del"), _texts(doc, "ins")) == (["1.23亿元"], ["1.5亿元"])
    assert doc.find(f".//{W}pStyle").get(f"{W}val") == "ListBullet"
    assert accepted_text(data) == "- Investment: 1.5亿元 in 2019\n"


def test_bad_language_or_date_is_our_error():
    class Russian(Language):  # a script with no tokenizer
        code, tag, script = "ru", "ru-RU", "Cyrl"

    with pytest.raises(BuildError, match="no redline tokenizer for the script of 'ru'"):
        redline_docx("a\n", "b\n", Russian(), REFERENCE, "t", DATE)
    with pytest.raises(BuildError):
        redline_docx("a\n", "b\n", language("en"), REFERENCE, "t", "13 October 2019")


# Property: SYNTHETIC texts, made up here from a small vocabulary so that old and new share lines and words.
WORDS = {"en": st.sampled_from(["the", "county", "jobs", "11,281", "12,345", "1.5", "per", "cent", "Baoshan’s",
                                 "east–west", ",", ".", "(", ")", "  "]),
         "zh": st.sampled_from(list("宝山区就业扶贫，。（）") + ["11281名", "12345名", "1.23亿元", "5万", "ab", " "])}
MARKS = st.sampled_from(["", "", "", "# ", "## ", "### ", "- ", "###", "#### "])


def _line(lang: str):
    joiner = " " if lang == "en" else ""
    return st.builds(lambda mark, words: mark + joiner.join(words), MARKS, st.lists(WORDS[lang], max_size=12))


def _edit(data, lang: str, lines: list[str]) -> list[str]:
    """Apply a few random edits: lines deleted, inserted or replaced, words within a line changed."""
    lines = list(lines)
    for _ in range(data.draw(st.integers(0, 5))):
        kind = data.draw(st.sampled_from(["delete", "insert", "replace", "words"]))
        at = data.draw(st.integers(0, max(0, len(lines) - (kind != "insert"))))
        if kind == "insert" or not lines:
            lines.insert(at, data.draw(_line(lang)))
        elif kind == "delete":
            del lines[at]
        elif kind == "replace":
            lines[at] = data.draw(_line(lang))
        else:
            words = lines[at].split(" ")
            i = data.draw(st.integers(0, len(words)))
            words[i:i + data.draw(st.integers(0, 2))] = data.draw(st.lists(WORDS[lang], max_size=3))
            lines[at] = " ".join(words)
    return lines


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(["en", "zh"]))
def test_accepting_gives_the_new_text_and_rejecting_the_old(data, lang: str):
    old_lines = data.draw(st.lists(_line(lang), max_size=8))
    new_lines = _edit(data, lang, old_lines)
    old, new = ("".join(line + "\n" for line in lines) for lines in (old_lines, new_lines))
    redline = redline_docx(old, new, language(lang), REFERENCE, "t", DATE)
    assert accepted_text(redline) == new
    assert rejected_text(redline) == old
    changes = list(_document(redline).iter(f"{W}ins", f"{W}del"))
    assert bool(changes) == (old != new)


def _libreoffice(source: Path, fmt: str, out: Path) -> Path:
    """Convert with LibreOffice on a profile of its own, so that parallel runs do not collide."""
    result = subprocess.run(["libreoffice", f"-env:UserInstallation=file://{out / ('lo-' + fmt)}", "--headless",
                             "--convert-to", fmt, "--outdir", str(out), str(source)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out / source.with_suffix(f".{fmt}").name


def _span(ident: str) -> str:
    return f'<text:change-start text:change-id="{ident}"/>(.*?)<text:change-end text:change-id="{ident}"/>'


def _tracked(fodt: Path) -> tuple[list[tuple[str, str, str]], str]:
    """Return LibreOffice's tracked changes as (insertion or deletion, its id, the text it spans), and its body."""
    flat = etree.parse(str(fodt))
    regions = flat.findall(f".//{ODF_TEXT}tracked-changes/{ODF_TEXT}changed-region")
    assert all(region.find(f".//{{http://purl.org/dc/elements/1.1/}}creator").text == "aidreport" for region in regions)
    body = etree.tostring(flat.find(f".//{{urn:oasis:names:tc:opendocument:xmlns:office:1.0}}text"), encoding="unicode")
    found = []
    for region in regions:
        ident = region.get(f"{ODF_TEXT}id")
        text = re.sub(r"<[^>]+>|\s*\n\s*", "", re.search(_span(ident), body, re.S).group(1))
        found.append((etree.QName(region[0]).localname, ident, text))
    return found, body


def _settled(body: str, changes: list[tuple[str, str, str]], drop: str) -> str:
    """LibreOffice's text with the changes of one kind cut out (deletions: all accepted; insertions: all
    rejected), as a cut across a paragraph end joins two paragraphs; one line a paragraph, without marks."""
    body = re.sub(r"<(/?)text:h(?=[\s>])", r"<\1text:p", body)  # headings are paragraphs here
    for kind, ident, _ in changes:
        if kind == drop:
            body = re.sub(_span(ident), "", body, flags=re.S)
    return "".join("".join(p.itertext()).strip() + "\n" for p in etree.fromstring(body).iter(f"{ODF_TEXT}p"))


def _unmarked(text: str) -> str:
    return re.sub(r"^(#{1,3} |- )", "", text, flags=re.M)


LIBREOFFICE = pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice missing (make setup installs it)")


@LIBREOFFICE
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_libreoffice_reads_the_tracked_changes(lang: str, tmp_path: Path):
    old, new, deleted = _edited(lang)
    source = tmp_path / "redline.docx"
    source.write_bytes(redline_docx(old, new, language(lang), REFERENCE, "Baoshan", DATE))
    changes, body = _tracked(_libreoffice(source, "fodt", tmp_path))
    assert {kind for kind, _, _ in changes} == {"insertion", "deletion"}
    before, after = EDITS[lang]["figure"]
    removed = [text for kind, _, text in changes if kind == "deletion"]
    assert before in removed and any(deleted in text for text in removed)
    assert after in [text for kind, _, text in changes if kind == "insertion"]
    # What LibreOffice understood, settled: accepting gives the new text, rejecting the old.
    assert _settled(body, changes, "deletion") == _unmarked(new)
    assert _settled(body, changes, "insertion") == _unmarked(old)


@LIBREOFFICE
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm missing (poppler-utils)")
def test_libreoffice_prints_the_tracked_changes(tmp_path: Path):
    """LibreOffice prints a redline with its markup (struck deletions, underlined insertions, change bars);
    the page is rendered to a PNG for a person to look at, as was done when this was written."""
    from pypdf import PdfReader

    old, new, _ = _edited("zh")
    source = tmp_path / "redline.docx"
    source.write_bytes(redline_docx(old, new, language("zh"), REFERENCE, "宝山区", DATE))
    pdf = _libreoffice(source, "pdf", tmp_path)
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "11281" in text and "12345" in text  # both sides of a change are printed, marked up
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    assert list(tmp_path.glob("page*.png"))
