"""The stores a configuration asks for (config.SETTINGS), for the server and the command line alike.

Two stores, never one: the public store holds only the public graphs; the token holder's store (the
operator's, with the restricted contacts graph) is a separate store with its own worker process, opened
only when an operator token is configured. So no query, DESCRIBE, dump or Graph Store GET on the public
side can reach the restricted graph, whatever its text: the data is simply not there.

One release: `BUILD_DIR/current` is a link that `cpsgraph build` moves to each new release
(`releases/<digest>/`). It is read once, when the stores are opened (`pinned_release`); from then on the stores,
every replacement worker (which loads only the bytes whose digests the service started with) and the VoID
description read that release, whatever `current` points at later, and `cpsgraph build` does not prune it
while the service holds it (`hold_release`). A new build is served after a restart.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..config import words
from ..errors import ConfigError
from . import Store, open_store
from .admission import Admission
from .limits import QueryLimits
from .upkeep import budget_bytes

PUBLIC_DUMP = Path("public/cps-lac.trig")          # in a release
RESTRICTED_DUMP = Path("restricted/cps-lac-all.trig")


@dataclass
class Stores:
    public: Store
    restricted: Store | None   # None: no token configured (or a remote store): nobody reads the restricted graph
    token: str
    release: Path | None = None   # the build release served (BUILD_DIR/current when the stores were opened)
    hold: object = None           # a shared lock on the release's manifest: `cpsgraph build` does not prune it

    def close(self) -> None:
        for store in (self.public, self.restricted):
            if store is not None:
                store.close()
        if self.hold is not None:
            self.hold.close()
            self.hold = None


def store_options(config: dict) -> dict:
    return {"timeout": config["QUERY_TIMEOUT"], "result_cap": config["RESULT_CAP"],
            "result_bytes": config["RESULT_BYTES"], "spool_bytes": config["ANSWER_SPOOL_BYTES"],
            "service_allowlist": words(config["SERVICE_ALLOWLIST"])}


def pinned_release(config: dict) -> Path | None:
    """The release `BUILD_DIR/current` points at now (`BUILD_DIR/releases/<digest>`), None without a build."""
    current = Path(config["BUILD_DIR"]) / "current"
    return current.resolve() if current.is_dir() else None


def hold_release(release: Path | None):
    """An open file with a shared lock on the release's manifest, so that `cpsgraph build` leaves the release
    in place while this service serves it (build._prune); None where that cannot be done."""
    if release is None:
        return None
    try:
        import fcntl

        manifest = open(release / "manifest.json", "rb")  # noqa: SIM115 - held until Stores.close
    except (ImportError, OSError):
        return None
    try:
        fcntl.flock(manifest, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        manifest.close()
        return None
    return manifest


def public_data(config: dict, release: Path | None) -> list[Path]:
    """The files the embedded public store serves: DATA_FILES, else the public TriG of `release`.
    Raises ConfigError when there is neither."""
    data = [Path(p) for p in words(config["DATA_FILES"])]
    if data:
        return data
    if release is None or not (release / PUBLIC_DUMP).is_file():
        raise ConfigError(f"There is no built graph at {Path(config['BUILD_DIR']) / 'current' / PUBLIC_DUMP}: "
                          "run `cpsgraph build` first, or serve files with `cpsgraph serve --data FILE...`.")
    return [checked_build_file(release, PUBLIC_DUMP)]


class BuildFile(type(Path())):
    """A file of a build release whose bytes were found to match the manifest's SHA-256 (`digest`): the build
    parsed and validated them, so the embedded store does not parse them again at start-up (its workers still
    check the digest of what they load)."""

    digest: str = ""


def checked_build_file(release: Path, name: Path) -> Path:
    """A file of a release (a BuildFile), compared with the digest its manifest.json records, so that a damaged
    build is refused at start-up rather than served half. Raises ConfigError saying what to run."""
    path = release / name
    manifest = release / "manifest.json"
    try:
        expected = json.loads(manifest.read_text(encoding="utf-8"))[str(name)]
        intact = hashlib.sha256(path.read_bytes()).hexdigest() == expected
    except (OSError, ValueError, KeyError, TypeError):
        raise ConfigError(f"The build at {release} is incomplete ({manifest.name} is missing, "
                          f"unreadable or does not list {name}): run `cpsgraph build` again.") from None
    if not intact:
        raise ConfigError(f"The build at {release} is damaged ({name} does not match the digest in "
                          f"{manifest.name}): run `cpsgraph build` again.")
    checked = BuildFile(path)
    checked.digest = expected
    return checked


def open_public_store(config: dict, *, workers: int | None = None, release: Path | None = None) -> Store:
    """The store every request without a token reads: remote when STORE is a URL, else embedded (from
    `release`, else the one BUILD_DIR/current points at now)."""
    if config["STORE"] != "embedded":
        return limited(open_store("remote", query_url=config["STORE"], update_url=config["STORE_UPDATE_URL"] or None,
                                  graph_store_url=config["STORE_GRAPH_STORE_URL"] or None,
                                  graphs=served_graphs(config), page_size=config["STORE_PAGE_SIZE"],
                                  **store_options(config)), config)
    store_dir = Path(config["STORE_DIR"]) / "public" if config["STORE_DIR"] else None
    return limited(open_store("embedded", data=public_data(config, release or pinned_release(config)),
                              workers=workers or config["QUERY_WORKERS"], store_dir=store_dir,
                              memory_mb=config["QUERY_MEMORY"],
                              memory_budget=budget_bytes(config["QUERY_MEMORY_TOTAL"]), **store_options(config)),
                   config)


def served_graphs(config: dict) -> list[str]:
    """The named graphs the service serves from a remote store (STORE_GRAPHS, else the public graphs)."""
    from ..namespaces import PUBLIC_GRAPHS, Base

    return words(config["STORE_GRAPHS"]) or [str(Base(config["BASE_IRI"]).graph(name)) for name in PUBLIC_GRAPHS]


def limited(store: Store, config: dict) -> Store:
    """The store with the query gate's limits of the configuration (QUERY_MAX_*)."""
    store.limits = QueryLimits.from_settings(config)
    return store


def open_stores(config: dict) -> Stores:
    """The public store, with fair admission to its workers (admission.py), and, when OPERATOR_TOKEN is set,
    the token holder's store (RESTRICTED_DATA_FILES, else the build's cps-lac-all.trig when serving the build)."""
    token = str(config["OPERATOR_TOKEN"] or "")
    serving_build = config["STORE"] == "embedded" and not words(config["DATA_FILES"])
    release = pinned_release(config) if serving_build else None   # None: --data files or a remote store
    public = open_public_store(config, release=release)
    public.admission = Admission(config["QUERY_WORKERS"], site_workers=config["SITE_WORKERS"],
                                 client_calls=config["CLIENT_QUERIES"], wait=config["ADMISSION_WAIT"],
                                 retry_after=config["QUERY_TIMEOUT"])
    if config["CLIENT_QUERIES"] and config["RESULT_BYTES"]:   # one client's unread answers: its share of them
        public.budget.client_limit = int(config["CLIENT_QUERIES"]) * int(config["RESULT_BYTES"]) + (1 << 20)
    restricted = [Path(p) for p in words(config["RESTRICTED_DATA_FILES"])]
    served_build = not words(config["DATA_FILES"]) and release is not None
    if not restricted and served_build and token and config["STORE"] == "embedded" \
            and (release / RESTRICTED_DUMP).is_file():
        restricted = [checked_build_file(release, RESTRICTED_DUMP)]
    private = None
    if token and restricted and config["STORE"] == "embedded":
        store_dir = Path(config["STORE_DIR"]) / "restricted" if config["STORE_DIR"] else None
        private = limited(open_store("embedded", data=restricted, workers=1, store_dir=store_dir,
                                     memory_mb=config["QUERY_MEMORY"],
                                     memory_budget=budget_bytes(config["QUERY_MEMORY_TOTAL"]),
                                     **store_options(config)), config)
    return Stores(public, private, token, release, hold_release(release))
