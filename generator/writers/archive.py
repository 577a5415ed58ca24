"""What an archival PDF carries besides its pages: the record files it was made from and a manifest of its reads.

Each record file is attached once, as a /Source of the document; the manifest (aidreport-manifest.json)
as its /Data. Everything is fixed by the inputs: file bytes, sorted names, no clock time.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pydyf

MANIFEST = "aidreport-manifest.json"
FIXED_DATE = datetime(2000, 1, 1)  # the attachments' dates: the same inputs give the same bytes
MIME = {".yaml": "application/yaml", ".yml": "application/yaml", ".json": "application/json",
        ".txt": "text/plain", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def read_files(root: Path, reads: dict[str, str]) -> list[str]:
    """Return the files under data/ that a document read, as project paths, sorted."""
    data = (root / "data").resolve()
    found = set()
    for key in reads:
        rel = key.split("#", 1)[0]
        path = (root / rel).resolve()
        if rel.startswith("data/") and path.is_relative_to(data) and path.is_file():
            found.add(rel)
    return sorted(found)


def manifest(doc) -> bytes:
    """Return the manifest of a document: its stem, title, language and what it read (key -> hash)."""
    record = {"stem": doc.stem, "title": doc.title, "lang": doc.lang.code, "reads": dict(sorted(doc.reads.items()))}
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def archive_files(root: Path, doc) -> list[dict]:
    """Return the files to attach, in the order of their names (a PDF's name tree is sorted)."""
    files = [{"name": MANIFEST, "data": manifest(doc), "mime": "application/json", "relationship": "Data",
              "description": "manifest: what the document read, each with its hash"}]
    for rel in read_files(root, doc.reads):
        files.append({"name": rel, "data": (root / rel).read_bytes(), "relationship": "Source",
                      "mime": MIME.get(Path(rel).suffix.lower(), "application/octet-stream"),
                      "description": "record file the document read"})
    return sorted(files, key=lambda f: f["name"])


# PDF/A admits the PDF/UA claim in XMP only with the schema of its namespace described.
UA_CLAIM = b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType><pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>PDF/UA version identifier</pdfaProperty:description></rdf:li></rdf:Seq>\
</pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>"""


def finish_archive(pdf) -> None:
    """Complete a PDF/A-3a: no image interpolated, each associated file listed once, the PDF/UA claim."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/Image":
            obj.extra["Interpolate"] = "false"  # PDF/A forbids it; WeasyPrint sets it for image-rendering: auto
    if "AF" in pdf.catalog:  # WeasyPrint 70 lists each file twice: from the name tree and as a file spec
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
    metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    xmp = b"".join(metadata.stream)
    metadata.stream = [xmp.replace(b"</rdf:RDF>", UA_CLAIM + b"</rdf:RDF>", 1)]
