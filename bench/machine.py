"""What the benchmark ran on: the machine, the software, the code and how busy the machine was."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import psutil

PACKAGES = ("cps-lac-graph", "pyoxigraph", "oxigraph", "rdflib", "pyshacl", "rdflib-endpoint", "fastapi", "uvicorn",
            "flask", "waitress", "networkx", "psutil")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    try:
        found["oxigraph (CLI)"] = subprocess.run(["oxigraph", "--version"], capture_output=True, text=True,
                                                 timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found["oxigraph (CLI)"] = "not found"
    return found


def code_version(repo: Path) -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}{' with uncommitted changes' if dirty else ''}"


def snapshot(repo: Path) -> dict:
    memory = psutil.virtual_memory()
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_total": memory.total,
        "memory_available": memory.available,
        "load_average": os.getloadavg(),
        "os": f"{platform.system()} {platform.release()}",
        "versions": versions(),
        "code": code_version(repo),
        "command": " ".join(["python -m bench", *sys.argv[1:]]),
    }


def busy_share() -> float:
    """The 1-minute load average per core: above about 1, other work competes for the cores."""
    return os.getloadavg()[0] / (os.cpu_count() or 1)
