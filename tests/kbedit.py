"""Edits to a copy of the knowledge files, the way a curator makes them, for reload tests."""

from __future__ import annotations

import json
from pathlib import Path


def _locate(directory: Path, record_id: str) -> tuple[Path, list[str], int]:
    """The file holding the record with this id, its lines, and the index of its `id = ` line."""
    wanted = f'id = "{record_id}"'
    for path in sorted(directory.glob("*.toml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if line.strip() == wanted:
                return path, lines, i
    raise LookupError(record_id)


def set_field(directory: Path, record_id: str, name: str, transform: object) -> None:
    """Rewrites the one-line `name = "..."` field of a record; `transform` maps old text to new."""
    path, lines, start = _locate(directory, record_id)
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("[["):
            break
        if lines[i].startswith(f"{name} = "):
            old = json.loads(lines[i].split(" = ", 1)[1])
            lines[i] = f"{name} = {json.dumps(transform(old), ensure_ascii=False)}"  # type: ignore[operator]
            path.write_text("\n".join(lines), encoding="utf-8")
            return
    raise LookupError(f"{record_id}.{name}")


def append(directory: Path, filename: str, toml: str) -> None:
    path = directory / filename
    path.write_text(path.read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")
