"""How query worker processes are started (workers.py): from the fork server, or with `spawn` where there is
none or the workers need the network; always from the keeper thread.

A child asks the kernel to kill it when its parent dies (PR_SET_PDEATHSIG: the fork server in
forkserver_preload.py, each worker in worker_main.prepare_process). That signal follows the parent *thread*:
a worker started from a request or refill thread would be killed when that thread ends. So every process is
started from one keeper thread, which lives as long as the server.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading


def context(network: bool):
    """The fork server, or `spawn` where there is none or the workers need the network (a SERVICE allow-list):
    the fork server's children have none."""
    methods = multiprocessing.get_all_start_methods()
    if network or "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload(["cpsgraph.store.forkserver_preload", "cpsgraph.store.worker_main"])
    return forkserver


def start_fork_server() -> None:
    """Start the fork server now, from the keeper thread, without waiting for it: it imports the engine in its own
    process while this one goes on importing the web app (`cpsgraph serve` calls this first), so the first
    worker is forked sooner. Where there is no fork server, nothing happens."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    context(False)   # sets the fork server's preload
    start_in_keeper(forkserver.ensure_running)


_keeper: queue.Queue | None = None
_keeper_lock = threading.Lock()


def start_in_keeper(task) -> None:
    """Run `task` in the keeper thread, which lives as long as this process. Every worker (and so the fork
    server) is started there: a child dies with the thread that started it (PR_SET_PDEATHSIG, see
    forkserver_preload.py and worker_main.prepare_process), and a request thread would end before the server."""
    global _keeper
    with _keeper_lock:
        if _keeper is None:
            _keeper = queue.Queue()
            threading.Thread(target=_keep, args=(_keeper,), name="cpsgraph-process-keeper", daemon=True).start()
    done: list = []
    finished = threading.Event()
    _keeper.put((task, done, finished))
    finished.wait()
    if done:
        raise done[0]


def _keep(tasks: queue.Queue) -> None:
    while True:
        task, done, finished = tasks.get()
        try:
            task()
        except Exception as error:  # noqa: BLE001 - raised again in the thread that asked
            done.append(error)
        finished.set()
