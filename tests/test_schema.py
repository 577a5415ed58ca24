"""JSON Schemas of the data files: generated from the models, committed, and met by every data file."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import ROOT
from generator.records.schema import FOLDER, SCHEMAS, modeline, render

DATA_FILES = sorted((ROOT / "data").rglob("*.yaml"))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_committed_schema_is_the_models(name):
    path = ROOT / FOLDER / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == render(name), \
        f"{path.name} is stale: run `aidreport schema` and commit schemas/"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_data_file_names_its_schema_and_meets_it(path):
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == modeline(ROOT, path)
    schema_path = (path.parent / first.split("$schema=", 1)[1]).resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))


def test_the_schema_refuses_what_check_refuses():
    schema = json.loads((ROOT / FOLDER / "district.schema.json").read_text(encoding="utf-8"))
    record = yaml.safe_load((ROOT / "data/districts/baoshan.yaml").read_text(encoding="utf-8"))
    record["colour"] = "red"  # an unknown field
    with pytest.raises(jsonschema.ValidationError, match="colour"):
        jsonschema.Draft202012Validator(schema).validate(record)


def test_the_field_reference_is_the_models():
    from generator.records.fieldref import render as reference

    path = ROOT / "docs" / "records.md"
    assert path.read_text(encoding="utf-8") == reference(ROOT), \
        "docs/records.md is stale: run `aidreport schema` and commit it"
    text = path.read_text(encoding="utf-8")
    # Every field of a fact, with the values it accepts.
    assert "| `qualifier` | one of the values | yes | `exact`, `about`, `more-than`, `at-least`, `up-to` |" in text
    assert "| `release_date` |" in text and "| `classifier` |" in text
