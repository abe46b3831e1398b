"""One error hierarchy for the whole service.

Every error carries an HTTP status, a short title and a message meant for the person who has to fix the
problem. The web layer renders them once (HTML or JSON), the CLI maps them to exit codes; nothing else
catches them.
"""

from __future__ import annotations


class CpsError(Exception):
    """Base of every error the project raises on purpose."""

    status = 500
    title = "Internal error"
    exit_code = 2

    def __init__(self, message: str, *, spec: str | None = None, key: str | None = None,
                 values: dict | None = None, engine: str | None = None):
        super().__init__(message)
        self.message = message   # English, stable: what protocol clients, logs and the CLI read
        self.spec = spec  # the section of a specification the error refers to, where useful
        # The same message for readers of other languages: a key of the browser's catalogue
        # (web/browser/catalogue_errors.py) with the values of its {fields}; None where only `message` says it.
        self.key, self.values = key, dict(values or {})
        self.engine = engine   # the engine's own text (not ours, in English), shown beside our explanation

    def to_dict(self) -> dict:
        body = {"status": self.status, "title": self.title, "message": self.message}
        if self.spec:
            body["spec"] = self.spec
        return body


class DataError(CpsError):
    """A curated table holds a row that cannot be mapped. Names the file, row and the reason."""

    title = "Invalid data"
    exit_code = 1

    def __init__(self, problems: list["RowProblem"]):
        self.problems = problems
        lines = [str(p) for p in problems]
        super().__init__(f"{len(problems)} problem(s) in data/:\n" + "\n".join(lines))


class RowProblem:
    """Where and why one row of a table is wrong."""

    def __init__(self, where: str, message: str, citation: str = ""):
        self.where = where
        self.message = message
        self.citation = citation

    def __str__(self) -> str:
        cite = f" [{self.citation}]" if self.citation else ""
        return f"{self.where}: {self.message}{cite}"

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"RowProblem({self})"


class ValidationFailed(CpsError):
    """The built graph violates the SHACL shapes; the build output is not replaced."""

    title = "Validation failed"
    exit_code = 1

    def __init__(self, message: str, results: list | None = None):
        super().__init__(message)
        self.results = results or []


class InputError(CpsError):
    """A file given by the user cannot be read (missing, empty, or not parseable RDF)."""

    status = 400
    title = "Unreadable input"
    exit_code = 2


class ConfigError(CpsError):
    """The service is configured in a way that cannot work (missing build, bad setting)."""

    title = "Configuration error"
    exit_code = 2


# --- Errors of the SPARQL service (store, protocol, endpoint) ---------------------------------------------------

class ProtocolError(CpsError):
    """A request breaks the SPARQL 1.1 Protocol (missing or repeated `query`, empty or non-UTF-8 body)."""

    status = 400
    title = "Bad SPARQL request"
    exit_code = 2


class QuerySyntaxError(CpsError):
    """The query does not parse; the message carries the parser's own text with line and column."""

    status = 400
    title = "Query syntax error"
    exit_code = 2


class QueryRefused(CpsError):
    """The query asks for something the public service never does: UPDATE, LOAD, SERVICE off the allow-list."""

    status = 403
    title = "Query refused"
    exit_code = 2


class UnknownGraph(CpsError):
    """A named graph that the store does not hold (or that the caller may not see)."""

    status = 404
    title = "No such graph"
    exit_code = 2


class NotAcceptable(CpsError):
    """No format the service can produce is acceptable to the client (`Accept`, `format=`)."""

    status = 406
    title = "Not acceptable"
    exit_code = 2


class UnsupportedMediaType(CpsError):
    """A POST body of a media type (or charset) the protocol does not allow."""

    status = 415
    title = "Unsupported media type"
    exit_code = 2


class Unauthorized(CpsError):
    """A bearer token was sent and it is not the operator's (or no token is configured at all)."""

    status = 401
    title = "Unauthorized"
    exit_code = 2


class QueryTimeout(CpsError):
    """The query ran past the time limit and its evaluation was stopped."""

    status = 503
    title = "Query time limit exceeded"
    exit_code = 2


class QueryMemoryExceeded(CpsError):
    """The query needed more memory than the ceiling a query may use (QUERY_MEMORY); its worker was replaced."""

    status = 503
    title = "Query memory limit exceeded"
    exit_code = 2


RETRY_AFTER = 5   # seconds a 503 tells its client to wait (Retry-After) when the error has no figure of its own


class StoreUnavailable(CpsError):
    """The store cannot answer: every query worker is busy, or the remote triplestore failed. Like every
    503 of the service, answered with `Retry-After` (RETRY_AFTER unless the error sets its own)."""

    status = 503
    title = "Store unavailable"
    exit_code = 2


class ServiceSaturated(StoreUnavailable):
    """Every query worker this request could use stayed busy for the admission wait (CPS_ADMISSION_WAIT), or
    the answers held for slow readers fill their budget; the client should retry after `Retry-After` seconds."""

    title = "Service busy"

    def __init__(self, message: str, *, retry_after: int, **said):
        super().__init__(message, **said)
        self.headers = {"Retry-After": str(max(1, int(retry_after)))}


class QueryTakenBack(ServiceSaturated):
    """A query stopped before its time limit to give its request thread to another client: its client held
    more than its fair part of the SPARQL endpoint, and a client holding none was waiting
    (web/httpserver.FairDispatcher). Its worker is replaced; the client may send it again."""


class TooManyRequests(CpsError):
    """One client has as many store calls in flight as its share allows (CPS_CLIENT_QUERIES)."""

    status = 429
    title = "Too many requests"
    exit_code = 2

    def __init__(self, message: str, *, retry_after: int, **said):
        super().__init__(message, **said)
        self.headers = {"Retry-After": str(max(1, int(retry_after)))}


class RemoteStoreError(StoreUnavailable):
    """The remote triplestore answered with an error or not at all (the message says which)."""

    status = 502
    title = "Remote store error"


# --- Errors of the stored queries (queries/) ---------------------------------------------------------------------

class UnknownQuery(CpsError):
    """No stored query has that name (and, on the command line, no such file exists)."""

    status = 404
    title = "No such query"
    exit_code = 2


class InvalidParameter(CpsError):
    """A parameter value is not of the kind the query declares, or the parameter is not declared at all."""

    status = 400
    title = "Invalid query parameter"
    exit_code = 2


class QueryFileError(CpsError):
    """A file of `queries/` has a header that does not follow queries/README.md."""

    title = "Malformed stored query"
    exit_code = 2
