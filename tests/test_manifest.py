"""output/manifest.json maps every printed figure to the record and line it came from."""

from __future__ import annotations

import json

from conftest import ROOT, INSTALMENT, Built, squash


def test_every_output_is_in_the_manifest_with_its_inputs(built: Built):
    manifest = json.loads((built.output / "manifest.json").read_text(encoding="utf-8"))
    outputs = {p.relative_to(built.output).as_posix() for p in built.output.rglob("*")
               if p.is_file() and p.suffix in {".pdf", ".docx", ".html", ".png"} and p.name != "index.html"}
    assert set(manifest["outputs"]) == outputs
    article = manifest["outputs"][f"zh/articles/{INSTALMENT}.pdf"]
    assert {"templates/css/print.css", "fonts", "toolkit"} <= set(article["inputs"])
    # What the document read while it was rendered: fields, facts, places, templates, labels.
    reads = manifest["documents"][f"zh/articles/{INSTALMENT}"]["reads"]
    files = {key.partition("#")[0] for key in reads}
    assert {"data/districts/baoshan.yaml", "templates/article.zh.html.j2", "templates/prose.zh.j2",
            "templates/labels.yaml", "data/gazetteer.yaml", "data/glossary.yaml"} <= files
    assert "data/districts/baoshan.yaml#facts[luoping-firms]" in reads
    assert "data/gazetteer.yaml#luoping" in reads and "templates/labels.yaml#zh.photo" in reads
    import hashlib

    assert article["sha256"] == hashlib.sha256(built.path("zh", "pdf").read_bytes()).hexdigest()


def test_figures_of_the_article_map_to_their_record_lines(built: Built):
    manifest = json.loads((built.output / "manifest.json").read_text(encoding="utf-8"))
    fields = manifest["figure_fields"]
    for lang in ("zh", "en"):
        figures = [dict(zip(fields, f)) for f in manifest["documents"][f"{lang}/articles/{INSTALMENT}"]["figures"]]
        assert len(figures) >= 80
        text = squash(built.pdf_text(lang), lang)
        checked = 0
        for entry in figures[::3]:  # a sample of every third figure
            lines = (ROOT / entry["record"]).read_text(encoding="utf-8").splitlines()
            assert f"id: {entry['fact']}" in lines[entry["line"] - 1], entry
            assert squash(entry["text"], lang) in text
            checked += 1
        assert checked >= 20


def test_the_manifest_is_written_an_entry_at_a_time_as_the_json_module_would_write_it_whole(built: Built):
    from generator.build.manifest import encoded

    data = (built.output / "manifest.json").read_bytes()
    manifest = json.loads(data)
    whole = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    assert data == whole.encode("utf-8") == encoded(manifest)
    # Empty groups, lists and nested keys in any order come out as json.dumps gives them.
    body = {"z": {}, "b": [2, 1], "a": {"y": {"q": "问", "p": 1}, "x": None}}
    assert encoded(body) == (json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                             + "\n").encode("utf-8")
