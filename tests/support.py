"""Helpers shared by the test directories that start real processes: free ports, waiting for a server,
stopping it (and checking its workers are gone), and a loopback listener that records connections."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Until `url` answers HTTP (any status). Raises RuntimeError if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"{process.args} exited with {process.returncode}: {detail}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up within {timeout} s")


def wait_for_workers(base: str, timeout: float = 60.0) -> None:
    """Until every query worker of the server at `base` has loaded its store (`cpsgraph serve` answers from the
    first one on and starts the others after it; /readyz counts them) and the browser's indexes are built (serve
    builds them in the background: /readyz says "indexes": "building"), so that tests that count or kill the
    workers find them all, and tests that measure the web process's memory do not count the indexes. Returns at
    once when /readyz does not count workers (a remote store) or is not ready (what the test then looks at). Raises RuntimeError if they are not all up within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=10) as response:
                document = json.loads(response.read())
                workers = document.get("workers")
        except urllib.error.HTTPError:
            return
        if (not workers or workers["loaded"] >= workers["of"]) and document.get("indexes") != "building":
            return
        time.sleep(0.05)
    raise RuntimeError(f"the query workers of {base} did not all load (or its indexes were not built) within "
                       f"{timeout} s")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
    """Signal a process we started and wait for it (SIGKILL after `timeout`); its exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc): the fork server and the query workers of a server."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@dataclass
class Listener:
    """A TCP listener on a free loopback port that records every connection made to it."""

    port: int = 0
    connections: list = field(default_factory=list)

    def __post_init__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, address = self._socket.accept()
            except OSError:
                return
            self.connections.append(address)
            conn.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def close(self):
        self._socket.close()


# --- What an error answer says (decision 0025) -----------------------------------------------------------------

def error_sentence(response) -> str:
    """The sentence an error answer says what happened in: on a page, ours in the page's language (or the English
    detail of an error without an entry); in JSON, `localized.message` when there is one, else `message`; in plain
    text, the paragraph after the title."""
    import html
    import re

    body = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        found = re.search(r'<p class="error-said">(.*?)</p>|<pre class="error-detail"[^>]*>(.*?)</pre>', body, re.S)
        assert found, body[:2000]
        return html.unescape(found.group(1) or found.group(2))
    if response.mimetype == "application/json":
        answer = json.loads(body)
        return answer.get("localized", {}).get("message") or answer["message"]
    return body.split("\n\n")[1].strip()


def says(key: str, lang: str, sentence: str) -> bool:
    """Whether `sentence` is the error catalogue's entry `key` in `lang`, whatever fills its {fields}."""
    import re

    from cpsgraph.web.browser.catalogue import STRINGS

    template = STRINGS[key][0 if lang == "es" else 1]
    pattern = re.sub(r"\\\{\w+\\\}", "(.+?)", re.escape(template))
    return re.fullmatch(pattern, sentence, re.S) is not None
