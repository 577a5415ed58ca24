"""Render documents to semantic HTML: the single intermediate form every writer starts from."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .dataset import Dataset
from .errors import DataError, Diagnostic, Location
from .models import District, Instalment
from .plan import LANGS, template_closure
from .prose import Printed, Writer, box_lines, date_range, join
from .yamlload import load_yaml



@dataclass
class Document:
    """One rendered document in one language, ready for the writers."""

    kind: str  # articles, briefs, press
    name: str
    lang: str
    title: str
    html: str
    printed: Printed
    templates: set[str] = field(default_factory=set)
    inputs: set[str] = field(default_factory=set)
    charts: dict[str, bytes] = field(default_factory=dict)  # chart id -> PNG, for the DOCX writer
    extra: dict[str, Any] = field(default_factory=dict)  # what tests and the manifest may inspect

    @property
    def stem(self) -> str:
        return f"{self.lang}/{self.kind}/{self.name}"



def _bytecode_cache(root: Path) -> jinja2.BytecodeCache | None:
    """Keep compiled templates between runs (keyed by each template's source, so edits take effect)."""
    folder = root / "output" / ".cache" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


class Renderer:
    """Holds the template environment and turns records into Documents."""

    def __init__(self, root: Path, dataset: Dataset):
        self.root = root
        self.ds = dataset
        self.templates_dir = root / "templates"
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.templates_dir)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            bytecode_cache=_bytecode_cache(root),
        )
        labels_path = self.templates_dir / "labels.yaml"
        loaded, problems = load_yaml(labels_path, "templates/labels.yaml")
        if loaded is None:
            raise DataError(problems)
        self.labels: dict[str, Any] = loaded.data
        for lang in LANGS:
            if lang not in self.labels:
                raise DataError([Diagnostic(Location("templates/labels.yaml"), f"no labels for '{lang}'")])
        self.css = (self.templates_dir / "css" / "print.css").read_text(encoding="utf-8")
        self._closures: dict[str, set[str]] = {}
        # What one document makes for its twin in the other language, until the twin takes it.
        self.made: dict[tuple[str, str], Any] = {}

    def _qr(self) -> str:
        import segno

        buf = io.BytesIO()
        segno.make(self.ds.series.follow.url, error="m").save(buf, kind="png", scale=10, border=2)
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()

    def _district_view(self, w: Writer, record: District) -> dict[str, Any]:
        lang = w.lang
        labels = self.labels[lang]
        origin = self.ds.district_files[record.id]
        blocks = []
        previous_theme = None
        for block in record.blocks:
            sentences = []
            for b_item in block.items:
                sentences.append(w.sentence(b_item, origin))
            subhead = None
            if block.theme != "overview" and block.theme != previous_theme:
                subhead = labels["themes"][block.theme]
            previous_theme = block.theme
            photos = [self.photo_view(w, p, origin) for p in record.photos if p.after == block.id]
            blocks.append({"subhead": subhead, "sentences": sentences, "photos": photos})
        view = {
            "id": record.id,
            "headline": w.expand(record.headline, None, origin),
            "blocks": blocks,
            "end_photos": [self.photo_view(w, p, origin) for p in record.photos if p.after == "box"],
        }
        view.update(self.box_view(w, record))
        return view

    def photo_view(self, w: Writer, photo, origin: str) -> dict[str, Any]:
        """Return a photo's caption and, when the record names one, its picture as embedded data."""
        src = None
        if photo.image:
            data = (self.root / "data" / "photos" / photo.image).read_bytes()
            kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
            src = f"data:image/{kind};base64," + base64.b64encode(data).decode()
        return {"caption": w.expand(photo.caption, None, origin), "src": src}

    def box_view(self, w: Writer, record: District) -> dict[str, Any]:
        """Return the paired-counties box of a district, in the source's form for Chinese."""
        box = []
        for line in box_lines(w, record):
            if w.lang == "zh":
                # 云南曲靖罗平县、师宗县、…、云南迪庆维西县
                text = "、".join(prefix + "、".join(names) for prefix, names in line.groups)
            else:
                text = "; ".join(f"{join(names, 'en')} ({prefix})" for prefix, names in line.groups)
            box.append({"label": line.label, "text": text})
        title = self.labels[w.lang]["box_title"].format(district=w.place(record.place))
        return {"box_title": title, "box": box}

    def article(self, instalment: Instalment, lang: str) -> Document:
        """Render one instalment of the series in one language."""
        s = self.ds.series
        printed = Printed()
        w = Writer(self.ds, lang, printed)
        labels = self.labels[lang]
        facts = {f.id: f for f in s.facts}
        origin = "data/series.yaml"
        districts = [self.ds.districts[d] for d in instalment.districts]
        if lang == "zh":
            covered = join([w.place(d.place) for d in districts], "zh")
        else:
            covered = join([w.place(d.place, "short") for d in districts], "en") + " districts"
        relations = join([w.term(t) for t in s.intro_terms if t != "whole-city-one-game"], lang)
        intro = {
            "principle": w.term(s.principle),
            "relations": relations,
            "whole_city": w.term("whole-city-one-game") if "whole-city-one-game" in self.ds.terms else "",
            "districts": w.figure(facts["series-districts"], f"{origin}/series-districts"),
            "days": w.figure(facts["series-days"], f"{origin}/series-days"),
            "dates": date_range(s.run_from, s.run_to, lang),
            "covered": covered,
        }
        masthead = {
            "kicker": w.expand(s.kicker),
            "title": w.expand(s.title),
            "dates": date_range(s.run_from, s.run_to, lang),
        }
        account = w.expand(s.follow.account)
        follow_text = labels["follow"].format(
            account=account, account_zh=s.follow.account.zh, platform=w.expand(s.follow.platform)
        )
        sources = "; ".join(getattr(src.title, lang) for src in s.sources)
        title = f"{masthead['kicker']} {masthead['title']}" if lang == "zh" else \
            f"{masthead['kicker']}: {masthead['title']}"
        context = self.base_context(lang, "article", str(title))
        context.update({
            "masthead": masthead,
            "intro": intro,
            "follow": {"qr": self._qr(), "text": follow_text},
            "sections": [self._district_view(w, d) for d in districts],
            "sources": sources,
        })
        return self.render(f"article.{lang}.html.j2", context, "articles", instalment.id, lang, str(title),
                           printed, {self.ds.district_files[d.id] for d in districts})

    def template_closure(self, name: str) -> set[str]:
        """Return the template and every template it extends, includes or imports."""
        if name not in self._closures:
            self._closures[name] = template_closure(self.templates_dir, name)
        return self._closures[name]

    def base_context(self, lang: str, kind: str, title: str) -> dict[str, Any]:
        """Return what every template needs: labels, language, stylesheet, title."""
        return {
            "L": self.labels[lang],
            "lang": lang,
            "kind": kind,
            "doc_title": title,
            "inline_css": Markup(self.css),
            "colon": "：" if lang == "zh" else ": ",
            "sentence_gap": "" if lang == "zh" else " ",
        }

    def render(self, template_name: str, context: dict[str, Any], kind: str, name: str, lang: str, title: str,
               printed: Printed, inputs: set[str], charts: dict[str, bytes] | None = None) -> Document:
        """Render one template to a Document, noting the templates and data files it used."""
        html = self.env.get_template(template_name).render(context)
        used = {f"templates/{t}" for t in self.template_closure(template_name)}
        used |= {"templates/labels.yaml", "templates/css/print.css"}
        inputs = inputs | {"data/series.yaml", "data/gazetteer.yaml", "data/glossary.yaml", "data/measures.yaml"}
        return Document(kind, name, lang, title, html, printed, used, inputs, charts or {})
