"""Every setting of the service, in one table: name, default, help. Read from the environment as
`CPS_<NAME>` (upper case) or given to `create_app(config)`. A test fails when one is undocumented."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .namespaces import DEFAULT_BASE


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("BASE_IRI", DEFAULT_BASE, "Base IRI of every entity (`{base}id/...`) and named graph (`{base}graph/...`)."),
    Setting("DATA_DIR", "data", "Directory of the curated tables."),
    Setting("ONTOLOGY", "ontology/cps.ttl", "The ontology file."),
    Setting("SHAPES_DIR", "shapes", "Directory of the SHACL shapes that gate the build."),
    Setting("BUILD_DIR", "build", "Where `build` writes releases and the `current` link the server reads."),
    Setting("SOURCE", "../shared/source/000_784fad76bf69b00c.txt",
            "The report's text, used to check every citation locator."),
)


def setting_default(name: str) -> object:
    for setting in SETTINGS:
        if setting.name == name:
            return setting.default
    raise KeyError(name)


def from_env(name: str) -> object:
    """A setting's value from the environment (`CPS_<NAME>`), else its default."""
    return os.environ.get(f"CPS_{name}", setting_default(name))


def path_setting(name: str) -> Path:
    return Path(str(from_env(name)))
