"""The `cpsgraph` command: build, validate, serve, query, publish.

Exit codes: 0 success; 1 the data or file does not conform (rows to fix, SHACL violations);
2 the input cannot be read or the configuration is wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .config import from_env, path_setting
from .errors import CpsError
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
@click.option("--no-validate", is_flag=True, help="Skip the SHACL gate (for debugging only).")
def build(data_dir, ontology_path, shapes_dir, out_dir, base, source, no_validate) -> None:
    """Build the graph from data/ and write the dumps. A failed build leaves the last good one in place."""
    from .build import build as run_build

    try:
        result = run_build(data_dir=data_dir, ontology_path=ontology_path, shapes_dir=shapes_dir,
                           out_dir=out_dir, base=Base(base), source=source, validate=not no_validate)
    except CpsError as error:
        _fail(error)
        return
    for line in result.warnings:
        click.echo(line, err=True)
    counts = ", ".join(f"{name}: {count} triples" for name, count in sorted(result.counts.items()))
    click.echo(f"built {result.release} ({counts})")


@main.command("gen-vocab")
@click.option("--ontology", "ontology_path", type=click.Path(path_type=Path), default=lambda: path_setting("ONTOLOGY"))
def gen_vocab(ontology_path) -> None:
    """Print the Python constants module generated from the ontology (server/cpsgraph/vocab.py)."""
    from .ontology import generate_vocab_module, load_ontology

    click.echo(generate_vocab_module(load_ontology(ontology_path)), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
