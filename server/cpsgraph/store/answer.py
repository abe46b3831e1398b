"""What a query or a dump gives back (`Answer`), where it was cut (`Cut`), and how its bytes travel: from a
query worker over its pipe in pieces, into a spooled temporary file of the web process, and to the client
from that file. So no step holds a whole answer in memory, and the byte cap (CPS_RESULT_BYTES) bounds the
rest: the worker stops serializing at the cap, the file never holds more than the cap (plus the note that
says the answer was cut).
"""

from __future__ import annotations

import tempfile
import threading
from collections import Counter
from dataclasses import dataclass

from ..errors import CpsError
from .admission import CALLER

PIECE = 256 * 1024          # bytes per message over a worker's pipe
SEND_PIECE = 64 * 1024      # bytes per piece handed to the HTTP server
SPOOL_IN_MEMORY = 1 << 20   # an answer larger than this goes to an (unlinked) temporary file


@dataclass(frozen=True)
class Cut:
    """Where a result was cut: after `rows` solutions or triples, by the row cap, or by the byte cap
    (`bytes`, the cap in force) when the next row would have taken the answer past it."""

    rows: int
    bytes: int | None = None

    @property
    def message(self) -> str:
        if self.bytes is None:
            return (f"TRUNCATED: the result was cut after {self.rows} rows/triples (the service's result cap, "
                    "CPS_RESULT_CAP). Use LIMIT and OFFSET to page through the rest, or download the dumps.")
        return (f"TRUNCATED: the result was cut after {self.rows} rows/triples, where it reached the service's "
                f"size cap of {self.bytes} bytes (CPS_RESULT_BYTES). Select fewer or shorter values, use LIMIT "
                "and OFFSET to page through the rest, or download the dumps.")


def truncation_message(limit: int) -> str:
    """The note of an answer cut by the row cap (kept for callers that only know the row cap)."""
    return Cut(limit).message


class Answer:
    """A serialized query result: what the web layer sends and the CLI prints.

    `body` is the bytes (read from `file` on first use when the answer arrived in pieces); the web layer
    sends `file` instead, without reading it into memory (`open_file`, `chunks`)."""

    def __init__(self, form: str, body: bytes | None = b"", media_type: str = "", count: int | None = None,
                 truncated: bool = False, limit: int | None = None, *, byte_limit: int | None = None,
                 cut_by_bytes: bool = False, file=None, size: int | None = None):
        self.form = form                  # SELECT, ASK, CONSTRUCT, DESCRIBE (or GRAPH for a dump)
        self._body = body
        self.media_type = media_type
        self.count = count                # solutions or triples in the body (None: ASK, or not counted)
        self.truncated = truncated
        self.limit = limit                # the row cap that was in force
        self.byte_limit = byte_limit      # the byte cap that was in force
        self.cut_by_bytes = cut_by_bytes  # truncated because of the byte cap (not the row cap)
        self.file = file
        self.size = len(body) if body is not None and file is None else size

    @classmethod
    def cut(cls, form: str, body: bytes, media_type: str, count: int, cut: Cut | None, limit, byte_limit):
        return cls(form, body, media_type, count, cut is not None, limit, byte_limit=byte_limit,
                   cut_by_bytes=cut is not None and cut.bytes is not None)

    @property
    def body(self) -> bytes:
        if self.file is not None:
            self.file.seek(0)
            self._body = self.file.read()
            self.file.close()
            self.file = None
        return self._body or b""

    def header(self) -> "Answer":
        """The same answer without its bytes: what precedes them over a worker's pipe."""
        return Answer(self.form, b"", self.media_type, self.count, self.truncated, self.limit,
                      byte_limit=self.byte_limit, cut_by_bytes=self.cut_by_bytes, size=self.size)

    def open_file(self):
        """The answer as a binary file positioned at its start (the caller closes it)."""
        if self.file is None:
            self.file = spool()  # an answer made in this process (not from a worker): not counted
            self.file.write(self._body or b"")
            self._body = None
        self.file.seek(0)
        handed, self.file = self.file, None
        return handed

    def chunks(self, size: int = SEND_PIECE):
        """The bytes in pieces of at most `size`, from the file without reading it whole."""
        handle = self.open_file()
        try:
            while piece := handle.read(size):
                yield piece
        finally:
            handle.close()


class Budget:
    """The bytes of answers a store may hold at once for clients that are still reading them (every
    spooled file counts until the server closes it, when the last byte went out or the client left): `limit`
    in all (CPS_ANSWER_SPOOL_BYTES), and `client_limit` for the answers of one client (the caller of
    admission.CALLER), so that a client that never reads cannot take the whole budget by itself."""

    def __init__(self, limit: int | None, client_limit: int | None = None):
        self.limit = limit or None
        self.client_limit = client_limit or None
        self.held = 0
        self.by_client: Counter = Counter()
        self._lock = threading.Lock()

    def take(self, size: int, client: str | None = None) -> None:
        from ..errors import ServiceSaturated, TooManyRequests

        with self._lock:
            if (self.client_limit is not None and client is not None
                    and self.by_client[client] + size > self.client_limit):
                raise TooManyRequests(f"This client's answers that it has not read yet fill its share of "
                                      f"{self.client_limit} bytes (CPS_CLIENT_QUERIES answers of CPS_RESULT_BYTES); "
                                      "read them, or close those connections, before asking again.", retry_after=5,
                                      key="busy.unread", values={"limit": self.client_limit})
            if self.limit is not None and self.held + size > self.limit:
                raise ServiceSaturated(f"The answers this service holds for clients still reading them fill "
                                       f"its budget of {self.limit} bytes (CPS_ANSWER_SPOOL_BYTES); try again "
                                       "in a moment.", retry_after=5, key="busy.spool",
                                       values={"limit": self.limit})
            self.held += size
            if client is not None:
                self.by_client[client] += size

    def give(self, size: int, client: str | None = None) -> None:
        with self._lock:
            self.held -= size
            if client is not None:
                self.by_client[client] -= size
                if self.by_client[client] <= 0:
                    del self.by_client[client]


class Shared:
    """A Budget's total only, without a client's part: for dumps, which are the same for everyone and may be
    larger than one client's part of the budget."""

    def __init__(self, budget: Budget):
        self.budget = budget

    def take(self, size: int, client: str | None = None) -> None:
        self.budget.take(size)

    def give(self, size: int, client: str | None = None) -> None:
        self.budget.give(size)


class Spool(tempfile.SpooledTemporaryFile):
    """A spooled temporary file whose bytes count against a Budget (for the calling client) until it is closed."""

    def __init__(self, budget: Budget | None = None):
        super().__init__(max_size=SPOOL_IN_MEMORY, mode="w+b")
        caller = CALLER.get()
        self.budget, self.counted, self.client = budget, 0, caller.client if caller is not None else None

    def write(self, data) -> int:
        if self.budget is not None:
            self.budget.take(len(data), self.client)
            self.counted += len(data)
        return super().write(data)

    def close(self) -> None:
        if self.counted:
            self.budget.give(self.counted, self.client)
            self.counted = 0
        super().close()

    def __del__(self) -> None:
        self.close()


def spool(budget: Budget | None = None) -> Spool:
    return Spool(budget)


def send_answer(conn, answer: Answer) -> None:
    """Worker side: the header, then the bytes in pieces (see receive_answer)."""
    body = answer.body
    starts = range(0, len(body), PIECE)
    conn.send(("answer", answer.header(), len(starts)))
    for start in starts:
        conn.send_bytes(body, start, min(PIECE, len(body) - start))


def receive_answer(conn, header: Answer, count: int, wait, budget: Budget | None = None) -> Answer:
    """Web side: `count` pieces into a spooled file counted against `budget`. `wait()` returns False when
    the time is up (the caller then replaces the worker). Raises TimeoutError then, EOFError/OSError when the
    worker died, ServiceSaturated or TooManyRequests when the budget or the client's part of it is full (after
    reading the rest: the worker stays usable)."""
    file = spool(budget)
    try:
        for received in range(count):
            if not wait():
                raise TimeoutError
            piece = conn.recv_bytes()
            try:
                file.write(piece)
            except CpsError:
                for _ in range(count - received - 1):
                    if not wait():
                        raise TimeoutError from None
                    conn.recv_bytes()
                raise
    except BaseException:
        file.close()
        raise
    header.file, header._body = file, None
    header.size = file.tell()
    return header
