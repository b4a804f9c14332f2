"""Short provision ids: how the pack's files cite a provision, beside the label users see.

A provision's display label ("PP 94/2021 Pasal 5 huruf n angka 1") is what answers, the JSON
contract and the evaluation sets show. Rulings cite a short stable id instead (``pp94-5-n-1``,
written once in the regulation file as ``id:``), which keeps the catalogue readable and lets a
label's wording change without touching every ruling. Full labels are still accepted wherever an
id is; anything that resolves to neither is a validation error, never a silent citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.models import Provision

_YEAR = re.compile(r"/\d{4}$")
_NOT_ID = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _NOT_ID.sub("-", text.lower()).strip("-")


def regulation_slug(regulation_id: str) -> str:
    """``PP 94/2021`` -> ``pp94``, ``SE MenPANRB 18/2023`` -> ``se-menpanrb18``: the type and
    number, without the year (kept only when there is no number, ``SKB Netralitas 2022``)."""
    without_year = _YEAR.sub("", regulation_id)
    if without_year == regulation_id:
        return _slug(regulation_id)
    kind, _, number = without_year.rpartition(" ")
    return f"{_slug(kind)}{_slug(number)}" if kind else _slug(number)


def suggest_provision_id(provision: Provision) -> str:
    """The id a new provision gets by convention (``scripts/pack_ids.py`` writes it):
    regulation, ``penj`` for a Penjelasan, Lampiran, row, then Pasal, ayat, huruf, angka."""
    parts = [regulation_slug(provision.regulation)]
    if provision.penjelasan:
        parts.append("penj")
    if provision.lampiran:
        parts.append(f"lamp-{provision.lampiran}")
    if provision.row:
        parts.append(" ".join(provision.row.split()[:4]))
    parts += [
        level
        for level in (provision.pasal, provision.ayat, provision.huruf, provision.angka)
        if level
    ]
    return "-".join(_slug(part) for part in parts if _slug(part))


class ProvisionRefs:
    """Resolves what a pack file cites (a provision id or a full label) to the display label."""

    def __init__(self, provisions: Iterable[Provision]) -> None:
        self.labels: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        self.problems: list[str] = []
        for provision in provisions:
            self.labels[provision.label] = provision.label
            if provision.id is None:
                self.problems.append(
                    f"provision {provision.label} has no id "
                    f"(suggested: {suggest_provision_id(provision)}; scripts/pack_ids.py adds it)"
                )
            elif provision.id in self.ids:
                self.problems.append(
                    f"provision id {provision.id} names both {self.ids[provision.id]} "
                    f"and {provision.label}"
                )
            else:
                self.ids[provision.id] = provision.label

    def resolve(self, ref: str) -> str | None:
        """The label ``ref`` names (an id or a label), or None when it names nothing."""
        return self.ids.get(ref) or self.labels.get(ref)

    def resolve_all(self, refs: Iterable[str]) -> list[str]:
        """Labels for ``refs``; an unresolved one is kept as written so validation names it."""
        return [self.resolve(ref) or ref for ref in refs]


__all__ = ["ProvisionRefs", "regulation_slug", "suggest_provision_id"]
