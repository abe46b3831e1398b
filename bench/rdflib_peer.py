"""The Python peer: rdflib-endpoint serving one TriG file, run by the benchmark as its own process.

    python bench/rdflib_peer.py GRAPH.trig PORT

The dataset is an rdflib `Dataset(default_union=True)`, so a query without a dataset sees the union of the
named graphs, as our endpoint and `oxigraph serve --union-default-graph` do. Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import sys


def main(path: str, port: int) -> None:
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(default_union=True)
    dataset.parse(path, format="trig")
    app = SparqlEndpoint(graph=dataset, path="/", cors_enabled=False, title="cps-lac (rdflib-endpoint)")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
