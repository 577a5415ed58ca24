"""The templates and records write their own prose: no sentence of the source article is copied.

Names may repeat (companies, documents and slogans in 《》 or “”, the paired-counties box, the
masthead); running text may not share 20 or more characters in a row with the source, nor a whole
sentence of ten characters or more.

The source is not in the repository: the test reads it from ../shared/seeds where that exists, and
otherwise from its fingerprints, committed in tests/fingerprints/: the hash of every 20-character run of
the normalised source and of each of its sentences. Where the source exists, the test also checks that
the fingerprints are its own. `python tests/test_prose_is_ours.py --fingerprint` writes them anew;
`python tests/test_prose_is_ours.py [HTML]` lists the shared runs.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "seeds" / "000_e3436b8330321f4a.txt"
FINGERPRINTS = ROOT / "tests" / "fingerprints" / f"{SOURCE.stem}.txt"
LIMIT = 20
SENTENCE = 10  # a whole sentence of the source this long or longer may not be repeated
_PUNCT = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_PUNCT)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?])|\|", text) if len(s) >= SENTENCE]


class Fingerprints:
    """What the test knows of the source: hashes of its 20-character runs and of its sentences."""

    def __init__(self, runs: set[str], sentences: set[str]):
        self.runs, self.sentences = runs, sentences

    @classmethod
    def of(cls, source: str) -> Fingerprints:
        src = _norm(source)
        return cls({_hash(src[i:i + LIMIT]) for i in range(len(src) - LIMIT + 1)},
                   {_hash(s) for s in _sentences(src)})

    @classmethod
    def read(cls, path: Path) -> Fingerprints:
        runs, sentences = set(), set()
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, _, value = line.partition(" ")
            (runs if kind == "run" else sentences if kind == "sentence" else set()).add(value)
        return cls(runs, sentences)

    def text(self) -> str:
        head = [f"# Fingerprints of {SOURCE.name}, the source article: sha256[:16] of every {LIMIT}-character run",
                f"# of its normalised text, and of each sentence of {SENTENCE} characters or more. The text itself",
                "# is not in the repository. Written by `python tests/test_prose_is_ours.py --fingerprint`."]
        return "\n".join(head + [f"run {h}" for h in sorted(self.runs)] +
                         [f"sentence {h}" for h in sorted(self.sentences)]) + "\n"

    def shared(self, html: str) -> list[str]:
        """The runs of the document's running text found in the source, each as long as it goes, and its
        sentences that are the source's."""
        found = []
        for text in running_text(html):
            i = 0
            while i <= len(text) - LIMIT:
                if _hash(text[i:i + LIMIT]) in self.runs:
                    j = i + LIMIT
                    while j < len(text) and _hash(text[j + 1 - LIMIT:j + 1]) in self.runs:
                        j += 1
                    found.append(text[i:j])
                    i = j
                else:
                    i += 1
            found += [s for s in _sentences(text) if _hash(s) in self.sentences]
        return found


def running_text(html: str) -> list[str]:
    """Return the article's own prose: paragraphs and captions, without names and the box."""
    body = html.split("<body", 1)[1]
    body = re.sub(r'<aside class="box">.*?</aside>', "", body, flags=re.S)
    body = re.sub(r'<header class="masthead">.*?</header>', "", body, flags=re.S)
    parts = re.findall(r"<(?:p|figcaption|h2|h3)[^>]*>(.*?)</(?:p|figcaption|h2|h3)>", body, flags=re.S)
    out = []
    for part in parts:
        text = re.sub(r"<[^>]+>", "", part)
        text = re.sub(r"《[^》]*》|“[^”]*”|[\w·]*(?:有限公司|公司)", "|", text)
        out.append(_norm(text))
    return out


def known() -> Fingerprints:
    """The source's fingerprints: from the source where it is beside the project, else as committed."""
    return Fingerprints.of(SOURCE.read_text(encoding="utf-8")) if SOURCE.exists() else Fingerprints.read(FINGERPRINTS)


def test_no_sentence_of_the_source_is_copied(built):
    html = built.path("zh", "html").read_text(encoding="utf-8")
    assert known().shared(html) == []


@pytest.mark.skipif(not SOURCE.exists(), reason="the source article (../shared/seeds) is not beside the project")
def test_the_committed_fingerprints_are_the_sources():
    assert FINGERPRINTS.read_text(encoding="utf-8") == Fingerprints.of(SOURCE.read_text(encoding="utf-8")).text()


def test_the_fingerprints_find_a_copied_run_and_a_copied_sentence():
    source = "宝山区与云南省曲靖市五县开展扶贫协作，引进企业多家。这是一句足够长的原文句子。"
    prints = Fingerprints.of(source)
    copied = "<body><p>我们写道：宝山区与云南省曲靖市五县开展扶贫协作，引进企业多家。</p><p>这是一句足够长的原文句子。</p></body>"
    assert prints.shared(copied) == ["宝山区与云南省曲靖市五县开展扶贫协作,引进企业多家。", "这是一句足够长的原文句子。"]
    assert prints.shared("<body><p>宝山区与曲靖市的五个县结对，引进了多家企业。</p></body>") == []


if __name__ == "__main__":
    if sys.argv[1:] == ["--fingerprint"]:
        FINGERPRINTS.parent.mkdir(exist_ok=True)
        FINGERPRINTS.write_text(Fingerprints.of(SOURCE.read_text(encoding="utf-8")).text(), encoding="utf-8")
        sys.exit(0)
    html_path = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        ROOT / "output" / "zh" / "articles" / "baoshan-minhang-jiading-jinshan.html"
    for run in known().shared(html_path.read_text(encoding="utf-8")):
        print(len(run), run)
