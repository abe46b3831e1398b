"""Every setting of the service, in one table: name, default, help. Read from the environment as
`CPS_<NAME>` (upper case) or given to `create_app(config)`. A test fails when one is undocumented."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The entities' base IRI when CPS_BASE_IRI is not set (namespaces.py takes it from here: this module, read by
# every command before anything else, imports no rdflib, so `cpsgraph serve` starts its fork server first).
DEFAULT_BASE = "https://w3id.org/cps-lac/"


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
            "The report's text, used to check every citation locator; the restricted graph's contact details "
            "are read from its Anexo III. The browser reads the words of each passage and `/report` from it at run "
            "time (never stored); without it the pages show locators only."),
    Setting("CONTACTS_FILE", "", "A contacts table (the columns of the old `data/restricted/contacts.csv`, see "
            "data/README.md) outside the repository, read by `build` instead of the report's Anexo III; when set "
            "it wins. Empty: the contacts come from the report. Also `cpsgraph build --contacts FILE`."),
    # The SPARQL service (issue 4): store, limits, access.
    Setting("STORE", "embedded", "`embedded` (pyoxigraph in query worker processes) or the URL of a SPARQL 1.1 "
            "query endpoint, to serve an existing triplestore instead."),
    Setting("STORE_UPDATE_URL", "", "Update endpoint of the remote store; `publish` uses it when no Graph Store URL "
            "is given."),
    Setting("STORE_GRAPH_STORE_URL", "", "Graph Store Protocol endpoint of the remote store (`publish` PUTs each "
            "graph there)."),
    Setting("STORE_GRAPHS", "", "Space-separated IRIs of the named graphs served from the remote store (empty: the "
            "public graphs of BASE_IRI, `graph/ontology` and `graph/data`); its other graphs (a triplestore's own, "
            "a partner's data) are never served."),
    Setting("STORE_PAGE_SIZE", 10000, "Rows asked of the remote store at once (pages of LIMIT/OFFSET): at most "
            "its own row limit (Virtuoso's ResultSetMaxRows, 10,000 by default)."),
    Setting("DATA_FILES", "", "Space-separated RDF files the embedded store serves instead of the build "
            "(empty: `BUILD_DIR/current/public/cps-lac.trig`). TriG and N-Quads keep their named graphs."),
    Setting("RESTRICTED_DATA_FILES", "", "Files served only to the operator's token, in a store of their own "
            "(empty: `BUILD_DIR/current/restricted/cps-lac-all.trig` when serving the build)."),
    Setting("STORE_DIR", "", "Empty: every query worker holds the data in memory. A directory: the data is loaded "
            "there once (the directory is emptied first) and the workers open it read-only."),
    Setting("QUERY_WORKERS", 12, "Query worker processes (queries evaluated at once); the token holder's store "
            "has one more. More than the cores on purpose: the OS time-slices them, so a cheap query answers "
            "at once beside expensive ones (about 20 MB each for this graph)."),
    Setting("SITE_WORKERS", 2, "Of the query workers, how many the SPARQL endpoint (`/sparql`, `/store`, "
            "`/dumps`) can never take: kept for the browser's pages, the stored-query API and `/readyz`."),
    Setting("CLIENT_QUERIES", 2, "Requests one client (by address, see `TRUSTED_PROXIES`) may have answered at "
            "once, and store calls it may have in flight; more wait (holding no request thread) and get HTTP 429 "
            "with `Retry-After` after the admission wait. `/healthz` and `/readyz` are not counted. 0: no "
            "per-client share."),
    Setting("ADMISSION_WAIT", 2.0, "Seconds a request may wait for a request thread or a query worker of its kind "
            "(and within its client's share); past it HTTP 503 (or 429) with `Retry-After`."),
    Setting("TRUSTED_PROXIES", "", "Space-separated addresses or networks (`10.0.0.0/8`) of reverse proxies "
            "whose `Forwarded: for=` / `X-Forwarded-For` names the client; empty: the TCP peer is the client "
            "(forwarded headers are ignored)."),
    Setting("QUERY_TIMEOUT", 10.0, "Seconds a query may run; past it the worker is killed and the client gets "
            "HTTP 503."),
    Setting("QUERY_MEMORY", 1024, "MiB of memory a query worker may take on top of its loaded data while it "
            "answers one request; past it the worker is killed and replaced and the client gets HTTP 503 (Query "
            "memory limit exceeded). Size it so that workers x (data + this) fits the machine. 0: no ceiling."),
    Setting("QUERY_MEMORY_TOTAL", "auto", "MiB of memory all query workers together (of every store) may take on "
            "top of their loaded data; past it the worker that grew most is killed and replaced and its client gets "
            "HTTP 503 (Query memory limit exceeded), so that many workers each under `QUERY_MEMORY` cannot exhaust "
            "the machine. `auto`: half of the machine's memory (or of its cgroup's `memory.max`, when lower). "
            "0: no budget."),
    Setting("RESULT_CAP", 10000, "Most solutions or triples in one answer; a cut answer says so (header "
            "`X-Result-Truncated` and in the body). 0: no cap."),
    Setting("RESULT_BYTES", 16777216, "Most bytes of rows or triples in one answer (16 MiB); a longer answer is "
            "cut after the last row that fits and says so, as with the result cap (header `X-Result-Truncated`, "
            "with `X-Result-Bytes-Cap`, and in the body). Answers travel in pieces and never sit whole in the web "
            "process. 0: no byte cap."),
    Setting("ANSWER_SPOOL_BYTES", 268435456, "Most bytes of answers the server holds at once for clients "
            "still reading them (256 MiB, in temporary files past 1 MiB each); past it a query gets HTTP 503 "
            "with `Retry-After`. 0: no limit."),
    Setting("BODY_LIMIT", 1048576, "Largest request body in bytes (HTTP 413 above)."),
    Setting("QUERY_MAX_TOKENS", 10000, "Most tokens a query may hold (and most `#`, backslashes and quotes); "
            "larger queries get HTTP 400 before any engine sees them, so that reading one costs a bounded time."),
    Setting("QUERY_MAX_NESTING", 128, "Most levels of `{`, `(` and `[` a query may nest (HTTP 400 above): the "
            "engine recurses once per level and a worker dies of a stack overflow at ~2,250 nested groups."),
    Setting("QUERY_MAX_OPERATORS", 2000, "Most operators (`&&`, `!`, `+`, `=`, ..., UNION, MINUS, OPTIONAL) "
            "in a query (HTTP 400 above); ~8,000 chained ones overflow a worker's stack."),
    Setting("QUERY_MAX_PATTERNS", 1000, "Most patterns in a query: FILTER, BIND, OPTIONAL, UNION, GRAPH, VALUES, "
            "`{ }` groups, `(... AS ?x)` expressions and triple patterns (HTTP 400 above); ~2,600 BINDs or select "
            "expressions overflow a worker's stack."),
    Setting("SERVICE_ALLOWLIST", "", "Space-separated SPARQL endpoints a SERVICE clause may reach; empty: "
            "federated queries are refused."),
    Setting("CORS_ORIGINS", "*", "`Access-Control-Allow-Origin` of the SPARQL and Graph Store responses; empty "
            "turns CORS off."),
    Setting("OPERATOR_TOKEN", "", "Bearer token that unlocks the restricted graph; empty: nobody can read it "
            "over HTTP."),
    Setting("QUERIES_DIR", "queries", "Directory of the example queries (`NAME.rq`) listed in the Service "
            "Description and run by `cpsgraph query NAME`."),
    Setting("HOST", "127.0.0.1", "Address `cpsgraph serve` listens on."),
    Setting("PORT", 8000, "Port `cpsgraph serve` listens on."),
    Setting("HTTP_PROCESSES", 1, "HTTP processes `cpsgraph serve` runs on the one port (Linux): each a whole "
            "service, a client's connections always reaching the same one (by its address), so its fair share is "
            "counted once. `QUERY_WORKERS` and `RESPONSE_CACHE_BYTES` are divided among them; 2 on a machine of "
            "2 cores uses both for HTTP (web/processes.py)."),
    Setting("SERVER_THREADS", 16, "Request threads of the waitress server: requests evaluated at once (connections "
            "are held by its I/O loop, not by threads). The SPARQL endpoint (`/sparql`, `/store`, `/dumps`) holds "
            "at most as many as the query workers it may use, and never the last max(2, `SITE_WORKERS`)."),
    Setting("CONNECTION_LIMIT", 2000, "Most client connections `cpsgraph serve` holds open at once (idle, slow "
            "or busy); past it, new connections wait in the listen backlog. The open-file limit is raised to fit."),
    Setting("IDLE_TIMEOUT", 60.0, "Seconds a keep-alive connection may stay idle between requests before the "
            "server closes it."),
    Setting("REQUEST_READ_TIMEOUT", 30.0, "Seconds a client has to send a whole request (head and body) from its "
            "first byte; past it the server answers 408 and closes the connection (slow clients)."),
    # The browser (issue 5).
    Setting("NETWORK_MAX_NEIGHBOURS", 200, "Most actors a network view (`/network/...`, the page and its "
            "JSON/CSV/GEXF) shows besides the actor or the group's members: those with the most evidence of a "
            "link come first, the rest are counted by kind and the page says the view is capped. `?limit=N` asks "
            "for fewer; an export may ask for more (`?limit=0`: every actor, streamed). 0: no cap."),
    # HTTP caching and the release cache (decision 0023, web/httpcache.py).
    Setting("HTTP_MAX_AGE", 300, "Seconds a browser, proxy or CDN may keep a public answer without asking again "
            "(`Cache-Control: max-age`); afterwards it revalidates with its ETag and gets a 304 while the release "
            "is the same. Answers to requests with an Authorization header are never cacheable."),
    Setting("RESPONSE_CACHE_BYTES", 67108864, "Bytes of public answers and pages the web process keeps for the "
            "release it serves (64 MiB; each with its gzip/Brotli forms), so a repeated request is answered "
            "without the app or a query worker; least recently used out first. 0: no cache."),
    Setting("RESPONSE_CACHE_ENTRY_BYTES", 1048576, "Largest answer the release cache keeps and the web process "
            "compresses (1 MiB); larger answers go out uncompressed from their spooled file (the dumps come "
            "pre-compressed from the build)."),
    Setting("ACCESS_LOG", "-", "Where `cpsgraph serve` writes its access log, one JSON line per request: `-` "
            "standard output, else a file (appended); empty: no access log."),
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


def load_settings(overrides: dict | None = None) -> dict:
    """Every setting, typed like its default: the default, then `CPS_<NAME>`, then `overrides` (whose other
    keys, such as Flask's TESTING, pass through). Raises ConfigError for a value of the wrong type."""
    from .errors import ConfigError

    overrides = overrides or {}
    values = dict(overrides)
    for setting in SETTINGS:
        raw = overrides.get(setting.name, os.environ.get(f"CPS_{setting.name}", setting.default))
        try:
            values[setting.name] = _typed(raw, setting.default)
        except ValueError:
            raise ConfigError(f"Setting {setting.name} must be a {type(setting.default).__name__}, "
                              f"not {raw!r}.") from None
    return values


def _typed(value, default):
    if isinstance(default, bool) and isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, (int, float)) and not isinstance(default, bool) and isinstance(value, str):
        return type(default)(value.strip())
    return value


def words(value) -> list[str]:
    """A list setting, given as a space-separated string (environment) or a list (Python config)."""
    if not value:
        return []
    return value.split() if isinstance(value, str) else [str(item) for item in value]
