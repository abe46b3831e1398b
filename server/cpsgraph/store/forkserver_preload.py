"""Imported only by the fork server that starts the query workers (workers.py preloads it there by name, first),
never by the web server. From here on the fork server and every worker it forks:

- have no network (isolation.py: a network namespace of their own and a seccomp filter, where the system
  allows them), so a query that slipped past the gate still cannot reach out; this runs before the engine is
  imported, while the fork server is one thread (a user namespace requires it);
- ignore SIGTERM. A supervisor that signals the whole process group (systemd's default KillMode=control-group,
  `timeout`, `kill -- -PGID`) then stops only the web server, which finishes the requests in flight and only
  then kills its workers;
- die with the web server, at once: the kernel kills the fork server when the thread that started it ends
  (PR_SET_PDEATHSIG; workers.py starts it from a thread that lives as long as the server), and each worker when
  the fork server ends. (The fork server would also leave when its pipe from the server closes, but only once
  its Python has wound down, which took most of a second on a busy machine.)
"""

import os
import signal

from cpsgraph.store.isolation import isolate

isolate()
signal.signal(signal.SIGTERM, signal.SIG_IGN)
try:
    import ctypes

    _parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG (Linux)
    if os.getppid() != _parent:                                   # the server died before that was armed
        os._exit(1)
except (OSError, AttributeError):   # not Linux: the fork server leaves when its pipe from the server closes
    pass
