"""The search index, the entity index and the counts are artefacts of the build (artefacts.py): written into the
release, pinned by its manifest, opened read-only by the server; the server builds them from its store only when
the release has none or a damaged one. They hold the graph's own names, never the report's words (those stay in
the operator's copy)."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil

import pyoxigraph as ox
import pytest
from browser_helpers import ID, app_config

from cpsgraph.artefacts import ARTEFACTS, artefact_file
from cpsgraph.search_index import SearchIndex
from cpsgraph.web import create_app
from cpsgraph.web.browser import evidence, suggest
from cpsgraph.web.browser.browse_queries import index_rows
from cpsgraph.web.browser.catalogue import STRINGS
from cpsgraph.web.browser.derivations import Derivations
from cpsgraph.web.browser.entities import Entities
from cpsgraph.web.browser.site import site
from cpsgraph.web.browser.terms import STANDARD
from cpsgraph.web.stores import stores

INDEX = ARTEFACTS["search"].path
ENTITIES = ARTEFACTS["entities"].path


def _file_of(index) -> str:
    """The database file an index (SearchIndex, Entities) reads ('' for one held in memory)."""
    return next(row[2] for row in index._db.execute("PRAGMA database_list") if row[1] == "main")


def test_the_build_writes_the_search_index_into_the_release_pinned_by_the_manifest(release):
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest[INDEX] == hashlib.sha256((release / INDEX).read_bytes()).hexdigest()
    opened = SearchIndex.open(release / INDEX)
    try:
        assert opened.search("panama")[0].iri == ID + "country/PA"
        assert opened.size > 1000
    finally:
        opened.close()


def test_the_server_opens_the_releases_index_which_is_the_one_it_would_build(app, release):
    with app.app_context():
        served = suggest.index()
        assert _file_of(served) == str((release / INDEX).resolve())
        rebuilt = suggest.build_index(site().entities, site().store.select)
        try:   # the build saw the same public graphs as the store: byte for byte the same index
            assert rebuilt.to_bytes() == (release / INDEX).read_bytes()
        finally:
            rebuilt.close()


def test_the_server_reads_the_releases_entity_index_which_is_the_one_it_would_build(app, release):
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest[ENTITIES] == hashlib.sha256((release / ENTITIES).read_bytes()).hexdigest()
    with app.app_context():
        served = site().entities
        assert _file_of(served) == str((release / ENTITIES).resolve())
        assert served.label(ID + "country/PA", "es") == "Panamá"
        assert ID + "country/PA" in served and ID + "country/nowhere" not in served
        rebuilt = Entities(index_rows(site().store), site().base)
        # the build saw the same public graphs as the store: byte for byte the same index
        assert rebuilt.to_bytes() == (release / ENTITIES).read_bytes()
        assert len(rebuilt) == len(served) > 1000


def test_the_entity_index_keeps_what_tells_same_named_things_apart(app):
    # the index is read one entity at a time, so what tells "División de Medio Ambiente" of two countries apart
    # is found when the index is made and stored with each entity, in both languages
    with app.app_context():
        entities = site().entities
        qualified = [e for e in entities.all() if e.qualifiers]
        assert len(qualified) > 10
        assert {lang for e in qualified for lang in e.qualifiers} == {"es", "en"}
        some = qualified[0]
        words, _ = some.qualifiers["en"]
        assert entities.label(some.iri, "en").endswith(f"({words})")


def test_the_server_reads_the_releases_derivations_which_are_those_of_its_store(app, release):
    with app.app_context():
        served = evidence._derivations()
        assert _file_of(served) == str((release / ARTEFACTS["derivations"].path).resolve())
        rebuilt = Derivations(site().store.select(Derivations.QUERY))
        assert rebuilt.to_bytes() == (release / ARTEFACTS["derivations"].path).read_bytes()
        assert len(served) > 1000
        # Panamá's page cites the passages it comes from, in the report's order (first line, then locator)
        cited = evidence.sources_of(ID + "country/PA")
        assert cited and cited == sorted(cited, key=lambda p: (p[1], p[0], p[2]))
        assert sorted(served.all()) == sorted(rebuilt.all())


@pytest.mark.parametrize("name", ["search", "entities", "derivations"])
@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_a_damaged_or_missing_index_is_built_from_the_store_and_logged(tmp_path, release, caplog, damage, name):
    rel = ARTEFACTS[name].path
    copy = tmp_path / "build"
    shutil.copytree(release, copy / "releases" / release.name)
    (copy / "current").symlink_to(f"releases/{release.name}")
    target = copy / "releases" / release.name / rel
    if damage == "changed":
        target.write_bytes(target.read_bytes()[:-100] + bytes(100))
    else:
        target.unlink()
    app = create_app(app_config(copy))
    try:
        with caplog.at_level(logging.WARNING, logger="cpsgraph.artefacts"), app.app_context():
            assert artefact_file(stores(app).release, name) is None
            index = {"search": suggest.index, "entities": lambda: site().entities,
                     "derivations": evidence._derivations}[name]()
            assert _file_of(index) == ""   # built in memory from the store
            if name == "search":
                assert index.search("panama")[0].iri == ID + "country/PA"
            elif name == "entities":
                assert index.label(ID + "country/PA", "en") == "Panama"
            else:
                assert index.of(ID + "country/PA")
        assert any(rel in r.getMessage() for r in caplog.records)
    finally:
        stores(app).close()


def test_the_index_holds_only_the_graphs_names_never_the_reports_words(release):
    """Every text of the index is a literal of the public graphs (a label, a name) or one of our interface
    strings, or several of them joined with " · " (a description line, a kind): nothing read from the report."""
    literals = {term.value for quad in ox.parse(path=str(release / "public" / "cps-lac.trig"), format=ox.RdfFormat.TRIG)
                for term in (quad.object,) if isinstance(term, ox.Literal)}
    ours = {text for table in (STRINGS, STANDARD) for pair in table.values() for text in pair}
    db = SearchIndex.open(release / INDEX)._db
    texts = [value for row in db.execute("SELECT label_es, label_en, kind_es, kind_en, desc_es, desc_en FROM entity")
             for value in row if value]
    texts += [name for (name,) in db.execute("SELECT name FROM names")]
    assert len(texts) > 5000
    strays = {t for t in texts if t not in literals and not all(_ours(p, literals | ours) for p in t.split(" · "))}
    assert not strays, sorted(strays)[:10]


def _ours(part: str, known: set[str]) -> bool:
    """A literal or one of our strings, or a label qualified with another ("División de Medio Ambiente (Suriname)":
    same-named bodies told apart by their country)."""
    label, _, qualifier = part.rpartition(" (")
    return part in known or (part.endswith(")") and label in known and qualifier[:-1] in known)


COUNTS = ARTEFACTS["counts"].path


def test_readyz_reports_the_releases_own_counts_and_counts_the_store_when_they_are_damaged(tmp_path, release):
    # At ten million triples counting the store takes longer than a probe waits (READY_TIMEOUT), so the build
    # writes the counts into the release and /readyz reports those. Here the copy's counts are changed: with
    # the manifest's digest changed too they are believed (so they are what is read); without, the store is
    # counted.
    stated = json.loads((release / COUNTS).read_text())
    assert stated["triples"] == sum(stated["graphs"].values()) > 30000
    changed = dict(stated, triples=stated["triples"] + 7)
    for pinned in (True, False):
        copy = tmp_path / f"build-{pinned}"
        shutil.copytree(release, copy / "releases" / release.name)
        (copy / "current").symlink_to(f"releases/{release.name}")
        served = copy / "releases" / release.name
        (served / COUNTS).write_text(json.dumps(changed))
        if pinned:
            manifest = json.loads((served / "manifest.json").read_text())
            manifest[COUNTS] = hashlib.sha256((served / COUNTS).read_bytes()).hexdigest()
            (served / "manifest.json").write_text(json.dumps(manifest))
        app = create_app(app_config(copy))
        try:
            ready = app.test_client().get("/readyz").get_json()
            assert ready["status"] == "ready"
            assert ready["triples"] == (changed if pinned else stated)["triples"]
            assert ready["graphs"] == stated["graphs"]
        finally:
            stores(app).close()
