"""Keeping the query workers off the network: defence in depth behind the query gate (guard.py).

The fork server that starts the query workers calls `isolate()` once, before it imports the engine, so it and
every worker it forks live without a network (see docs/decisions/0016-query-worker-isolation-and-lifecycle.md):

- a network namespace of their own (unshare CLONE_NEWUSER|CLONE_NEWNET; without CLONE_NEWUSER when the user
  namespace is refused and we are privileged): it holds only a loopback interface that is down and is not the
  host's, so no address anywhere can be reached;
- a seccomp filter (no_new_privs, a small BPF program): socket() of any family but AF_UNIX fails with EACCES, and
  io_uring, which could open sockets behind the filter's back, is refused.

Either works on its own; both apply where they can. Pipes and Unix sockets keep working, so the workers still
talk to the server. What applied is in `APPLIED`, what could not (and why) in `PROBLEMS`.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
# (audit architecture, socket(), io_uring_setup()) per machine: the numbers of the kernel's syscall tables
ARCHES = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
AF_UNIX = 1
X32_BIT = 0x40000000   # x86-64's x32 ABI numbers its system calls from here: refused outright

APPLIED: list[str] = []     # "network namespace", "seccomp"
PROBLEMS: list[str] = []    # why one of them did not apply


def isolate() -> list[str]:
    """Apply what can be applied (Linux only); returns APPLIED. Call in a single-threaded process."""
    if APPLIED or PROBLEMS:
        return APPLIED
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as error:
        PROBLEMS.append(f"no C library: {error}")
        return APPLIED
    for name, step in (("network namespace", _network_namespace), ("seccomp", _seccomp)):
        problem = step(libc)
        if problem is None:
            APPLIED.append(name)
        else:
            PROBLEMS.append(f"{name}: {problem}")
    return APPLIED


def _network_namespace(libc) -> str | None:
    if not hasattr(libc, "unshare"):
        return "unshare() is not available (not Linux)"
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        _map_ids(uid, gid)
        return None
    first = ctypes.get_errno()
    if libc.unshare(CLONE_NEWNET) == 0:   # user namespaces refused, but we hold CAP_SYS_ADMIN
        return None
    return (f"unshare refused ({errno.errorcode.get(first, first)} for a user namespace, "
            f"{errno.errorcode.get(ctypes.get_errno(), '?')} without)")


def _map_ids(uid: int, gid: int) -> None:
    """Keep our own uid and gid inside the new user namespace (the one mapping allowed without privileges)."""
    for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                       ("/proc/self/gid_map", f"{gid} {gid} 1")):
        try:
            with open(path, "w") as handle:
                handle.write(text)
        except OSError:  # unmapped ids show as 65534; file access still uses the real ones
            pass


def _seccomp(libc) -> str | None:
    arch = ARCHES.get(platform.machine())
    if arch is None:
        return f"no filter written for {platform.machine() or 'this machine'}"
    audit_arch, socket_nr, io_uring_nr = arch
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06        # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
    allow, refuse = 0x7FFF0000, 0x00050000 | errno.EACCES  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO
    program = [                           # jump offsets count from the next instruction
        (ld, 0, 0, 4),                    # 0: the architecture
        (jeq, 1, 0, audit_arch),          # 1: ours: on to 3
        (ret, 0, 0, refuse),              # 2: another ABI (i386, ...): refused
        (ld, 0, 0, 0),                    # 3: the system call's number
        (jeq, 4, 0, socket_nr),           # 4: socket(): its family is checked at 9
        (jeq, 2, 0, io_uring_nr),         # 5: io_uring_setup(): refused at 8
        (jge, 1, 0, X32_BIT),             # 6: an x32 number: refused at 8
        (ret, 0, 0, allow),               # 7: any other system call
        (ret, 0, 0, refuse),              # 8
        (ld, 0, 0, 16),                   # 9: socket()'s first argument, the family (its low 32 bits)
        (jeq, 0, 1, AF_UNIX),             # 10: AF_UNIX: allowed at 11, any other family refused at 12
        (ret, 0, 0, allow),               # 11
        (ret, 0, 0, refuse),              # 12
    ]
    code = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(program), ctypes.addressof(buffer))
    ulong = ctypes.c_ulong
    if libc.prctl(PR_SET_NO_NEW_PRIVS, ulong(1), ulong(0), ulong(0), ulong(0)) != 0:
        return f"no_new_privs refused ({errno.errorcode.get(ctypes.get_errno(), '?')})"
    if libc.prctl(PR_SET_SECCOMP, ulong(SECCOMP_MODE_FILTER), ctypes.byref(fprog), ulong(0), ulong(0)) != 0:
        return f"the filter was refused ({errno.errorcode.get(ctypes.get_errno(), '?')})"
    return None
