"""Small helpers for the graph tests."""


def short(iri) -> str:
    """The last path segment of one of our IRIs (`.../id/person/graciela-scavone` -> `graciela-scavone`)."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1]
