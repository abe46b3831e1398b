"""The stores a configuration asks for (config.SETTINGS), for the server and the command line alike.

Two stores, never one: the public store holds only the public graphs; the token holder's store (the
operator's, with the restricted contacts graph) is a separate store with its own worker process, opened
only when an operator token is configured. So no query, DESCRIBE, dump or Graph Store GET on the public
side can reach the restricted graph, whatever its text: the data is simply not there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..config import words
from ..errors import ConfigError
from . import Store, open_store
from .limits import QueryLimits

PUBLIC_DUMP = Path("current/public/cps-lac.trig")
RESTRICTED_DUMP = Path("current/restricted/cps-lac-all.trig")


@dataclass
class Stores:
    public: Store
    restricted: Store | None   # None: no token configured (or a remote store): nobody reads the restricted graph
    token: str

    def close(self) -> None:
        for store in (self.public, self.restricted):
            if store is not None:
                store.close()


def store_options(config: dict) -> dict:
    return {"timeout": config["QUERY_TIMEOUT"], "result_cap": config["RESULT_CAP"],
            "service_allowlist": words(config["SERVICE_ALLOWLIST"])}


def public_data(config: dict) -> list[Path]:
    """The files the embedded public store serves: DATA_FILES, else the current build's public TriG.
    Raises ConfigError when there is neither."""
    data = [Path(p) for p in words(config["DATA_FILES"])]
    if data:
        return data
    build = Path(config["BUILD_DIR"]) / PUBLIC_DUMP
    if not build.is_file():
        raise ConfigError(f"There is no built graph at {build}: run `cpsgraph build` first, "
                          "or serve files with `cpsgraph serve --data FILE...`.")
    return [checked_build_file(Path(config["BUILD_DIR"]), PUBLIC_DUMP)]


def checked_build_file(build_dir: Path, relative: Path) -> Path:
    """A file of the current build, compared with the digest its release's manifest.json records, so that a
    damaged build is refused at start-up rather than served half. Raises ConfigError saying what to run."""
    path = build_dir / relative
    name = str(relative.relative_to("current"))
    manifest = build_dir / "current" / "manifest.json"
    try:
        expected = json.loads(manifest.read_text(encoding="utf-8"))[name]
        intact = hashlib.sha256(path.read_bytes()).hexdigest() == expected
    except (OSError, ValueError, KeyError, TypeError):
        raise ConfigError(f"The build at {build_dir / 'current'} is incomplete ({manifest.name} is missing, "
                          f"unreadable or does not list {name}): run `cpsgraph build` again.") from None
    if not intact:
        raise ConfigError(f"The build at {build_dir / 'current'} is damaged ({name} does not match the digest in "
                          f"{manifest.name}): run `cpsgraph build` again.")
    return path


def open_public_store(config: dict, *, workers: int | None = None) -> Store:
    """The store every request without a token reads: remote when STORE is a URL, else embedded."""
    if config["STORE"] != "embedded":
        return limited(open_store("remote", query_url=config["STORE"], update_url=config["STORE_UPDATE_URL"] or None,
                                  graph_store_url=config["STORE_GRAPH_STORE_URL"] or None, **store_options(config)),
                       config)
    store_dir = Path(config["STORE_DIR"]) / "public" if config["STORE_DIR"] else None
    return limited(open_store("embedded", data=public_data(config), workers=workers or config["QUERY_WORKERS"],
                              store_dir=store_dir, **store_options(config)), config)


def limited(store: Store, config: dict) -> Store:
    """The store with the query gate's limits of the configuration (QUERY_MAX_*)."""
    store.limits = QueryLimits.from_settings(config)
    return store


def open_stores(config: dict) -> Stores:
    """The public store and, when OPERATOR_TOKEN is set, the token holder's store (RESTRICTED_DATA_FILES,
    else the build's cps-lac-all.trig when serving the build)."""
    token = str(config["OPERATOR_TOKEN"] or "")
    public = open_public_store(config)
    restricted = [Path(p) for p in words(config["RESTRICTED_DATA_FILES"])]
    if not restricted and not words(config["DATA_FILES"]):
        everything = Path(config["BUILD_DIR"]) / RESTRICTED_DUMP
        if token and config["STORE"] == "embedded" and everything.is_file():
            restricted = [checked_build_file(Path(config["BUILD_DIR"]), RESTRICTED_DUMP)]
    private = None
    if token and restricted and config["STORE"] == "embedded":
        store_dir = Path(config["STORE_DIR"]) / "restricted" if config["STORE_DIR"] else None
        private = limited(open_store("embedded", data=restricted, workers=1, store_dir=store_dir,
                                     **store_options(config)), config)
    return Stores(public, private, token)
