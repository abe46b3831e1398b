"""The `cpsgraph` command: build, validate, serve, query, publish.

Exit codes: 0 success; 1 the data or file does not conform (rows to fix, SHACL violations);
2 the input cannot be read or the configuration is wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .config import from_env, path_setting
from .errors import ConfigError, CpsError

if TYPE_CHECKING:
    from .namespaces import Base


def _fail(error: CpsError) -> None:
    click.echo(f"error: {error.message}", err=True)
    sys.exit(error.exit_code)


@click.group()
@click.version_option(__version__, prog_name="cpsgraph")
def main() -> None:
    """Knowledge graph of the 4th Meeting of the LAC Council of Government Experts on SCP."""


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=lambda: path_setting("DATA_DIR"),
              show_default="data", help="Directory of the curated tables.")
@click.option("--ontology", "ontology_path", type=click.Path(path_type=Path),
              default=lambda: path_setting("ONTOLOGY"), show_default="ontology/cps.ttl", help="Ontology file.")
@click.option("--shapes", "shapes_dir", type=click.Path(path_type=Path), default=lambda: path_setting("SHAPES_DIR"),
              show_default="shapes", help="Directory of SHACL shapes.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=lambda: path_setting("BUILD_DIR"),
              show_default="build", help="Output directory (releases and the `current` link).")
@click.option("--base", default=lambda: str(from_env("BASE_IRI")), show_default="https://w3id.org/cps-lac/",
              help="Base IRI of the entities.")
@click.option("--source", type=click.Path(path_type=Path), default=lambda: path_setting("SOURCE"),
              show_default="../shared/source/...", help="The report's text, to check the citations.")
@click.option("--queries", "queries_dir", type=click.Path(path_type=Path),
              default=lambda: path_setting("QUERIES_DIR"), show_default="queries",
              help="Directory whose *-violation.rq checks must return no rows.")
@click.option("--contacts", "contacts_file", type=click.Path(path_type=Path),
              default=lambda: str(from_env("CONTACTS_FILE")) or None, show_default="from the report",
              help="A contacts table outside the repository, read instead of the report's Anexo III.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL gate and the quality checks (debugging only).")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="SHACL engine of the gate: the shapes compiled to SPARQL on pyoxigraph, or pyshacl (same "
                   "results, 12-15x slower).")
def build(data_dir, ontology_path, shapes_dir, out_dir, base, source, queries_dir, contacts_file, no_validate,
          engine) -> None:
    """Build the graph from data/ and write the dumps. A failed build leaves the last good one in place."""
    from .build import build as run_build
    from .namespaces import Base

    try:
        result = run_build(data_dir=data_dir, ontology_path=ontology_path, shapes_dir=shapes_dir,
                           out_dir=out_dir, base=Base(base), source=source, validate=not no_validate,
                           queries_dir=queries_dir, engine=engine, contacts_file=contacts_file)
    except CpsError as error:
        _fail(error)
        return
    for line in result.warnings:
        click.echo(line, err=True)
    counts = ", ".join(f"{name}: {count} triples" for name, count in sorted(result.counts.items()))
    click.echo(f"built {result.release} ({counts})")


@main.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", default=None,
              help="RDF format of the files: turtle, trig, jsonld, rdfxml, ntriples, nquads "
                   "(default: from the extension).")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(path_type=Path),
              help="SHACL shapes file or directory, repeatable (default: the project's shapes/).")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              help="Write the sh:ValidationReport to this file as Turtle.")
@click.option("--ontology", "ontology_path", type=click.Path(path_type=Path),
              default=lambda: path_setting("ONTOLOGY"), show_default="ontology/cps.ttl",
              help="Ontology mixed into the data, so that class targets reach subclasses.")
@click.option("--base", default=lambda: str(from_env("BASE_IRI")), show_default="https://w3id.org/cps-lac/",
              help="Base IRI the files' entities are under (the shapes' IRI patterns follow it).")
@click.option("--engine", type=click.Choice(["pyshacl", "sparql"]), default="pyshacl", show_default=True,
              help="pyshacl (any SHACL Core and SHACL-SPARQL shapes) or the shapes compiled to SPARQL on "
                   "pyoxigraph (the build's engine: faster on large files; refuses shapes it cannot translate).")
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
              help="Language of the messages (the shapes give each in English and Spanish; the --report "
                   "file holds both).")
def validate(files, fmt, shapes, report_path, ontology_path, base, engine, lang) -> None:
    """Validate RDF files (a partner's data, a dump) against the shapes.

    Exit 0 when they conform (warnings allowed), 1 when they do not, 2 when a file cannot be read
    (missing, empty, malformed: the message gives the parser's line and column) or the shapes cannot.
    """
    import logging

    from .validation import validate_files

    # rdflib logs a traceback for every ill-typed literal (e.g. "2007-13-45"^^xsd:date); the shapes
    # report those as violations, so the traceback is only noise here.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    try:
        outcome = validate_files(list(files), fmt, list(shapes) or path_setting("SHAPES_DIR"),
                                 ontology_path, _base(base), engine=engine)
        if report_path is not None:
            _write_report(outcome.report, report_path)
    except CpsError as error:
        _fail(error)
        return
    for result in outcome.results:
        click.echo(result.line(lang))
    click.echo(outcome.summary())
    sys.exit(0 if outcome.conforms else 1)


def _base(text: str) -> Base:
    """`text` as a namespaces.Base (rdflib is imported here, not with the CLI: see config.DEFAULT_BASE)."""
    from .namespaces import Base

    try:
        return Base(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def _write_report(report, path: Path) -> None:
    from .errors import InputError

    try:
        path.write_bytes(report.serialize(format="turtle", encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot write the report to {path} ({exc.strerror or exc})") from exc


@main.command("gen-vocab")
@click.option("--ontology", "ontology_path", type=click.Path(path_type=Path), default=lambda: path_setting("ONTOLOGY"))
def gen_vocab(ontology_path) -> None:
    """Print the Python constants module generated from the ontology (server/cpsgraph/vocab.py)."""
    from .ontology import generate_vocab_module, load_ontology

    click.echo(generate_vocab_module(load_ontology(ontology_path)), nl=False)


# --- The SPARQL service: serve, query, publish (issue 4) ---------------------------------------------------------

def _store_settings(store_url, data_files, **more) -> dict:
    """Settings with the command line's store choice over the environment's."""
    overrides = {key: value for key, value in more.items() if value is not None}
    if store_url:
        overrides["STORE"] = store_url
    if data_files:
        overrides["DATA_FILES"] = [str(path) for path in data_files]
    return overrides


_store_option = click.option("--store", "store_url", default=None, metavar="URL",
                             help="SPARQL query endpoint of an existing triplestore (default: the embedded store "
                                  "on the current build, or CPS_STORE).")
_data_option = click.option("--data", "data_files", multiple=True, type=click.Path(path_type=Path),
                            metavar="FILE", help="RDF file to serve instead of the build (repeat for several; "
                                                 "TriG and N-Quads keep their named graphs).")


@main.command()
@_store_option
@click.option("--update", "update_url", default=None, metavar="URL", help="The remote store's update endpoint.")
@click.option("--graph-store", "graph_store_url", default=None, metavar="URL",
              help="The remote store's Graph Store Protocol endpoint.")
@_data_option
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1, or CPS_HOST).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8000, or CPS_PORT).")
def serve(store_url, update_url, graph_store_url, data_files, host, port) -> None:
    """Serve the SPARQL endpoint (/sparql) and the Graph Store (/store) with waitress."""
    from .config import load_settings

    overrides = _store_settings(store_url, data_files, STORE_UPDATE_URL=update_url,
                                STORE_GRAPH_STORE_URL=graph_store_url)
    try:
        settings = load_settings(overrides)   # (config imports no rdflib: the fork server still starts first)
        if settings["HTTP_PROCESSES"] > 1:   # forked before anything starts a thread (web/processes.py)
            if settings["STORE_DIR"]:
                raise ConfigError("CPS_STORE_DIR cannot be used with CPS_HTTP_PROCESSES above 1: every process "
                                  "would empty and load the same directory. Run one process, or replicas with a "
                                  "directory each (docs/scaling.md).")
            sys.exit(_serve_processes(settings, overrides, store_url, host, port))
        _serve_one(overrides, store_url, host, port)
    except CpsError as error:
        _fail(error)


def _serve_one(overrides: dict, store_url, host, port, ready=None) -> None:
    if not store_url and from_env("STORE") == "embedded" and not from_env("SERVICE_ALLOWLIST"):
        from .store.processes import start_fork_server

        start_fork_server()   # its imports run beside the web app's (the workers are forked from it)
    from .web.serve import serve as run_server

    run_server(overrides, host=host, port=port, ready=ready)


def _serve_processes(settings: dict, overrides: dict, store_url, host, port) -> int:
    """Several HTTP processes on one port under a supervisor (web/processes.py); the status to exit with.
    Raises ConfigError (the port in use)."""
    import logging

    from .web.processes import Supervisor, free_port, shard_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    processes = settings["HTTP_PROCESSES"]
    host = host or settings["HOST"]
    wanted = settings["PORT"] if port is None else port
    try:
        port = free_port(host, wanted)
    except OSError as error:
        raise ConfigError(f"Cannot listen on {host}:{wanted} ({error.strerror or error}): choose another --port "
                          "(CPS_PORT) or stop the process that holds it.") from None
    logging.getLogger("cpsgraph.serve").info("starting %d HTTP processes on %s:%d, each client's connections "
                                             "reaching one of them", processes, host, port)

    def serve_one(index: int, ready) -> int:
        try:
            _serve_one(shard_settings(overrides, settings, index, processes), store_url, host, port, ready)
        except CpsError as error:
            click.echo(f"error: {error.message}", err=True)
            return error.exit_code
        return 0

    return Supervisor(processes, serve_one).run()


@main.command("query")
@click.argument("query")
@click.option("--format", "output", default="table", show_default=True,
              help="table, or json/xml/csv/tsv (SELECT, ASK), turtle/ntriples/jsonld/rdfxml (CONSTRUCT, DESCRIBE).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a stored query (see its `# param:` header), repeatable; e.g. -p country=PY.")
@_store_option
@_data_option
def query_command(query, output, params, store_url, data_files) -> None:
    """Run QUERY (a .rq file, or NAME for queries/NAME.rq) against the store and print the result."""
    from .config import load_settings
    from .store.configured import open_public_store
    from .store.run import resolve_query, run_query

    try:
        settings = load_settings(_store_settings(store_url, data_files))
        values = dict(param.partition("=")[::2] for param in params)
        text = resolve_query(query, Path(settings["QUERIES_DIR"]), values, str(settings["BASE_IRI"]))
        with open_public_store(settings, workers=1) as store:
            printed, answer = run_query(store, text, output)
    except CpsError as error:
        _fail(error)
        return
    if isinstance(printed, bytes):
        sys.stdout.buffer.write(printed)
        sys.stdout.flush()
    else:
        click.echo(printed, nl=False)
    if answer.truncated:
        click.echo(f"warning: the result was cut at the result cap ({answer.limit}); CPS_RESULT_CAP=0 lifts it",
                   err=True)


@main.command()
@click.option("--to", "to_url", required=True, metavar="URL", help="SPARQL query endpoint of the target store.")
@click.option("--graph-store", "graph_store_url", default=None, metavar="URL",
              help="Its Graph Store Protocol endpoint: each graph is replaced with a PUT.")
@click.option("--update", "update_url", default=None, metavar="URL",
              help="Its SPARQL Update endpoint, used when no Graph Store endpoint is given.")
@_data_option
def publish(to_url, graph_store_url, update_url, data_files) -> None:
    """Replace our public graphs in a partner's triplestore, graph by graph, and read each back.

    Exit 0 when every graph reads back triple for triple as ours (literals the store keeps in a form of its
    own, such as Virtuoso's durations, are named), 1 when any triple differs, 2 on errors."""
    from .config import load_settings
    from .namespaces import Base
    from .store import open_store
    from .store.configured import open_public_store, store_options
    from .store.publish import publish as run_publish

    try:
        settings = load_settings(_store_settings(None, data_files))
        options = dict(store_options(settings), timeout=max(settings["QUERY_TIMEOUT"], 120))  # a batch job
        target = open_store("remote", query_url=to_url, update_url=update_url, graph_store_url=graph_store_url,
                            **options)
        with open_public_store(settings, workers=1) as source:
            report = run_publish(source, target, never=(str(Base(settings["BASE_IRI"]).graph("restricted")),))
    except CpsError as error:
        _fail(error)
        return
    for line in report.lines():
        click.echo(line)
    sys.exit(0 if report.ok else 1)

if __name__ == "__main__":  # pragma: no cover
    main()
