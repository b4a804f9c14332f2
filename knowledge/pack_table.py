"""The table of covered regulations in ``knowledge/README.md``, generated from the pack itself.

Generated rather than hand-written so that the README can never disagree with the pack: a test
compares the committed table with :func:`regulations_table` (``python -m knowledge.pack_table``
rewrites it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from knowledge.pack import KnowledgePack, load_pack

BEGIN = "<!-- regulations-table:begin -->"
END = "<!-- regulations-table:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def regulations_table(pack: KnowledgePack) -> str:
    """Markdown: one row per regulation with status, relations, provisions count and sources."""
    rows = [
        "| regulation | title | status | relations | provisions | official source | checked against |",
        "|---|---|---|---|---|---|---|",
    ]
    for regulation in sorted(pack.regulations.values(), key=lambda r: (r.type, r.year, r.id)):
        relations = "; ".join(
            f"{name} {', '.join(ids)}"
            for name, ids in (
                ("replaces", regulation.replaces),
                ("replaced by", regulation.replaced_by),
                ("amends", regulation.amends),
                ("amended by", regulation.amended_by),
            )
            if ids
        )
        rows.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    regulation.id,
                    regulation.title,
                    regulation.status.value
                    + (f" ({regulation.status_note})" if regulation.status_note else ""),
                    relations or "—",
                    str(len(regulation.provisions)),
                    regulation.source_url,
                    "; ".join(regulation.verified_against),
                )
            )
            + " |"
        )
    return "\n".join(rows)


def render_into(readme: Path, pack: KnowledgePack) -> str:
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{regulations_table(pack)}\n{END}{tail}"


def main() -> int:
    readme = Path(__file__).with_name("README.md")
    readme.write_text(render_into(readme, load_pack()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
