"""The remote store: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso, GraphDB, ...), reached with
SPARQLWrapper for queries and updates and with plain HTTP for the Graph Store Protocol.

Answers come back as SPARQL JSON (SELECT, ASK) or N-Triples-compatible Turtle (CONSTRUCT, DESCRIBE), are
parsed with pyoxigraph and then capped and serialized by the same code as the embedded store's, so both
stores give the same bytes for the same answer. The time limit is a client-side socket timeout: the
remote engine is not ours to kill, so configure its own limit too. A query may only name graphs the remote
store holds (FROM, FROM NAMED, default-graph-uri, named-graph-uri): some triplestores fetch unknown graph
IRIs from the Web, and this service never reads outside its store.
"""

from __future__ import annotations

import ast
import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from ..errors import InputError, QueryRefused, QuerySyntaxError, QueryTimeout, RemoteStoreError, StoreUnavailable, \
    UnknownGraph
from ..formats import Format
from . import Store
from .guard import QueryShape
from .results import Answer, render

GRAPH_LIST_SECONDS = 30.0  # how long the list of remote graphs is trusted (publish may change it)
USER_AGENT = "cpsgraph (SPARQLWrapper)"


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint at `query_url`; `update_url` and `graph_store_url` are needed only to load."""

    def __init__(self, query_url: str, *, update_url: str | None = None, graph_store_url: str | None = None,
                 **options):
        super().__init__(**options)
        if not urllib.parse.urlsplit(query_url).scheme.startswith("http"):
            raise InputError(f"The remote store needs an http(s) SPARQL endpoint URL, not {query_url!r}.")
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self._graphs: tuple[float, list[str]] | None = None

    def _wrapper(self, url: str, timeout: float) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url, agent=USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no `format=`/`output=` parameters, only Accept
        wrapper.setTimeout(max(1, round(timeout)))
        return wrapper

    def _evaluate(self, text: str, shape: QueryShape, *, format: Format, default_graph, named_graphs, base_iri,
                  timeout: float, cap: int | None) -> Answer:
        self._check_graphs([*shape.from_graphs, *shape.from_named, *(default_graph or ()), *(named_graphs or ())],
                           timeout)
        wrapper = self._wrapper(self.query_url, timeout)
        # The endpoint would resolve relative IRIs against its own IRI; ours is the one the client used.
        wrapper.setQuery(f"BASE <{base_iri}> {text}" if base_iri else text)
        wrapper.queryType = shape.form  # our reading of the form, not SPARQLWrapper's regular expressions
        if shape.has_dataset and not (default_graph or named_graphs):
            # The same dataset, said again in the protocol: some stores (oxigraph serve --union-default-graph)
            # let their union default graph override FROM, but never default-graph-uri.
            default_graph, named_graphs = list(shape.from_graphs), list(shape.from_named)
        for iri in default_graph or ():
            wrapper.addDefaultGraph(iri)
        for iri in named_graphs or ():
            wrapper.addNamedGraph(iri)
        wrapper.setReturnFormat(TURTLE if shape.returns_graph else JSON)
        body = self._send(wrapper, timeout)
        try:
            if shape.returns_graph:
                result = (quad.triple for quad in ox.parse(body, format=ox.RdfFormat.TURTLE))
            else:
                result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            return render(result, shape.form, format, cap)
        except (SyntaxError, ValueError) as error:
            raise RemoteStoreError(f"The remote store sent an answer that does not parse: {error}") from None

    def _send(self, wrapper: SPARQLWrapper, timeout: float) -> bytes:
        """Raises QuerySyntaxError (the endpoint's 400 message), QueryTimeout, RemoteStoreError (an error
        answer) or StoreUnavailable (no answer: the store is down or the connection was cut)."""
        try:
            return wrapper.query().response.read()
        except QueryBadFormed as error:
            raise QuerySyntaxError(f"The remote store rejected the query: {_response_text(error)}") from None
        except SPARQLWrapperException as error:
            raise RemoteStoreError(f"The remote store answered: {_response_text(error)}") from None
        except (TimeoutError, socket.timeout):
            raise QueryTimeout(f"The remote store did not answer within the time limit of {timeout:g} s "
                               "(CPS_QUERY_TIMEOUT); this service stopped waiting.") from None
        except urllib.error.HTTPError as error:
            raise RemoteStoreError(f"The remote store answered HTTP {error.code}: "
                                   f"{error.read()[:500].decode('utf-8', 'replace')}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise QueryTimeout(f"The remote store did not answer within {timeout:g} s.") from None
            # Down or restarting: a 503 that says so; the next request tries again (nothing is cached as broken).
            reason = str(reason) or "the connection was cut"
            raise StoreUnavailable(f"The triplestore behind this service cannot be reached ({reason}); this "
                                   "service answers again as soon as it is back.") from None

    def _check_graphs(self, iris: list[str], timeout: float) -> None:
        if not iris:
            return
        known = set(self.named_graphs())
        for iri in iris:
            if iri not in known:
                raise QueryRefused(f"<{iri}> is not a graph of this store; the service only queries the graphs it "
                                   "holds and never fetches one from elsewhere.")

    def named_graphs(self) -> list[str]:
        now = time.monotonic()
        if self._graphs is None or now - self._graphs[0] > GRAPH_LIST_SECONDS:
            wrapper = self._wrapper(self.query_url, self.timeout)
            wrapper.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            wrapper.setReturnFormat(JSON)
            solutions = ox.parse_query_results(self._send(wrapper, self.timeout), format=ox.QueryResultsFormat.JSON)
            graphs = sorted(row["g"].value for row in solutions if isinstance(row["g"], ox.NamedNode))
            self._graphs = (now, graphs)
        return list(self._graphs[1])

    def dump(self, format: Format, graph: str | None = None, *, timeout: float | None = None) -> Answer:
        if graph is not None and graph not in self.named_graphs():
            raise UnknownGraph(f"The remote store holds no graph <{graph}>.")
        if format.datasets:
            # Named graphs only: what a remote default graph holds (often their union) is the store's own affair.
            values = f"VALUES ?g {{ <{graph}> }}" if graph else ""
            text = f"SELECT ?s ?p ?o ?g WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"
            quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in self.select(text, timeout=timeout)]
            return Answer("GRAPH", ox.serialize(quads, format=format.oxigraph), format.media_type, len(quads))
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        return self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}", format=format, limit=0, timeout=timeout)

    def load(self, data, *, format: Format, graph: str | None = None) -> None:
        """Replace `graph` (or add to the default graph) with `data` (bytes or a path): a Graph Store Protocol
        PUT when a graph-store URL is set, else DROP + INSERT DATA at the update URL (N-Triples only).
        Raises ConfigError without either URL, RemoteStoreError when the endpoint refuses."""
        from ..errors import ConfigError

        body = data if isinstance(data, bytes) else open(data, "rb").read()
        if self.graph_store_url:
            return self._put(body, format, graph)
        if not self.update_url:
            raise ConfigError("Loading into a remote store needs its Graph Store URL (--graph-store) "
                              "or its update URL (--update).")
        if format.name != "ntriples":
            body = ox.serialize(ox.parse(body, format=format.oxigraph), format=ox.RdfFormat.N_TRIPLES)
        target = f"GRAPH <{graph}> {{ {body.decode()} }}" if graph else body.decode()
        drop = f"DROP SILENT GRAPH <{graph}> ;\n" if graph else ""
        wrapper = self._wrapper(self.update_url, max(self.timeout, 60))
        wrapper.setQuery(f"{drop}INSERT DATA {{ {target} }}")
        self._send(wrapper, self.timeout)
        self._graphs = None

    def _put(self, body: bytes, format: Format, graph: str | None) -> None:
        target = f"{self.graph_store_url}?" + (urllib.parse.urlencode({"graph": graph}) if graph else "default")
        media_types = [format.media_type] + (["text/turtle"] if format.name == "ntriples" else [])
        for media_type in media_types:  # N-Triples is Turtle, for stores that only take text/turtle
            request = urllib.request.Request(target, data=body, method="PUT",
                                             headers={"Content-Type": media_type, "User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(request, timeout=max(self.timeout, 60)):
                    self._graphs = None
                    return
            except urllib.error.HTTPError as error:
                if error.code == 415 and media_type != media_types[-1]:
                    continue
                raise RemoteStoreError(f"PUT {target} answered HTTP {error.code}: "
                                       f"{error.read()[:500].decode('utf-8', 'replace')}") from None
            except (urllib.error.URLError, OSError) as error:
                raise RemoteStoreError(f"Cannot reach the Graph Store at {target}: "
                                       f"{getattr(error, 'reason', error)}") from None


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

