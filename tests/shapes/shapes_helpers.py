"""Paths the shapes tests share (a module of its own: `conftest` is not importable by name when several
test directories have one)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY = ROOT / "ontology" / "cps.ttl"
FIXTURES = Path(__file__).parent / "data"
