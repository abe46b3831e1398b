"""Knowledge graph of the 4th Meeting of the LAC Council of Government Experts on SCP (São Paulo, 2007).

The data flows one way: curated tables (data/) -> graph (mapping) -> validation (shapes/) -> store ->
SPARQL endpoint and linked-data browser. Each stage is one module; see README.md for the tour.
"""

__version__ = "0.1.0"
