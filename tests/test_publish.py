"""Publication and corrections: `aidreport publish` records what was published; a figure changed after
it makes each document that printed it carry a correction notice, and the corrections list names it.

The changed figure (12,345 workers) is SYNTHETIC: it is written only into this test's copy.
"""

from __future__ import annotations

import json
import shutil

import yaml

from conftest import TEST_ALL, Built, run_cli, squash

FACT = "measure: workers-employed-locally, value: 11281"
CHANGED = "measure: workers-employed-locally, value: 12345"
AFFECTED = ("articles/baoshan-minhang-jiading-jinshan", "briefs/baoshan", "press/district-baoshan")
NOTICES = {
    "en": "Correction: An earlier version of this {noun} gave the figure for poor workers employed near home as "
          "11,281; the correct figure is 12,345.",
    "zh": "更正：{noun}此前版本中贫困劳动力就地就近就业为11281名，应为12345名。",
}
WARNING = ("data/districts/baoshan.yaml:175:13: warning: baoshan-workers-local is 12345 but the source printed "
           "'11281名' (hint: if the figure changed, update printed and src to the new source; if not, restore the value)")
NOUNS = {"en": {"articles": "article", "briefs": "fact sheet", "press": "release"},
         "zh": {"articles": "本文", "briefs": "本简况", "press": "本新闻稿"}}


def _pdf(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _docx(path) -> str:
    import docx

    document = docx.Document(str(path))
    return "\n".join([p.text for p in document.paragraphs] + [
        p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs])


def test_publish_then_a_changed_figure_carries_a_correction_in_both_languages(project_copy, built: Built):
    import jsonschema

    from conftest import ROOT

    root = project_copy
    shutil.copytree(built.output, root / "output")
    published = run_cli("-C", str(root), "publish", "--date", "2019-10-13")
    assert published.returncode == 0, published.stderr
    assert published.stdout.startswith("recorded 59 documents as published on 2019-10-13 in "
                                       "data/published/2019-10-13.yaml")
    record = root / "data/published/2019-10-13.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas/publication.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    figures = {f["origin"]: f for f in data["documents"]["en/press/district-baoshan"]["figures"]}
    assert figures["data/districts/baoshan.yaml/baoshan-workers-local"]["text"] == "11,281"
    assert figures["data/districts/baoshan.yaml/baoshan-workers-local"]["value"] == 11281
    text = (root / "data/published/2019-10-13/en/press/district-baoshan.txt").read_text(encoding="utf-8")
    assert "11,281" in text and text.startswith("FOR IMMEDIATE RELEASE · 13 October 2019\n# Baoshan: industry, markets")

    # Recording a publication changes nothing a document printed, nor the faces: the next build makes the
    # corrections list, and nothing else.
    article = (root / "output/zh/articles/baoshan-minhang-jiading-jinshan.pdf").read_bytes()
    after = run_cli("-C", str(root), "build")
    assert [line.split(":")[0] for line in after.stdout.splitlines() if line.startswith("rebuilt ")] == \
        ["rebuilt notices/corrections"], after.stdout
    assert (root / "output/zh/articles/baoshan-minhang-jiading-jinshan.pdf").read_bytes() == article

    again = run_cli("-C", str(root), "publish", "--date", "2019-10-13")
    assert again.returncode == 1
    assert again.stderr.strip() == ("error: data/published/2019-10-13.yaml is already recorded; a new publication "
                                    "must be dated later than 2019-10-13 (pass --date)")


    # The figure changes after publication: the build says it no longer matches what the source printed.
    baoshan = root / "data/districts/baoshan.yaml"
    baoshan.write_text(baoshan.read_text(encoding="utf-8").replace(FACT, CHANGED), encoding="utf-8")
    rebuilt = run_cli("-C", str(root), "build", "--quiet")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stderr.splitlines() == [WARNING]
    assert rebuilt.stdout.endswith(" up to date · 1 warning\n"), rebuilt.stdout
    again = run_cli("-C", str(root), "build")  # nothing to do: the warning is still said
    assert again.stderr.splitlines() == [WARNING]
    assert again.stdout.startswith("nothing to do: ") and again.stdout.endswith(" · 1 warning\n"), again.stdout

    output = root / "output"
    for lang, notice in NOTICES.items():
        for label in AFFECTED:
            wanted = squash(notice.format(noun=NOUNS[lang][label.split("/")[0]]), lang)
            assert wanted in squash(_pdf(output / lang / f"{label}.pdf"), lang), (lang, label)
            assert wanted in squash(_docx(output / lang / f"{label}.docx"), lang), (lang, label)
        # A document that never printed the figure carries no notice (and was not rebuilt).
        assert "11281" not in _pdf(output / lang / "briefs/jinshan.pdf").replace(",", "")
        listing = squash(_pdf(output / lang / "notices/corrections.pdf"), lang)
        assert listing.count(squash("12,345" if lang == "en" else "12345名", lang)) == len(AFFECTED)
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "en/notices/corrections.pdf" in index and "zh/notices/corrections.docx" in index
    _publish_refuses_while_the_warning_stands(root)
    _redlines_are_made_then_removed(root, output)
    _an_override_is_redlined_and_a_stale_one_stops_publish(root, output)


def _redlines_are_made_then_removed(root, output):
    """Each changed document has a redline; accepting its changes gives the document's new text."""
    import subprocess
    import zipfile

    from generator.words.plaintext import plain_text
    from generator.writers.redline import accepted_text, rejected_text

    made = sorted(p.relative_to(output).as_posix() for p in output.glob("*/redline/**/*.docx"))
    side_by_side = [label for label in AFFECTED if label.startswith(("articles/", "press/"))]
    assert made == sorted([f"{lang}/redline/{label}.docx" for lang in (*NOTICES, "zh-Hant") for label in AFFECTED]
                          + [f"bilingual/redline/{label}.docx" for label in side_by_side])
    # The Traditional edition carries the notice too, converted.
    hant = squash(_pdf(output / "zh-Hant/press/district-baoshan.pdf"), "zh")
    assert squash("更正：本新聞稿此前版本中貧困勞動力就地就近就業爲11281名，應爲12345名。", "zh") in hant
    for rel in made:
        lang, _, label = rel.removesuffix(".docx").split("/", 2)
        data = (output / rel).read_bytes()
        body = zipfile.ZipFile(output / rel).read("word/document.xml").decode("utf-8")
        assert "<w:ins " in body and "<w:del " in body and 'w:author="aidreport"' in body, rel
        new = plain_text((output / lang / f"{label}.html").read_text(encoding="utf-8"))
        assert accepted_text(data) == new, rel
        old = root / f"data/published/2019-10-13/{lang}/{label}.txt"
        assert rejected_text(data) == old.read_text(encoding="utf-8"), rel
    if TEST_ALL:  # LibreOffice opens one (headless conversion to PDF), showing the new figure (make test-all;
        # test_redline.py opens redlines in LibreOffice in make test)
        article = output / "en/redline/articles/baoshan-minhang-jiading-jinshan.docx"
        converted = subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(root / "lo"),
                                    str(article)], capture_output=True, text=True, timeout=240)
        assert converted.returncode == 0, converted.stderr
        assert "12,345" in _pdf(root / "lo" / f"{article.stem}.pdf")
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert set(made) <= set(manifest["outputs"])
    assert "en/redline/articles/baoshan-minhang-jiading-jinshan.docx" in (output / "index.html").read_text("utf-8")

    # The figure put back as published: the documents are as published again, and their redlines go.
    baoshan = root / "data/districts/baoshan.yaml"
    baoshan.write_text(baoshan.read_text(encoding="utf-8").replace(CHANGED, FACT), encoding="utf-8")
    only = [arg for label in AFFECTED for arg in ("--only", label)]
    # (the redlines are made beside the DOCX: a build of that format says whether they stand)
    assert run_cli("-C", str(root), "build", "--jobs", "2", "--format", "docx", *only).returncode == 0
    assert not list(output.glob("*/redline"))
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert not [rel for rel in manifest["outputs"] if "/redline/" in rel]


def test_a_broken_publication_record_is_a_located_error(project_copy):
    folder = project_copy / "data/published"
    folder.mkdir()
    record = folder / "2019-10-13.yaml"
    record.write_text("date: '2019-10-14'\ndocuments:\n  en/press/series:\n    title: x\n"
                      f"    sha256: {{pdf: {'a' * 64}}}\n", encoding="utf-8")
    result = run_cli("-C", str(project_copy), "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/published/2019-10-13.yaml:1:7: error: date '2019-10-14' does not match the file name '2019-10-13.yaml'"
        " (hint: record it again with `aidreport publish`)", "1 problem, 0 warnings"]
    record.write_text("date: '2019-10-13'\ndocuments:\n  en/press/series:\n    title: x\n    sha256: {pdf: abc}\n",
                      encoding="utf-8")
    result = run_cli("-C", str(project_copy), "check")
    assert result.stderr.splitlines() == [
        "data/published/2019-10-13.yaml:5:19: error: documents.en/press/series.sha256.pdf: 'abc' is not a valid id "
        "or value here (hint: ids are lowercase ASCII letters, digits and '-')", "1 problem, 0 warnings"]


def _an_override_is_redlined_and_a_stale_one_stops_publish(root, output):
    """The editor's wording (a synthetic override of the English lead) is text like any other: the release
    differs from its published text, so it has a redline whose accepted text is the edited one. Written
    against a lead that has since changed, the override is stale, and publish refuses, accepted warnings
    or not."""
    from generator.words.plaintext import plain_text
    from generator.writers.redline import accepted_text
    from test_overrides import skeletons_of, write_overrides

    lead = skeletons_of(root)[("press/district-baoshan#lead", "en")]
    text = "Baoshan, paired with {counties} counties, has brought {luoping-investment} of investment and " \
           "{yecheng-jobs} jobs, moving {yecheng-poor-employed} poor people into work."
    write_overrides(root, [{"block": "press/district-baoshan#lead", "lang": "en", "text": text, "replaced": lead}])
    assert run_cli("-C", str(root), "build", "--jobs", "2", "--format", "docx", "--format", "html", "--only",
                   "en/press/district-baoshan").returncode == 0
    redline = output / "en/redline/press/district-baoshan.docx"
    edited = plain_text((output / "en/press/district-baoshan.html").read_text(encoding="utf-8"))
    assert "has brought more than 100 million yuan of investment and more than 10,000 jobs" in edited
    assert accepted_text(redline.read_bytes()) == edited

    write_overrides(root, [{"block": "press/district-baoshan#lead", "lang": "en", "text": text,
                            "replaced": lead.replace("its results include", "its results included")}])
    refused = run_cli("-C", str(root), "publish", "--date", "2019-10-15", "--accept-warnings")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1].startswith("error: not published: 1 stale override above "
                                                      "(--accept-warnings does not cover them")
    assert "error: the override en/press/district-baoshan#lead is stale" in refused.stderr
    assert not (root / "data/published/2019-10-15.yaml").exists()


def _publish_refuses_while_the_warning_stands(root):
    """A figure that no longer matches its printed: stops publish until it is accepted; the accepted warning
    is kept in the record. (The record is then removed again: the test goes on from the first publication.)"""
    refused = run_cli("-C", str(root), "publish", "--date", "2019-10-14")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [WARNING, "error: not published: 1 warning above; fix each in the "
                                           "records, or publish with --accept-warnings to record them as accepted"]
    assert not (root / "data/published/2019-10-14.yaml").exists()

    accepted = run_cli("-C", str(root), "publish", "--date", "2019-10-14", "--accept-warnings")
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.rstrip().endswith("with 1 accepted warning; commit them"), accepted.stdout
    data = yaml.safe_load((root / "data/published/2019-10-14.yaml").read_text(encoding="utf-8"))
    assert data["accepted_warnings"] == [WARNING]
    checked = run_cli("-C", str(root), "check")  # the record with its accepted warnings loads
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[-1] == "0 problems, 1 warning"
    (root / "data/published/2019-10-14.yaml").unlink()
    shutil.rmtree(root / "data/published/2019-10-14")
