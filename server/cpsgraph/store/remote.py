"""The remote store: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso, GraphDB, ...), reached with
SPARQLWrapper for queries and updates and with plain HTTP for the Graph Store Protocol.

Answers come back as SPARQL JSON (SELECT, ASK) or N-Triples-compatible Turtle (CONSTRUCT, DESCRIBE), are
parsed with pyoxigraph and then capped and serialized by the same code as the embedded store's, so both
stores give the same bytes for the same answer. The time limit is a client-side socket timeout: the
remote engine is not ours to kill, so configure its own limit too.

What the remote store is made to agree with the embedded one on (docs/decisions/0016-remote-store-as-embedded.md):
- The dataset: only the graphs the service publishes (`graphs`), never the store's own (Virtuoso's system
  graphs) or a partner's. Every query goes with an explicit dataset in the protocol (`default-graph-uri`,
  `named-graph-uri`) and without its FROM clauses in the text (Virtuoso adds the protocol's dataset to the
  text's instead of replacing it). A graph the query names that the service does not publish stands as an
  empty graph (the placeholder ABSENT_GRAPH, which no store holds or can fetch), as in the embedded store.
- Blank nodes: stores label them as they please (Virtuoso: `nodeID://b10003`); labels that are not valid
  SPARQL labels are replaced, the same label by the same label within an answer.
- Literals a store keeps in a form of its own come back in the canonical XSD form, the embedded store's:
  booleans (Virtuoso writes `"1"^^xsd:boolean`) and durations (Virtuoso keeps `"P2Y"^^xsd:duration` as its
  number of months, `"24"`, and `"PT2H"` as its number of seconds, `"7200.0"`). Each duration so restored is
  counted in `store_forms`, which `publish` reports. A value the store computed from such a literal inside a
  query (`STR(?duration)` gives "24" on Virtuoso) cannot be restored: queries/README.md, "Portable queries".
- Row limits: a store may cut an answer at a row limit of its own (Virtuoso's ResultSetMaxRows, 10,000 by
  default, with only an `X-SPARQL-MaxRows` header to say so). Answers are asked for in pages of at most
  `page_size` rows (LIMIT/OFFSET appended when the query has no outer LIMIT), dumps are paged and their
  counts compared, and an answer the store cut that cannot be paged is an error, never a silent cut.
- Size: an answer is cut at the byte cap (CPS_RESULT_BYTES) as the embedded store's is, and this side never
  reads more than RAW_FACTOR times the cap of the store's own bytes (a few enormous values, verbose JSON): the
  rest of the answer is left unread and the connection closed, and what was read is cut after its last whole
  row (docs/decisions/0017-answers-and-fair-admission.md). The answer then waits for its client in a spooled
  file counted against the store's budget (store/answer.py). Dumps are paged and counted (above), so they are
  assembled here whole before they are spooled.
"""

from __future__ import annotations

import ast
import base64
from collections import Counter
from decimal import Decimal
import hashlib
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from ..errors import InputError, QuerySyntaxError, QueryTimeout, RemoteStoreError, StoreUnavailable, \
    UnknownGraph
from ..formats import Format
from ..sparql_lexer import decode_escapes, tokenize
from . import Store
from .guard import QueryShape
from .answer import Shared, spool
from .results import Answer, SourceCut, render, serialize_triples

GRAPH_LIST_SECONDS = 30.0  # how long the list of remote graphs is trusted (publish may change it)
USER_AGENT = "cpsgraph (SPARQLWrapper)"
RAW_FACTOR = 4             # most bytes of the store's answer read per byte of the cap (indented JSON, long IRIs)
RAW_SLACK = 1 << 20
CUT = "x-cpsgraph-cut"     # set in the headers `_send` returns when it stopped reading at its limit
ABSENT_GRAPH = "urn:x-cps-lac:no-such-graph"   # stands for a graph the service does not publish: empty
PAGE_SIZE = 10000   # rows asked for at once: Virtuoso's default ResultSetMaxRows
UPDATE_BATCH = 500   # triples per INSERT DATA: Virtuoso runs out of memory on 13k, refuses 2,000 (SQL text)
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_BOOLEAN = XSD + "boolean"
BOOLEANS = {"1": "true", "0": "false", "true": "true", "false": "false"}   # to the canonical form
DURATIONS = (XSD + "duration", XSD + "yearMonthDuration", XSD + "dayTimeDuration")
STORED_NUMBER = re.compile(r"-?\d+(\.\d*)?\Z")   # Virtuoso's form of a duration: months, or seconds with a point
VALID_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint at `query_url`; `update_url` and `graph_store_url` are needed only to load."""

    def __init__(self, query_url: str, *, update_url: str | None = None, graph_store_url: str | None = None,
                 graphs: list[str] | tuple[str, ...] | None = None, page_size: int = PAGE_SIZE, **options):
        """`graphs`: the named graphs this service serves from the store (None: every graph it holds, for
        `publish`'s target); `page_size`: at most the store's own row limit."""
        super().__init__(**options)
        for url in (query_url, update_url, graph_store_url):
            if url is None:
                continue
            parts = urllib.parse.urlsplit(url)
            if not parts.scheme.startswith("http"):
                raise InputError(f"The remote store needs an http(s) SPARQL endpoint URL, not {url!r}.")
            if parts.username or parts.password:
                raise InputError("Credentials do not belong in a store URL (they would show in process listings "
                                 "and logs): set CPS_STORE_USER and CPS_STORE_PASSWORD, or use a netrc file.")
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.graphs = tuple(graphs) if graphs is not None else None
        self.page_size = max(1, int(page_size))
        self._graphs: tuple[float, list[str]] | None = None
        self.store_forms: Counter = Counter()   # datatype -> literals read back from the store's own form

    def _wrapper(self, url: str, timeout: float) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url, agent=USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no `format=`/`output=` parameters, only Accept
        wrapper.setTimeout(max(1, round(timeout)))
        return wrapper

    def _evaluate(self, text: str, shape: QueryShape, *, format: Format, default_graph, named_graphs, base_iri,
                  timeout: float, cap: int | None, byte_cap: int | None) -> Answer:
        text, default_graph, named_graphs = self._dataset(text, shape, default_graph, named_graphs)
        text = f"BASE <{base_iri}> {text}" if base_iri else text   # ours, not the endpoint's own IRI
        deadline = time.monotonic() + timeout
        raw = _Raw(None if byte_cap is None else RAW_FACTOR * byte_cap + RAW_SLACK, byte_cap)
        try:
            if shape.form == "ASK":
                result = ox.parse_query_results(self._ask(text, shape, default_graph, named_graphs, timeout)[0],
                                                format=ox.QueryResultsFormat.JSON)
            elif shape.returns_graph:
                result = self._triples(text, shape, default_graph, named_graphs, deadline, cap, raw)
            else:
                result = self._solutions(text, shape, default_graph, named_graphs, deadline, cap, raw)
            answer = render(result, shape.form, format, cap, byte_cap)
        except (SyntaxError, ValueError) as error:
            raise RemoteStoreError(f"The remote store sent an answer that does not parse: {error}",
                                   key="remote.unparseable", engine=str(error)) from None
        # the service's own queries (no byte cap) are read at once; a client's answer waits for it, counted
        return spooled(answer, self.budget) if byte_cap is not None else answer

    def _dataset(self, text: str, shape: QueryShape, default_graph, named_graphs):
        """The query without its FROM clauses, and the dataset to send in the protocol instead: the one asked
        for (protocol first, else the FROM clauses), each graph the service does not publish replaced by
        ABSENT_GRAPH; with none asked for, the published graphs (their union as the default graph)."""
        if default_graph or named_graphs:
            asked = (list(default_graph or ()), list(named_graphs or ()))
        elif shape.has_dataset:
            asked = (list(shape.from_graphs), list(shape.from_named))
        else:
            served = self.named_graphs() if self.graphs is not None else []
            return text, served, served
        if shape.has_dataset:
            text = _without_from(text)
        known = set(self.named_graphs())
        default, named = ([iri if iri in known else ABSENT_GRAPH for iri in part] for part in asked)
        # One side named alone: the other is empty, as SPARQL has it (never the store's own default graph).
        return text, default or [ABSENT_GRAPH], named or [ABSENT_GRAPH]

    def _request(self, text: str, shape_form: str, default_graph, named_graphs, timeout: float,
                 accept: str, limit: int | None = None) -> tuple[bytes, dict]:
        wrapper = self._wrapper(self.query_url, timeout)
        wrapper.setQuery(text)
        wrapper.queryType = shape_form  # our reading of the form, not SPARQLWrapper's regular expressions
        for iri in default_graph or ():
            wrapper.addDefaultGraph(iri)
        for iri in named_graphs or ():
            wrapper.addNamedGraph(iri)
        wrapper.setReturnFormat(TURTLE if shape_form in ("CONSTRUCT", "DESCRIBE") else JSON)
        wrapper.addCustomHttpHeader("Accept", accept)
        return self._send(wrapper, timeout, limit)

    def _ask(self, text, shape, default_graph, named_graphs, timeout) -> tuple[bytes, dict]:
        return self._request(text, shape.form, default_graph, named_graphs, timeout,
                             "application/sparql-results+json")

    def _pages(self, text: str, shape: QueryShape, cap: int | None, deadline: float):
        """(query text, rows wanted) for each page, the first one the query itself when it cannot be paged."""
        if not shape.open_end:
            yield text, None
            return
        offset = 0
        while True:
            want = self.page_size if cap is None else min(self.page_size, cap + 1 - offset)
            if want <= 0:
                return
            received = yield f"{text}\nLIMIT {want}" + (f" OFFSET {offset}" if offset else ""), want
            if received is None or received < want:
                return
            offset += received
            if time.monotonic() > deadline:
                raise QueryTimeout("The remote store did not give every page of the answer within the time limit "
                                   f"({self.timeout:g} s, CPS_QUERY_TIMEOUT).", key="remote.pages-time",
                                   values={"limit": f"{self.timeout:g}"})

    def _solutions(self, text, shape, default_graph, named_graphs, deadline, cap, raw: "_Raw"):
        """The solutions, page after page as render() takes them (so it stops asking at the caps, and only
        one page is held at a time), as pyoxigraph's own solutions, which render() caps and writes as for the
        embedded store."""
        pages = self._pages(text, shape, cap, deadline)

        def fetch(page) -> tuple[list[str], list[tuple]]:
            page_text, want = page
            body, headers = self._request(page_text, shape.form, default_graph, named_graphs,
                                          max(0.5, deadline - time.monotonic()), "application/sparql-results+json",
                                          raw.left())
            raw.spent(body, headers)
            if raw.cut:   # stopped reading at the limit: the rows read whole, and no further page
                parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                return [v.value for v in parsed.variables], _whole_rows(parsed, self.store_forms)
            parsed = ox.parse_query_results(_relabel_json(body, self.store_forms), format=ox.QueryResultsFormat.JSON)
            got = [tuple(row) for row in parsed]
            self._check_cut(headers, len(got), want, shape)
            return [v.value for v in parsed.variables], got

        names, first = fetch(next(pages))

        def rows():
            got = first
            while True:
                yield from got
                if raw.cut:
                    raise SourceCut(raw.byte_cap)
                try:
                    page = pages.send(len(got))
                except StopIteration:
                    return
                got = fetch(page)[1]

        return _Solutions(names, rows(), None)

    def _triples(self, text, shape, default_graph, named_graphs, deadline, cap, raw: "_Raw"):
        triples: dict = {}
        pages = self._pages(text, shape, cap, deadline)
        page = next(pages)
        while True:
            page_text, want = page
            body, headers = self._request(page_text, shape.form, default_graph, named_graphs,
                                          max(0.5, deadline - time.monotonic()),
                                          "application/n-triples, text/turtle;q=0.5", raw.left())
            raw.spent(body, headers)
            got = _parse_graph(body, headers, whole_only=raw.cut, noted=self.store_forms)
            for triple in got:
                triples.setdefault(triple, None)
            if raw.cut:
                break
            if want is None and len(got) == self.page_size:
                raise _cut_error(len(got))
            if cap is not None and len(triples) > cap:
                break
            try:
                # A page of CONSTRUCT solutions may give more triples than solutions: go on until one gives none.
                page = pages.send(want if got else 0)
            except StopIteration:
                break
        return _Cuttable(list(triples), raw.byte_cap if raw.cut else None)

    def _check_cut(self, headers: dict, got: int, want: int | None, shape: QueryShape) -> None:
        """Raises RemoteStoreError when the store says it cut a page that the service cannot page further."""
        limit = headers.get("x-sparql-maxrows")
        if limit is None or not limit.strip().isdigit() or got < int(limit):
            return
        if want is None and (shape.limit is None or shape.limit > got):
            raise _cut_error(got)
        if want is not None and int(limit) < want:
            raise RemoteStoreError(f"The remote store returns at most {limit} rows per query (X-SPARQL-MaxRows), "
                                   f"fewer than this service asks for ({want}): set CPS_STORE_PAGE_SIZE to {limit} "
                                   "or below.", key="remote.max-rows", values={"limit": limit, "want": want})

    def _send(self, wrapper: SPARQLWrapper, timeout: float, limit: int | None = None) -> tuple[bytes, dict]:
        """The body and the (lower-cased) headers of the answer, at most `limit` bytes of the body (headers[CUT]
        says when it stopped there; the rest is never read and the connection is closed). Raises
        QuerySyntaxError (the endpoint's 400 message), QueryTimeout, RemoteStoreError (an error answer) or
        StoreUnavailable (no answer: the store is down or the connection was cut)."""
        try:
            response = wrapper.query().response
            headers = {k.lower(): v for k, v in response.info().items()}
            if limit is None:
                return response.read(), headers
            try:
                body = response.read(limit + 1)
            finally:
                response.close()
            if len(body) > limit:
                body, headers[CUT] = body[:limit], "1"
            return body, headers
        except QueryBadFormed as error:
            said = _response_text(error)
            raise QuerySyntaxError(f"The remote store rejected the query: {said}", key="remote.rejected",
                                   engine=said) from None
        except SPARQLWrapperException as error:
            said = _response_text(error)
            raise RemoteStoreError(f"The remote store answered: {said}", key="remote.answered", engine=said) from None
        except (TimeoutError, socket.timeout):
            raise QueryTimeout(f"The remote store did not answer within the time limit of {timeout:g} s "
                               "(CPS_QUERY_TIMEOUT); this service stopped waiting.", key="remote.time",
                               values={"limit": f"{timeout:g}"}) from None
        except urllib.error.HTTPError as error:
            said = error.read()[:500].decode('utf-8', 'replace')
            raise RemoteStoreError(f"The remote store answered HTTP {error.code}: {said}", key="remote.http",
                                   values={"code": str(error.code)}, engine=said) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise QueryTimeout(f"The remote store did not answer within {timeout:g} s.", key="remote.time",
                                   values={"limit": f"{timeout:g}"}) from None
            # Down or restarting: a 503 that says so; the next request tries again (nothing is cached as broken).
            reason = str(reason) or "the connection was cut"
            raise StoreUnavailable(f"The triplestore behind this service cannot be reached ({reason}); this "
                                   "service answers again as soon as it is back.", key="remote.down") from None

    def named_graphs(self) -> list[str]:
        """The graphs served: those of `graphs` that the store holds (every graph it holds without `graphs`)."""
        now = time.monotonic()
        if self._graphs is None or now - self._graphs[0] > GRAPH_LIST_SECONDS:
            values = " ".join(f"<{iri}>" for iri in self.graphs or ())
            restrict = f"VALUES ?g {{ {values} }} " if self.graphs is not None else ""
            wrapper = self._wrapper(self.query_url, self.timeout)
            wrapper.setQuery(f"SELECT DISTINCT ?g WHERE {{ {restrict}GRAPH ?g {{ ?s ?p ?o }} }}")
            wrapper.setReturnFormat(JSON)
            body, _ = self._send(wrapper, self.timeout)
            solutions = ox.parse_query_results(_relabel_json(body), format=ox.QueryResultsFormat.JSON)
            graphs = sorted(row["g"].value for row in solutions if isinstance(row["g"], ox.NamedNode))
            self._graphs = (now, graphs)
        return list(self._graphs[1])

    def triple_count(self, graph: str | None = None) -> int:
        if graph is not None and graph not in self.named_graphs():
            return 0
        return super().triple_count(graph)

    def _dump(self, format: Format, graph: str | None, *, timeout: float | None) -> Answer:
        """Every quad of the served graphs (or of one), fetched in pages of SELECT solutions (which a row limit
        cuts visibly, unlike CONSTRUCT) and compared with the store's count: never a cut dump."""
        if graph is not None and graph not in self.named_graphs():
            raise UnknownGraph(f"The remote store holds no graph <{graph}>.", key="remote.no-graph",
                               values={"graph": graph})
        graphs = [graph] if graph else self.named_graphs()
        quads = self.quads(graphs, timeout=timeout) if graphs else []
        if format.datasets:
            return spooled(Answer("GRAPH", ox.serialize(sorted(quads, key=str), format=format.oxigraph),
                                  format.media_type, len(quads)), Shared(self.budget))
        triples = sorted({quad.triple for quad in quads}, key=str)
        return spooled(Answer("GRAPH", serialize_triples(triples, format), format.media_type, len(quads)),
                       Shared(self.budget))

    def quads(self, graphs: list[str], *, timeout: float | None = None) -> list[ox.Quad]:
        """The quads of `graphs`, paged in a stable order; raises RemoteStoreError unless as many distinct quads
        came as the store counts."""
        values = "VALUES ?g { " + " ".join(f"<{iri}>" for iri in graphs) + " }"
        where = f"WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"
        options = {"timeout": timeout, "default_graph": [ABSENT_GRAPH], "named_graphs": graphs}
        expected = int(self.select(f"SELECT (COUNT(*) AS ?n) {where}", **options)[0]["n"].value)
        rows = self.select(f"SELECT ?s ?p ?o ?g {where}", **options)
        quads = {ox.Quad(r["s"], r["p"], r["o"], r["g"]): None for r in rows}
        if len(quads) != expected:
            raise RemoteStoreError(f"The remote store counts {expected} triples in {len(graphs)} graph(s) but gave "
                                   f"{len(quads)} distinct ones page by page; this service does not serve a cut "
                                   "or doubled dump.", key="remote.count",
                                   values={"expected": expected, "graphs": len(graphs), "got": len(quads)})
        return list(quads)

    def load(self, data, *, format: Format, graph: str | None = None) -> None:
        """Replace `graph` (or add to the default graph) with `data` (bytes or a path): a Graph Store Protocol
        PUT when a graph-store URL is set, else DROP, then INSERT DATA in batches (UPDATE_BATCH triples, a
        blank node's triples kept together), each POSTed as application/sparql-update to the update URL.
        Credentials, when the store asks for them: see store_credentials(). Raises ConfigError without either
        URL, RemoteStoreError (naming the URL) when the endpoint refuses."""
        from ..errors import ConfigError

        body = data if isinstance(data, bytes) else open(data, "rb").read()
        if self.graph_store_url:
            return self._put(body, format, graph)
        if not self.update_url:
            raise ConfigError("Loading into a remote store needs its Graph Store URL (--graph-store) "
                              "or its update URL (--update).")
        triples = [quad.triple for quad in ox.parse(body, format=format.oxigraph)]
        if graph:
            self._post_update(f"DROP SILENT GRAPH <{graph}>")
        for batch in _batches(triples, UPDATE_BATCH):
            lines = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES).decode()
            self._post_update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}}} }}" if graph else
                              f"INSERT DATA {{\n{lines}}}")
        self._graphs = None

    def _authorize(self, request: urllib.request.Request) -> None:
        """Authenticate `request` before its body goes out, when the store asks for credentials and we have
        some: a GET of the same URL fetches the challenge (a store that refuses a large body unauthenticated
        closes the connection before urllib could read its 401), then Basic or Digest as the store asks."""
        credentials = store_credentials(request.full_url)
        if credentials is None:
            return
        probe = urllib.request.Request(request.full_url, method="GET", headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(probe, timeout=max(self.timeout, 60)) as response:
                response.read()
            return   # no challenge: nothing to answer
        except urllib.error.HTTPError as error:
            challenge = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
            error.read()
        except (urllib.error.URLError, OSError, http.client.HTTPException):
            return   # the write itself says why the store cannot be reached
        scheme, _, parameters = challenge.partition(" ")
        if scheme.lower() == "basic":
            token = base64.b64encode(":".join(credentials).encode()).decode()
            request.add_unredirected_header("Authorization", f"Basic {token}")
        elif scheme.lower() == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, request.full_url, *credentials)
            digest = urllib.request.HTTPDigestAuthHandler(manager)
            chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(parameters))
            answer = digest.get_authorization(request, chal)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")

    def _post_update(self, update: str) -> None:
        request = urllib.request.Request(self.update_url, data=update.encode("utf-8"), method="POST", headers={
            "Content-Type": "application/sparql-update", "User-Agent": USER_AGENT})
        self._write(request, f"The update endpoint {self.update_url}")

    def _write(self, request: urllib.request.Request, what: str) -> None:
        self._authorize(request)
        try:
            with urllib.request.urlopen(request, timeout=max(self.timeout, 60)) as response:
                response.read()
        except urllib.error.HTTPError as error:
            hint = (" (set CPS_STORE_USER and CPS_STORE_PASSWORD, or a netrc entry for the host)"
                    if error.code in (401, 403) else "")
            raise RemoteStoreError(f"{what} answered HTTP {error.code}{hint}: "
                                   f"{error.read()[:500].decode('utf-8', 'replace')}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise RemoteStoreError(f"{what} cannot be reached: {getattr(error, 'reason', error)}") from None

    def _put(self, body: bytes, format: Format, graph: str | None) -> None:
        target = f"{self.graph_store_url}?" + (urllib.parse.urlencode({"graph": graph}) if graph else "default")
        media_types = [format.media_type] + (["text/turtle"] if format.name == "ntriples" else [])
        for media_type in media_types:  # N-Triples is Turtle, for stores that only take text/turtle
            request = urllib.request.Request(target, data=body, method="PUT",
                                             headers={"Content-Type": media_type, "User-Agent": USER_AGENT})
            try:
                self._write(request, f"PUT {target}")
                self._graphs = None
                return
            except RemoteStoreError as error:
                if "HTTP 415" not in error.message or media_type == media_types[-1]:
                    raise


def store_credentials(url: str) -> tuple[str, str] | None:
    """(user, password) for a store URL: CPS_STORE_USER and CPS_STORE_PASSWORD from the environment, else the
    netrc file's entry for the URL's host (NETRC, else ~/.netrc); None when neither has any. Never taken from
    the command line (process listings show it) and never written to a log or an error message."""
    import netrc
    import os

    user, password = os.environ.get("CPS_STORE_USER"), os.environ.get("CPS_STORE_PASSWORD")
    if user and password is not None:
        return user, password
    try:
        entry = netrc.netrc(os.environ.get("NETRC") or None).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None
    return (entry[0], entry[2] or "") if entry else None


def _batches(triples: list, size: int) -> list[list]:
    """The triples in batches of about `size`, every triple of a connected group of blank nodes in one batch
    (INSERT DATA scopes blank node labels to its request)."""
    parent: dict = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node
    for triple in triples:
        blanks = [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        if len(blanks) == 2:
            parent[root(blanks[0])] = root(blanks[1])
    groups: dict = {}
    for index, triple in enumerate(triples):
        blank = next((t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)), None)
        groups.setdefault(root(blank) if blank is not None else index, []).append(triple)
    batches, current = [], []
    for group in groups.values():
        if current and len(current) + len(group) > size:
            batches.append(current)
            current = []
        current += group
    return batches + ([current] if current else [])


def _response_text(error: SPARQLWrapperException) -> str:
    """The endpoint's own words from a SPARQLWrapper exception (which keeps them only inside its message)."""
    message = str(error)
    if "Response:\n" in message:
        raw = message.split("Response:\n", 1)[1]
        try:
            return ast.literal_eval(raw).decode("utf-8", "replace").strip()[:1000]
        except (ValueError, SyntaxError, AttributeError):
            return raw[:1000]
    return message



def _without_from(text: str) -> str:
    """The query text without its FROM and FROM NAMED clauses (the gate has read the text already)."""
    text = decode_escapes(text)
    tokens = [t for t in tokenize(text) if t.kind not in ("comment", "space")]
    cuts = []
    for j, token in enumerate(tokens):
        if token.kind == "word" and token.text.upper() == "FROM":
            k = j + 2 if j + 1 < len(tokens) and tokens[j + 1].text.upper() == "NAMED" else j + 1
            if k < len(tokens):
                cuts.append((token.start, tokens[k].end))
    for start, end in reversed(cuts):
        text = text[:start] + " " + text[end:]
    return text


def _blank_label(value: str) -> str:
    if VALID_BLANK_LABEL.match(value):
        return value
    return "r" + hashlib.sha256(value.encode()).hexdigest()[:24]


def _relabel_json(body: bytes, noted: Counter | None = None) -> bytes:
    """SPARQL JSON results as the embedded store gives them: every blank node label a valid one (the same
    label for the same label) and booleans and durations in their canonical form (_lexical)."""
    if b'"bnode"' not in body and XSD.encode() + b"boolean" not in body and b"Duration" not in body \
            and XSD.encode() + b"duration" not in body:
        return body
    doc = json.loads(body)

    def fix(term: dict) -> None:
        if term.get("type") == "bnode":
            term["value"] = _blank_label(term["value"])
        elif "datatype" in term and "value" in term:
            term["value"] = _lexical(term["value"], term["datatype"], noted)
        elif term.get("type") == "triple":
            for part in term.get("value", {}).values():
                fix(part)
    for row in doc.get("results", {}).get("bindings", []):
        for term in row.values():
            fix(term)
    return json.dumps(doc).encode()


def _lexical(value: str, datatype: str, noted: Counter | None = None) -> str:
    """The canonical lexical form of a boolean or a duration that a store gave in a form of its own; any
    other literal as it came. Virtuoso keeps a duration of years and months as its number of months ("24" for
    P2Y) and one of days to seconds as its number of seconds ("7200.0" for PT2H): numbers are not durations
    in XSD, so the reading back is unambiguous. Durations restored are counted in `noted` by datatype."""
    if datatype == XSD_BOOLEAN:
        return BOOLEANS.get(value, value)
    if datatype not in DURATIONS or not STORED_NUMBER.match(value):
        return value
    if noted is not None:
        noted[datatype] += 1
    number = Decimal(value)
    sign, number = ("-" if number < 0 else ""), abs(number)
    if "." not in value and datatype != XSD + "dayTimeDuration":
        years, months = divmod(int(number), 12)
        body = (f"{years}Y" if years else "") + (f"{months}M" if months else "")
        return sign + "P" + (body or ("0M" if datatype == XSD + "yearMonthDuration" else "T0S"))
    days, rest = divmod(number, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    time_part = "".join(f"{int(n)}{unit}" for n, unit in ((hours, "H"), (minutes, "M")) if n)
    if seconds:
        time_part += format(seconds.normalize(), "f") + "S"
    body = (f"{int(days)}D" if days else "") + (f"T{time_part}" if time_part else "")
    return sign + "P" + (body or "T0S")


def _canonical(term, noted: Counter | None = None):
    if isinstance(term, ox.Literal) and not term.language:
        value = _lexical(term.value, term.datatype.value, noted)
        if value != term.value:
            return ox.Literal(value, datatype=term.datatype)
    return term


def _parse_graph(body: bytes, headers: dict, *, whole_only: bool = False, noted: Counter | None = None) -> list:
    """The triples of a CONSTRUCT or DESCRIBE answer: N-Triples (asked for first: Virtuoso's Turtle writes
    `"31"^^xsd:decimal` as the integer 31) or Turtle. `whole_only`: the body was cut short; the triples
    before the cut (a cut N-Triples line or Turtle statement is left out)."""
    media_type = headers.get("content-type", "text/turtle").split(";")[0].strip().lower()
    fmt = ox.RdfFormat.N_TRIPLES if media_type == "application/n-triples" else ox.RdfFormat.TURTLE
    if whole_only:
        body = body[:body.rfind(b"\n") + 1]
    triples = []
    try:
        for q in ox.parse(body, format=fmt):
            triples.append(ox.Triple(q.subject, q.predicate, _canonical(q.object, noted)))
    except SyntaxError:
        if not whole_only:
            raise
        if fmt == ox.RdfFormat.TURTLE and triples:
            triples.pop()   # the statement the cut ran through may have lost objects
    return triples


def _whole_rows(parsed, noted: Counter | None = None) -> list[tuple]:
    """The solutions of a SPARQL JSON answer cut short, up to the cut (labels and literals as _relabel_json)."""
    rows = []
    try:
        for row in parsed:
            rows.append(tuple(_relabelled(term, noted) for term in row))
    except SyntaxError:
        pass
    return rows


def _relabelled(term, noted: Counter | None = None):
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(_blank_label(term.value))
    return _canonical(term, noted) if term is not None else None


class _Raw:
    """How many of the store's bytes this answer may still read (None: no limit), and whether it stopped."""

    def __init__(self, limit: int | None, byte_cap: int | None):
        self.limit, self.byte_cap, self.read, self.cut = limit, byte_cap, 0, False

    def left(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.read)

    def spent(self, body: bytes, headers: dict) -> None:
        self.read += len(body)
        self.cut = self.cut or CUT in headers


class _Cuttable:
    """Rows or triples for render(); ends with SourceCut (the byte cap) when the store's answer was cut here."""

    def __init__(self, items: list, cut_at: int | None):
        self.items, self.cut_at = items, cut_at

    def __iter__(self):
        yield from self.items
        if self.cut_at is not None:
            raise SourceCut(self.cut_at)


class _Solutions(_Cuttable):
    def __init__(self, names: list[str], rows: list[tuple], cut_at: int | None):
        super().__init__(rows, cut_at)
        self.variables = [ox.Variable(name) for name in names or []]


def spooled(answer: Answer, budget) -> Answer:
    """`answer` in a spooled file counted against `budget`, as the embedded store's answers arrive."""
    file = spool(budget)
    try:
        file.write(answer.body)
    except BaseException:
        file.close()
        raise
    return Answer(answer.form, None, answer.media_type, answer.count, answer.truncated, answer.limit,
                  byte_limit=answer.byte_limit, cut_by_bytes=answer.cut_by_bytes, file=file, size=file.tell())


def _cut_error(rows: int) -> RemoteStoreError:
    return RemoteStoreError(f"The remote store cut this answer at its own row limit ({rows} rows) and the query "
                            "cannot be paged (it has a LIMIT or a trailing VALUES of its own): this service does "
                            "not pass on a cut answer. Ask for fewer rows, or page with LIMIT and OFFSET.",
                            key="remote.cut", values={"rows": rows})
