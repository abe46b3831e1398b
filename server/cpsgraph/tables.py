"""Reading the curated tables of data/ with the location of every row, for error messages.

A row is a dict of its cells plus `where` ("data/participants.csv:12" or "data/action-plans/andina.yaml:40").
CSV cells are stripped strings; YAML keeps its types. Missing files and malformed rows raise DataError.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterator

import yaml

from .errors import DataError, RowProblem


class Row(dict):
    """One table row (a mapping of column to value) that knows where it comes from."""

    where: str = "?"

    def text(self, key: str) -> str:
        value = self.get(key)
        return "" if value is None else str(value).strip()

    def items_of(self, key: str) -> list[str]:
        """A ' | '-separated cell (or a YAML list) as a list of non-empty strings."""
        value = self.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return [part.strip() for part in str(value).split("|") if part.strip()]


def read_csv(path: Path, root: Path, required: tuple[str, ...] = ()) -> list[Row]:
    rel = _rel(path, root)
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise DataError([RowProblem(rel, f"cannot read ({exc.strerror})")]) from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise DataError([RowProblem(f"{rel}:1", f"missing column(s) {', '.join(missing)}")])
        rows = []
        try:
            for record in reader:
                where = f"{rel}:{reader.line_num}"
                if None in record or any(v is None for v in record.values()):
                    raise DataError([RowProblem(where, f"row has {_count(record)} cells, header has {len(header)}")])
                row = Row({k: (v or "").strip() for k, v in record.items()})
                row.where = where
                rows.append(row)
        except UnicodeDecodeError as exc:
            raise DataError([RowProblem(rel, f"not UTF-8 ({exc.reason} at byte {exc.start})")]) from exc
        except csv.Error as exc:
            raise DataError([RowProblem(f"{rel}:{reader.line_num}", f"malformed CSV: {exc}")]) from exc
    return rows


def read_csv_dir(directory: Path, root: Path, required: tuple[str, ...] = ()) -> list[Row]:
    rows: list[Row] = []
    for path in sorted(directory.glob("*.csv")):
        rows.extend(read_csv(path, root, required))
    return rows


def _count(record: dict) -> int:
    extra = record.get(None) or []
    return len([v for k, v in record.items() if k is not None and v is not None]) + len(extra)


# libyaml's C loader reads the action plans about 8x faster; the pure-Python one is the fallback.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):
    """A safe YAML loader that records the line of every mapping (as `__line__`)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    # a key written twice in one mapping would silently keep only its last value (YAML allows it): refuse it
    seen: dict[object, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                f"key '{key}' is written twice in this mapping (lines {seen[key]} and {key_node.start_mark.line + 1})",
                key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, root: Path) -> Any:
    rel = _rel(path, root)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 - a (C)SafeLoader subclass
    except OSError as exc:
        raise DataError([RowProblem(rel, f"cannot read ({exc.strerror})")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{rel}:{mark.line + 1}" if mark else rel
        raise DataError([RowProblem(where, f"malformed YAML: {getattr(exc, 'problem', exc)}")]) from exc


def yaml_row(mapping: dict, rel: str) -> Row:
    row = Row({k: v for k, v in mapping.items() if k != "__line__"})
    row.where = f"{rel}:{mapping.get('__line__', '?')}"
    return row


def walk_rows(items: Any, rel: str) -> Iterator[Row]:
    """The mappings of a YAML list as Rows (non-mappings are skipped by the caller's checks)."""
    for item in items or []:
        if isinstance(item, dict):
            yield yaml_row(item, rel)


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
