"""HTTP caching and compression, and the release cache of answers and pages (decision 0023).

One WSGI middleware around the Flask app (`install`, from create_app), so that a repeated request costs a
dictionary look-up and never reaches Flask, its hooks or a query worker.

Validators and freshness, on the GET and HEAD answers of every URL (pages, data documents, dumps, VoID, the
Service Description, the stored-query API, `/sparql` answers):

- `ETag: "<release>-<variant>"`: the served release's digest (with a digest of the code, the stored queries and
  the settings that shape answers, so a new deployment changes it too) and a digest of the negotiated variant
  (the URL, Content-Type, Content-Language, the request headers the answer varies on); `-gzip`/`-br` are
  appended for a compressed body. The same release on two replicas gives the same ETags.
- `Last-Modified`: when the release (or the newest file of the code) was written.
- `Cache-Control: max-age=HTTP_MAX_AGE` unless the view set one; `If-None-Match` (weak comparison, RFC 9110
  §13.1.2) and, without it, `If-Modified-Since` are answered 304.
- `Vary`: what the view declared (Accept, Accept-Language, Cookie, Origin) plus `Accept-Encoding` for
  compressible types and `Authorization` everywhere, so a shared cache never hands a public answer to the
  operator or the operator's to anyone.
- A request with an `Authorization` header gets `Cache-Control: no-store` and no validators, whatever
  it is answered; so does an answer that sets a cookie. Errors other than 404/410 keep their own headers.
- Without a release (a remote store, whose data may change under the service) nothing is cached here and
  answers say `Cache-Control: no-cache`.

Compression: gzip, and Brotli when the `brotli` package is installed, for text types of at least MIN_COMPRESS
bytes, chosen by Accept-Encoding (Brotli first). A body held in memory (at most RESPONSE_CACHE_ENTRY_BYTES) is
compressed whole and kept so; a larger or streamed one (a hub's network JSON, a large query answer) is compressed
as it goes out, a block at a time (compress_stream), and the dumps are compressed by the build (graphstore.py serves `cps-lac.<ext>.gz`, and the same bytes as `Content-Encoding:
gzip`).

The release cache: a public (no Authorization) GET/HEAD answered 200, 301, 303, 308 or 404 with a body of at
most RESPONSE_CACHE_ENTRY_BYTES is kept, with its compressed forms, in at most RESPONSE_CACHE_BYTES
(least recently used out first), keyed by the path, query string, Host, scheme and every request header an
answer may depend on (Accept, Accept-Language, Cookie, Origin). The cache belongs to one app, and so to one
release: a reload (SIGHUP) builds a new app with an empty cache. A query POSTed to `/sparql` (at most POST_KEY_BYTES) is kept
too, keyed by its body and Content-Type beside the rest; its answer gets no HTTP validators (a POST is not
HTTP-cacheable). A request the fair dispatcher held back (fairness.REFUSAL) or that carries `Range` goes to
the app as usual.
"""

from __future__ import annotations

import gzip
import zlib
import hashlib
import io
import json
import logging
import threading
import time
from collections import OrderedDict
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

try:   # Google's Brotli bindings; without them only gzip is offered
    import brotli
except ImportError:  # pragma: no cover - the package is a dependency; a partner's install may lack it
    brotli = None

from .ops import access_line, new_request_id

log = logging.getLogger(__name__)
access_log = logging.getLogger("cpsgraph.access")

MIN_COMPRESS = 256          # bytes: smaller bodies gain nothing from compression
ENTRY_OVERHEAD = 1024       # bytes counted per cache entry on top of its bodies (key, headers)
CACHEABLE = {200, 203, 204, 300, 301, 303, 308, 404, 410}   # answers that get Cache-Control (RFC 9111 §4.2.2)
STORED = {200, 301, 303, 308, 404}                         # answers the release cache keeps
VALIDATED = {200, 203}                                     # answers that get ETag and Last-Modified
POSTED_QUERIES = {"/sparql"}   # where a POST is a query (the release cache keeps its answer by the body)
POST_KEY_BYTES = 65536         # larger POST bodies are not read ahead for a key
KEY_HEADERS = ("HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_COOKIE", "HTTP_ORIGIN")
KNOWN_VARY = {"accept", "accept-language", "cookie", "origin", "authorization", "accept-encoding"}
TEXT_TYPES = {"application/json", "application/ld+json", "application/n-triples", "application/n-quads",
              "application/trig", "application/rdf+xml", "application/xml", "application/javascript",
              "application/sparql-results+json", "application/sparql-results+xml", "application/sparql-query",
              "application/geo+json", "application/schema+json", "image/svg+xml", "application/manifest+json"}
# The settings that change what an answer says (the rest say how the service runs: ports, workers, paths).
SHAPING_SETTINGS = ("BASE_IRI", "RESULT_CAP", "RESULT_BYTES", "SERVICE_ALLOWLIST", "CORS_ORIGINS",
                    "NETWORK_MAX_NEIGHBOURS", "QUERY_TIMEOUT", "HTTP_MAX_AGE")
CODE = Path(__file__).resolve().parents[1]     # the cpsgraph package: its code, templates and own static files
REFUSAL = "cpsgraph.refusal"                    # fairness.REFUSAL (not imported: this module loads before Flask's)
REQUEST_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-")


def install(app) -> None:
    """Wrap the app's WSGI callable in the cache (create_app calls it last, so it sees every blueprint's answer)."""
    middleware = HttpCache(app)
    app.extensions["cpsgraph.httpcache"] = middleware
    app.wsgi_app = middleware


def forget(app) -> None:
    """Empty the app's release cache (HttpCache.forget), if it has one."""
    middleware = app.extensions.get("cpsgraph.httpcache")
    if middleware is not None:
        middleware.forget()


def compressible(mimetype: str) -> bool:
    return mimetype.startswith("text/") or mimetype in TEXT_TYPES or mimetype.endswith("+json") \
        or mimetype.endswith("+xml")


def accepted_codings(header: str | None) -> tuple[str, ...]:
    """The codings of ours the client accepts, best first (`br`, `gzip`); none for a missing header."""
    if not header:
        return ()
    weights: dict[str, float] = {}
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params[:2].lower() == "q=":
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        weights[name.strip().lower()] = quality
    star = weights.get("*", 0.0)
    offered = (("br",) if brotli is not None else ()) + ("gzip",)
    return tuple(c for c in offered if weights.get(c, weights.get("x-gzip", star) if c == "gzip" else star) > 0)


def compress(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=5)
    return gzip.compress(body, compresslevel=6, mtime=0)


STREAM_BLOCK = 65536   # bytes of a streamed body compressed (and sent) at a time


def compress_stream(iterable, coding: str):
    """The chunks of a streamed body (one not held in memory: a hub's network, a large query answer) compressed as
    they come. Input is gathered into blocks of STREAM_BLOCK bytes, each block is flushed to the client whole, so
    the first rows of a long answer still arrive early; memory stays one block whatever the body's size."""
    if coding == "br":
        packer = brotli.Compressor(quality=4)
        pack, flush, finish = packer.process, packer.flush, packer.finish
    else:
        packer = zlib.compressobj(6, zlib.DEFLATED, 31)   # wbits 31: the gzip wrapper, with mtime 0
        pack, flush, finish = packer.compress, lambda: packer.flush(zlib.Z_SYNC_FLUSH), packer.flush
    block: list[bytes] = []
    size = 0
    try:
        for chunk in iterable:
            if not chunk:
                continue
            block.append(chunk)
            size += len(chunk)
            if size >= STREAM_BLOCK:
                out = pack(b"".join(block)) + flush()
                block, size = [], 0
                if out:
                    yield out
        yield pack(b"".join(block)) + finish()
    finally:
        _close(iterable)


def opaque(etag: str) -> str:
    """An entity tag without W/, its quotes and our coding suffix: what weak comparison compares."""
    tag = etag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    tag = tag.strip('"')
    for suffix in ("-gzip", "-br"):
        if tag.endswith(suffix):
            return tag[: -len(suffix)]
    return tag


def not_modified(environ, etag: str | None, last_modified: str | None) -> bool:
    """Whether the conditional request is answered 304 (RFC 9110 §13.2.2: If-None-Match first)."""
    given = environ.get("HTTP_IF_NONE_MATCH")
    if given is not None:
        if etag is None:
            return False
        if given.strip() == "*":
            return True
        mine = opaque(etag)
        return any(opaque(tag) == mine for tag in given.split(",") if tag.strip())
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since and last_modified:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
    return False


def release_tag(app) -> tuple[str | None, float]:
    """(tag, seconds since the epoch of Last-Modified): the served release's digest and a digest of what else
    shapes the answers (the code, the stored queries, the shaping settings). No tag for a remote store."""
    from .stores import stores

    config = app.config
    if str(config.get("STORE", "embedded")) != "embedded":
        return None, 0.0
    release = stores(app).release
    digest = hashlib.blake2b(digest_size=8)
    modified = 0.0
    if release is not None:
        data_tag = release.name
        modified = (release / "manifest.json").stat().st_mtime if (release / "manifest.json").is_file() else 0.0
    else:   # --data files: their bytes are the release
        data = hashlib.blake2b(digest_size=8)
        for name in sorted(str(p) for p in _words(config.get("DATA_FILES")) + _words(config.get("RESTRICTED_DATA_FILES"))):
            path = Path(name)
            data.update(path.read_bytes())
            modified = max(modified, path.stat().st_mtime)
        data_tag = data.hexdigest()
    queries = Path(str(config.get("QUERIES_DIR") or "queries"))
    files = [p for p in sorted(CODE.rglob("*")) if p.is_file() and "vendor" not in p.parts
             and "__pycache__" not in p.parts and p.suffix in (".py", ".html", ".css", ".js", ".json", ".rq", ".ttl")]
    files += sorted(queries.glob("*.rq")) if queries.is_dir() else []
    for path in files:
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
        modified = max(modified, path.stat().st_mtime)
    digest.update(json.dumps({name: str(config.get(name)) for name in SHAPING_SETTINGS}, sort_keys=True).encode())
    return f"{data_tag}-{digest.hexdigest()[:8]}", modified


def _words(value) -> list[str]:
    if not value:
        return []
    return value.split() if isinstance(value, str) else [str(v) for v in value]


class Entry:
    """One kept answer: status line, headers (without X-Request-Id), ETag, and its body per coding."""

    __slots__ = ("status", "headers", "etag", "last_modified", "bodies", "compressible", "size", "kept")

    def __init__(self, status: str, headers: list, etag, last_modified, body: bytes, is_compressible: bool):
        self.status, self.headers, self.etag, self.last_modified = status, headers, etag, last_modified
        self.bodies = {"identity": body}
        self.compressible = is_compressible and len(body) >= MIN_COMPRESS
        self.size = len(body) + ENTRY_OVERHEAD
        self.kept = False   # True while the cache holds it


class HttpCache:
    """The WSGI middleware (see the module's docstring)."""

    def __init__(self, app):
        self.app, self.wsgi = app, app.wsgi_app
        config = app.config
        self.max_age = int(config["HTTP_MAX_AGE"])
        self.budget = int(config["RESPONSE_CACHE_BYTES"])
        self.entry_limit = min(int(config["RESPONSE_CACHE_ENTRY_BYTES"]), self.budget or 1 << 62)
        self.tag, modified = release_tag(app)
        self.last_modified = format_datetime(datetime.fromtimestamp(int(modified), tz=timezone.utc), usegmt=True) \
            if self.tag and modified else None
        self.cache_control = f"max-age={self.max_age}" if self.tag else "no-cache"
        self.entries: OrderedDict = OrderedDict()
        self.size, self.hits, self.misses = 0, 0, 0
        self.lock = threading.Lock()

    # --- the request ------------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        private = "HTTP_AUTHORIZATION" in environ
        codings = accepted_codings(environ.get("HTTP_ACCEPT_ENCODING"))
        key, entry, environ = self._look_up(environ)
        if entry is not None:
            return self._send(entry, environ, start_response, codings, method)
        if key is not None and method == "HEAD":   # answered as a GET, so that the kept answer has its body
            environ = dict(environ, REQUEST_METHOD="GET")
        captured: list = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return lambda data: (_ for _ in ()).throw(RuntimeError("write() is not supported"))

        iterable = self.wsgi(environ, capture)
        status, headers = captured
        code = int(status[:3])
        head = _Headers(headers)
        conditional = False
        if private:
            head.set("Cache-Control", "no-store")
            head.vary("Authorization")
        elif method in ("GET", "HEAD") and code in CACHEABLE and "no-store" not in head.get("Cache-Control", "") \
                and head.get("Set-Cookie") is None:
            head.vary("Authorization")
            if head.get("Cache-Control") is None:
                head.set("Cache-Control", self.cache_control)
            if code in VALIDATED and self.tag:
                if head.get("ETag") is None:
                    head.set("ETag", self._etag(environ, head))
                if head.get("Last-Modified") is None and self.last_modified:
                    head.set("Last-Modified", self.last_modified)
            conditional = True
        elif head.get("Set-Cookie") is not None and method in ("GET", "HEAD"):
            head.set("Cache-Control", "no-store")
        mimetype = head.get("Content-Type", "").split(";")[0].strip().lower()
        can_compress = compressible(mimetype) and head.get("Content-Encoding") is None
        if can_compress:
            head.vary("Accept-Encoding")
        length = head.get("Content-Length")
        small = length is not None and length.isdigit() and int(length) <= self.entry_limit
        unchanged = conditional and code in VALIDATED and not_modified(environ, head.get("ETag"),
                                                                         head.get("Last-Modified"))
        # an answer the view encoded itself (a dump's gzipped copy) depends on Accept-Encoding: not kept
        posted = method == "POST" and code == 200 and "no-store" not in head.get("Cache-Control", "") \
            and head.get("Set-Cookie") is None
        keep = small and key is not None and (conditional and code in STORED or posted) and head.vary_known() \
            and head.get("Content-Encoding") is None
        if unchanged and not keep:
            _close(iterable)
            return self._not_modified(start_response, head)
        if not small and can_compress and codings and method == "GET" and not unchanged:
            return self._stream(status, head, iterable, codings[0], start_response)
        if not small or (not can_compress and key is None):
            start_response(status, head.items)
            if method == "HEAD":   # asked of the app as a GET (above), so that a kept answer has its body
                _close(iterable)
                return []
            return iterable
        try:
            body = b"".join(iterable)
        finally:
            _close(iterable)
        entry = Entry(status, [(k, v) for k, v in head.items if k.lower() != "x-request-id"], head.get("ETag"),
                      head.get("Last-Modified"), body, can_compress)
        if keep:
            self._keep(key, entry)
        else:
            with self.lock:
                self.misses += 1
        if unchanged:
            return self._not_modified(start_response, head)
        return self._body(entry, head.get("X-Request-Id"), start_response, codings, method)[0]

    def _look_up(self, environ) -> tuple:
        """(the request's key in the cache or None when it is not one to keep, its entry or None, the environ to
        answer it with: a POSTed query's body is read for its key and handed on in a buffer)."""
        method = environ["REQUEST_METHOD"]
        if "HTTP_AUTHORIZATION" in environ or not self.tag or not self.budget or REFUSAL in environ:
            return None, None, environ
        if method in ("GET", "HEAD") and "HTTP_RANGE" not in environ:
            key = (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), environ.get("HTTP_HOST", ""),
                   environ.get("wsgi.url_scheme", ""), environ.get("SCRIPT_NAME", ""),
                   *(environ.get(name) for name in KEY_HEADERS))
        elif method == "POST" and environ.get("PATH_INFO") in POSTED_QUERIES \
                and environ.get("CONTENT_LENGTH", "").isdigit() and 0 < int(environ["CONTENT_LENGTH"]) <= POST_KEY_BYTES:
            # a query sent by POST is as safe as by GET (SPARQL Protocol): kept by its body, never HTTP-cacheable
            body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
            environ = dict(environ, **{"wsgi.input": io.BytesIO(body)})
            key = ("POST", environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), environ.get("HTTP_HOST", ""),
                   environ.get("wsgi.url_scheme", ""), environ.get("SCRIPT_NAME", ""), environ.get("CONTENT_TYPE"),
                   hashlib.blake2b(body, digest_size=16).digest(), *(environ.get(name) for name in KEY_HEADERS))
        else:
            return None, None, environ
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                self.hits += 1
        return key, entry, environ

    def hit(self, environ) -> tuple[str, list, list] | None:
        """The kept answer to `environ` as (status, headers, body chunks), logged, or None when there is none; the
        request's body stream is left where it was, for the app. The HTTP server answers these in its I/O
        loop, without a request thread (web/httpserver.py)."""
        stream = environ.get("wsgi.input")
        position = stream.tell() if stream is not None and hasattr(stream, "tell") else None
        _key, entry, looked = self._look_up(environ)
        if entry is None:
            if position is not None and looked is not environ:
                stream.seek(position)   # a POSTed query's body was read for its key
            return None
        answer: list = []
        chunks = self._send(entry, looked, lambda status, headers, exc_info=None: answer.extend((status, headers)),
                            accepted_codings(environ.get("HTTP_ACCEPT_ENCODING")), environ["REQUEST_METHOD"])
        return answer[0], answer[1], chunks

    @staticmethod
    def _stream(status, head, iterable, coding: str, start_response):
        """A body too large to hold (or of unknown length), compressed on its way out (compress_stream)."""
        etag = head.get("ETag")
        items = [(k, v) for k, v in head.items if k.lower() not in ("content-length", "etag")]
        if etag is not None:
            items.append(("ETag", f'{etag[:-1]}-{coding}"'))
        start_response(status, [*items, ("Content-Encoding", coding)])
        return compress_stream(iterable, coding)

    def _etag(self, environ, head) -> str:
        variant = hashlib.blake2b(digest_size=8)
        vary = {name.strip().lower() for name in head.get("Vary", "").split(",")}
        parts = [environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                 head.get("Content-Type", ""), head.get("Content-Language", ""), head.get("Location", "")]
        if "cookie" in vary and head.get("Content-Language") is None:
            parts.append(environ.get("HTTP_COOKIE", ""))
        if "origin" in vary:
            parts.append(environ.get("HTTP_ORIGIN", ""))
        variant.update("\n".join(parts).encode("utf-8", "surrogateescape"))
        coding = head.get("Content-Encoding")   # a body the view sent encoded (a dump's gzipped copy)
        return f'"{self.tag}-{variant.hexdigest()}' + (f'-{coding}"' if coding in ("gzip", "br") else '"')

    def _keep(self, key, entry: Entry) -> None:
        with self.lock:
            self.misses += 1
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old.size
                old.kept = False
            entry.kept = True
            self.entries[key] = entry
            self.size += entry.size
            self._trim()

    def _trim(self) -> None:
        while self.size > self.budget and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.size -= dropped.size
            dropped.kept = False

    # --- answering ----------------------------------------------------------------------------------------------

    def _send(self, entry: Entry, environ, start_response, codings, method):
        started = time.perf_counter()
        given = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = given if 0 < len(given) <= 128 and REQUEST_ID_CHARS.issuperset(given) else new_request_id()
        if entry.etag is not None and not_modified(environ, entry.etag, entry.last_modified):
            head = _Headers([*entry.headers, ("X-Request-Id", request_id)])
            result = self._not_modified(start_response, head)
            self._log(environ, request_id, 304, 0, started)
            return result
        result, size = self._body(entry, request_id, start_response, codings, method)
        self._log(environ, request_id, int(entry.status[:3]), size, started)
        return result

    def _body(self, entry: Entry, request_id, start_response, codings, method) -> tuple[list, int]:
        coding = codings[0] if entry.compressible and codings else "identity"
        body = entry.bodies.get(coding)
        if body is None:
            body = compress(entry.bodies["identity"], coding)
            with self.lock:   # kept with the entry while it is in the cache, and counted against the budget
                if entry.kept and coding not in entry.bodies:
                    entry.bodies[coding] = body
                    entry.size += len(body)
                    self.size += len(body)
                    self._trim()
        headers = [(k, v) for k, v in entry.headers if k.lower() not in ("content-length", "etag")]
        if entry.etag is not None:
            headers.append(("ETag", entry.etag if coding == "identity" else f'{entry.etag[:-1]}-{coding}"'))
        if coding != "identity":
            headers.append(("Content-Encoding", coding))
        headers.append(("Content-Length", str(len(body))))
        if request_id:
            headers.append(("X-Request-Id", request_id))
        start_response(entry.status, headers)
        return ([] if method == "HEAD" else [body]), len(body)

    @staticmethod
    def _not_modified(start_response, head) -> list:
        keep = ("etag", "last-modified", "cache-control", "vary", "content-location", "date", "expires",
                "x-request-id", "content-language", "access-control-allow-origin")
        start_response("304 Not Modified", [(k, v) for k, v in head.items if k.lower() in keep])
        return []

    def _log(self, environ, request_id, status, size, started) -> None:
        if access_log.isEnabledFor(logging.INFO):
            record = access_line(request_id=request_id, remote=environ.get("REMOTE_ADDR"),
                                 method=environ["REQUEST_METHOD"], path=environ.get("PATH_INFO", ""),
                                 status=status, size=size, started=started)
            record["cache"] = "hit"
            access_log.info(json.dumps(record, ensure_ascii=True))

    def forget(self) -> None:
        """Drop every kept answer (a reload builds a new app instead; the tests call this when they change what
        the app answers, such as a page's module-level limits, between two requests)."""
        with self.lock:
            for entry in self.entries.values():
                entry.kept = False
            self.entries.clear()
            self.size = 0

    def stats(self) -> dict:
        with self.lock:
            return {"entries": len(self.entries), "bytes": self.size, "budget": self.budget, "hits": self.hits,
                    "misses": self.misses}


class _Headers:
    """A WSGI header list edited in place (case-insensitive names)."""

    def __init__(self, items: list):
        self.items = list(items)

    def get(self, name: str, default=None):
        lower = name.lower()
        for key, value in self.items:
            if key.lower() == lower:
                return value
        return default

    def set(self, name: str, value: str) -> None:
        lower = name.lower()
        self.items = [(k, v) for k, v in self.items if k.lower() != lower] + [(name, value)]

    def vary(self, name: str) -> None:
        present = [v.strip() for v in (self.get("Vary") or "").split(",") if v.strip()]
        if name.lower() not in {v.lower() for v in present}:
            self.set("Vary", ", ".join([*present, name]))

    def vary_known(self) -> bool:
        """Whether the answer varies only on request headers the cache key holds."""
        names = {v.strip().lower() for v in (self.get("Vary") or "").split(",") if v.strip()}
        return "*" not in names and names <= KNOWN_VARY


def _close(iterable) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()
