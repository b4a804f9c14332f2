"""Give every provision of the knowledge pack a short id (``id: pp94-5-n-1``), by convention.

A new provision needs an id before rulings can cite it by id (``netra validate`` names the ones
without, with the suggested id). This writes the suggested id into the regulation file as the
provision's first key, leaving every other line as it is, so the diff is one line per provision:

    python scripts/pack_ids.py            # add missing ids to knowledge/data/regulations/*.yaml
    python scripts/pack_ids.py PACK_DIR   # another pack

Ids follow knowledge.pack_refs.suggest_provision_id; edit one by hand when the suggestion is long
(Lampiran rows) — an id only has to be unique and stable.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from knowledge.models import Regulation
from knowledge.pack import default_pack_dir
from knowledge.pack_refs import suggest_provision_id

_ITEM = re.compile(r"^(\s*)- ")


def _item_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that start a provision in the ``provisions:`` list."""
    starts: list[int] = []
    inside, indent = False, None
    for number, line in enumerate(lines):
        if line.startswith("provisions:"):
            inside = True
        elif inside and line and not line.startswith((" ", "-", "#")):
            inside = False
        match = _ITEM.match(line) if inside else None
        if match and (indent is None or len(match.group(1)) == indent):
            indent = len(match.group(1))
            starts.append(number)
    return starts


def add_ids(path: Path) -> list[str]:
    """Write the suggested id into every provision of ``path`` that has none; returns them."""
    text = path.read_text(encoding="utf-8")
    regulation = Regulation.model_validate(yaml.safe_load(text))
    lines = text.split("\n")
    starts = _item_lines(lines)
    if len(starts) != len(regulation.provisions):
        raise SystemExit(f"{path}: cannot tell the provisions apart; add the ids by hand")
    added = []
    for number, provision in reversed(list(zip(starts, regulation.provisions, strict=True))):
        match = _ITEM.match(lines[number])
        if provision.id is None and match:
            indent = len(match.group(1))
            new_id = suggest_provision_id(provision)
            lines[number : number + 1] = [
                f"{' ' * indent}- id: {new_id}",
                f"{' ' * (indent + 2)}{lines[number][indent + 2 :]}",
            ]
            added.append(f"{provision.label} -> {new_id}")
    if added:
        path.write_text("\n".join(lines), encoding="utf-8")
    return list(reversed(added))


def main(argv: list[str]) -> int:
    pack_dir = Path(argv[0]) if argv else default_pack_dir()
    for path in sorted((pack_dir / "regulations").glob("*.yaml")):
        for line in add_ids(path):
            print(f"{path.name}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
