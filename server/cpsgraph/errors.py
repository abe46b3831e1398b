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

    def __init__(self, message: str, *, spec: str | None = None):
        super().__init__(message)
        self.message = message
        self.spec = spec  # the section of a specification the error refers to, where useful

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
