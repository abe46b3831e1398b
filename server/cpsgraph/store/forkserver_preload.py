"""Imported only by the fork server that starts the query workers (workers.py preloads it there by name), never
by the web server: from here on, the fork server and every worker it forks ignore SIGTERM.

A supervisor that signals the whole process group (systemd's default KillMode=control-group, `timeout`,
`kill -- -PGID`) then stops only the web server, which finishes the requests in flight and only then kills its
workers. The fork server still leaves when the web server does (its pipe from the server closes), and the
workers die with it (PR_SET_PDEATHSIG), so nothing outlives the server.
"""

import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)
