"""The standard battery of cases behind conformity profiles (battery.yaml)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from somlab.bundled import bundled
from somlab.errors import SomlabInputError
from somlab.facts import Case, case_from_mapping, merge_facts
from somlab.yamlio import line_at, read_yaml_with_lines

ROLE_KEYS = ("decides", "covers", "aggravation")


@dataclass
class Battery:
    ids: list[str]
    roles: list[str]  # "decides:benefit_required.entry", "covers:6(1)(a)", "aggravation:death"
    facts: list[dict[str, Any]]
    file: str

    def _where(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    def decides(self, key: str) -> list[int]:
        return self._where(f"decides:{key}")

    def covers(self, paragraph: str) -> list[int]:
        return self._where(f"covers:{paragraph}")

    def aggravation(self, kind: str) -> list[int]:
        return self._where(f"aggravation:{kind}")

    def cases(self, date: dt.date) -> list[Case]:
        """The battery as cases dated `date` (so each law's version in force then applies)."""
        return [
            case_from_mapping({**f, "id": i, "date": date.isoformat()}, file=self.file)
            for i, f in zip(self.ids, self.facts)
        ]

    def case(self, case_id: str, date: dt.date) -> Case:
        i = self.ids.index(case_id)
        return case_from_mapping(
            {**self.facts[i], "id": case_id, "date": date.isoformat()}, file=self.file
        )


def load_battery(path: Path | None = None) -> Battery:
    path = path or bundled("conformity", "battery.yaml")
    data, lines = read_yaml_with_lines(path)
    file = str(path)
    base = data.get("base") or {}
    ids, roles, facts = [], [], []
    for i, item in enumerate(data.get("cases") or []):
        where = f"cases[{i}]"
        role = [k for k in ROLE_KEYS if k in item]
        if len(role) != 1 or not item.get("id"):
            raise SomlabInputError(
                f"each battery case has an id and one of {', '.join(ROLE_KEYS)}",
                file=file,
                line=line_at(lines, where),
                field=where,
            )
        ids.append(item["id"])
        roles.append(f"{role[0]}:{item[role[0]]}")
        facts.append(merge_facts(base, item.get("facts")))
    battery = Battery(ids, roles, facts, file)
    battery.cases(dt.date(2020, 1, 1))  # validates every case's facts now, with file and field
    return battery
