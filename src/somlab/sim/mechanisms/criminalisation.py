"""Criminalisation of humanitarian actors (Cusumano & Villa 2019/2020): it enters the model only
by lowering NGO presence at sea."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from somlab.sim.state import Mechanism, State


@dataclass(frozen=True)
class Params:
    criminalisation_deterrence: Any  # share of NGO presence removed at full criminalisation


def ngo_presence(ngo_sar, criminalisation, deterrence):
    return ngo_sar * (1.0 - deterrence * criminalisation)


def deter_ngos(s: State) -> None:
    m = s.month
    m.ngo = ngo_presence(
        m.ngo, m.levers["criminalisation"], s.params(Params).criminalisation_deterrence
    )


MECHANISM = Mechanism("criminalisation", ("on", "off"), Params, (("decide", deter_ngos),))
