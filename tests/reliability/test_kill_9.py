"""After kill -9 of `cpsgraph serve`, nothing it started lives on (issue 12, item 9): the fork server used to
outlive it while any worker ran (every worker held the fork server's "the server is alive" pipe open), and a
busy worker ran on until its query ended, up to a minute."""

from __future__ import annotations

import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from reliability_helpers import CROSS_PRODUCT, alive, descendants, start_server, stop

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_after_kill_9_of_the_server_busy_workers_and_the_fork_server_go_at_once(build_dir, tmp_path, figures):
    server = start_server(tmp_path, {"CPS_BUILD_DIR": str(build_dir), "CPS_QUERY_TIMEOUT": "60",
                                     "CPS_QUERY_WORKERS": "2", "CPS_OPERATOR_TOKEN": ""})
    try:
        url = server.sparql + "?" + urllib.parse.urlencode({"query": CROSS_PRODUCT})
        threading.Thread(target=lambda: _get(url), daemon=True).start()
        started = descendants(server.process.pid)
        assert len(started) >= 3          # the fork server and two workers (and the resource tracker)
        ticks = {pid: cpu_ticks(pid) for pid in started}
        deadline = time.monotonic() + 10
        busy = set()
        while not busy and time.monotonic() < deadline:
            time.sleep(0.3)
            busy = {pid for pid in started if alive(pid) and cpu_ticks(pid) - ticks[pid] >= 20}
        assert busy, "no worker took the query"

        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        killed = time.monotonic()
        while any(alive(pid) for pid in started) and time.monotonic() - killed < 10:
            time.sleep(0.02)
        gone_after = time.monotonic() - killed
        left = sorted(pid for pid in started if alive(pid))
    finally:
        stop(server.process)
    figures.record("kill9.descendants", len(started))
    figures.record("kill9.gone_after", round(gone_after * 1000, 1))
    assert left == []
    assert gone_after < 1.0


def _get(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=90).read()
    except (urllib.error.URLError, OSError):
        pass
