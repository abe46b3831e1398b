"""The dataset page for partners (`/dumps`): the SPARQL endpoint first, then the release (its digest, when it
was built, its triples, the ontology version), every dump with its size in human units and its SHA-256, the
licence, how to cite it (text and BibTeX, as in the repository's CITATION.cff) and the named graphs.

Everything comes from the served build: `build/current` (a link to `releases/<digest>`), its manifest.json
(the SHA-256 of every file) and its VoID description (sizes, triples); the ontology's version from its graph.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.units import format_unit
from flask import current_app, url_for

from ...namespaces import PUBLIC_GRAPHS
from ..stores import stores
from .site import site

LICENCE = {"es": "https://creativecommons.org/licenses/by/4.0/deed.es",
           "en": "https://creativecommons.org/licenses/by/4.0/"}
TITLE = "CPS-LAC knowledge graph: the Fourth Meeting of the Latin America and Caribbean Council of Government " \
        "Experts on Sustainable Consumption and Production (São Paulo, 2007)"
AUTHOR = "CPS-LAC knowledge graph project"
SOURCE = ("Final report of the Fourth Meeting of the Latin America and Caribbean Council of Government Experts on "
          "Sustainable Consumption and Production (São Paulo, 18-19 October 2007), UNEP/ROLAC and UNDESA")
# the report is in Spanish: its own title (the report's rdfs:label @es), for the Spanish citation
SOURCE_ES = ("Informe Final de la Cuarta Reunión del Consejo de Expertos de Gobierno en Consumo y Producción "
             "Sustentable de América Latina y el Caribe (São Paulo, 18-19 de octubre de 2007), PNUMA/ORPALC y UNDESA")


def human_size(size: int | None, lang: str) -> str:
    """1629224 -> "1.6 MB" (en) / "1,6 MB" (es); decimal units, as file managers show them."""
    if size is None:
        return ""
    for unit, scale in (("digital-gigabyte", 1e9), ("digital-megabyte", 1e6), ("digital-kilobyte", 1e3)):
        if size >= scale:
            return format_unit(size / scale, unit, length="short", locale=lang, format="#,##0.#")
    return format_unit(size, "digital-byte", length="short", locale=lang)


def release(build_dir: Path) -> dict | None:
    """The served release (the one pinned when the stores were opened, store/configured.py; else what
    `build_dir/current` names): digest, build date, manifest (file -> SHA-256); None when no build is served."""
    current = stores().release or build_dir / "current"
    manifest = current / "manifest.json"
    if not manifest.is_file():
        return None
    built = datetime.fromtimestamp(manifest.stat().st_mtime, tz=timezone.utc).date()
    return {"digest": current.resolve().name, "built": built, "files": json.loads(manifest.read_text())}


def ontology_version() -> tuple[str, str]:
    """(owl:versionInfo, dcterms:modified) of the ontology graph, empty strings when it states none."""
    def make():
        rows = site().store.select("""PREFIX owl: <http://www.w3.org/2002/07/owl#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?version ?modified WHERE { ?o a owl:Ontology OPTIONAL { ?o owl:versionInfo ?version }
                                              OPTIONAL { ?o dcterms:modified ?modified } } LIMIT 1""")
        row = rows[0] if rows else {}
        return (row["version"].value if "version" in row else "", row["modified"].value if "modified" in row else "")
    return site().cached("ontology-version", make)


def model(files: list[dict], sizes: dict, triples: int | None, lang: str) -> dict:
    """What the page shows. `files`: the dumps as linkeddata.dumps lists them (name, format, media type, href,
    size in bytes or None)."""
    found = release(Path(current_app.config["BUILD_DIR"]))
    checksums = found["files"] if found else {}
    for f in files:
        f["sha256"] = checksums.get(f"public/{f['name']}") or checksums.get(f"restricted/{f['name']}") or ""
        f["human"] = human_size(f["size"], lang)
    version, modified = ontology_version()
    endpoint = url_for("sparql.endpoint", _external=True)
    year = found["built"].year if found else date.today().year
    digest = found["digest"] if found else ""
    base = current_app.config["BASE_IRI"]
    graphs = [{"iri": base + "graph/" + name,
               "href": url_for("graphstore.graph") + "?" + urlencode({"graph": base + "graph/" + name,
                                                                        "format": "turtle"})}
              for name in PUBLIC_GRAPHS]
    return {"endpoint": endpoint, "release": found, "digest": digest,
            "built": format_date(found["built"], format="long", locale=lang) if found else "",
            "triples": triples, "triples_text": format_decimal(triples, locale=lang) if triples else "",
            "version": version,
            "modified": format_date(date.fromisoformat(modified), format="long", locale=lang) if modified else "",
            "files": files, "licence": LICENCE.get(lang, LICENCE["en"]), "graphs": graphs,
            "cite_text": citation_text(endpoint, digest, year), "cite_html": citation_html(endpoint, digest, year, lang),
            "bibtex": bibtex(endpoint, digest, year)}


def citation_text(endpoint: str, digest: str, year: int) -> str:
    release_part = f" Release {digest}." if digest else ""
    return f"{AUTHOR} ({year}). {TITLE} [Data set, CC BY 4.0].{release_part} SPARQL endpoint: {endpoint}. " \
           f"Derived from: {SOURCE}."


def citation_html(endpoint: str, digest: str, year: int, lang: str):
    """The citation in the reader's language: our words translated, the report by its title in that
    language (its own, Spanish, one for a Spanish reader), the dataset's title and author as registered in
    CITATION.cff (in English, marked so)."""
    from markupsafe import Markup, escape

    from .catalogue import STRINGS

    def published(name: str):
        return name if lang == "en" else Markup('<span lang="en">{}</span>').format(name)

    spanish, english = STRINGS["dataset.cite.format"]
    release = (STRINGS["dataset.cite.release"][lang != "es"].format(digest=digest)) if digest else ""
    return Markup(escape(spanish if lang == "es" else english)).format(
        author=published(AUTHOR), year=year, title=published(TITLE), release=release, endpoint=endpoint,
        source=SOURCE_ES if lang == "es" else SOURCE)


def bibtex(endpoint: str, digest: str, year: int) -> str:
    note = (f"Release {digest}. " if digest else "") + f"CC BY 4.0. Derived from: {SOURCE}."
    return "\n".join(["@misc{cps_lac_graph,", f"  author       = {{{{{AUTHOR}}}}},", f"  title        = {{{TITLE}}},",
                      f"  year         = {{{year}}},", f"  howpublished = {{\\url{{{endpoint}}}}},",
                      f"  note         = {{{note}}}", "}"])
