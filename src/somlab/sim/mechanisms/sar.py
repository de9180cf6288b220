"""Search and rescue at sea. Two competing modules, because the evidence conflicts:

* ``no_effect``: SAR rescues boats in distress and changes nothing else; migrants do not count on
  it beyond the baseline rescue, so departures do not depend on it (Cusumano & Villa 2019;
  Rodriguez Sanchez et al. 2023);
* ``vessel_downgrading``: smugglers answer SAR presence with cheaper, flimsier boats, sent also
  in bad weather, so distress rises with SAR presence and migrants count on rescue (Deiana,
  Maheshri & Mastrobuoni 2020).

``off`` removes SAR from the model: only the baseline rescue (merchant ships, coastguards) remains.

The handover of rescue coordination to another centre (``rescue_handover``) slows every rescuer,
the baseline included; it is applied with the baseline in ``sea``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from somlab.sim.state import Mechanism, State


@dataclass(frozen=True)
class Params:
    rescue_state: Any  # rescue hazard per unit of state SAR presence
    rescue_ngo: Any  # rescue hazard per unit of NGO SAR presence
    downgrade_risk: Any
    downgrade_cost_saving: Any
    downgrade_season_damping: Any


def presence(s: State) -> None:
    m, q = s.month, s.params(Params)
    state_sar = m.levers["state_sar"]
    m.sar = state_sar + m.ngo
    m.ngo_rescue_hazard = q.rescue_ngo * m.ngo
    m.rescue_hazard = q.rescue_state * state_sar + m.ngo_rescue_hazard
    if s.on("sar", "vessel_downgrading"):
        m.seen_rescue_hazard = m.rescue_hazard  # migrants count on rescue
        full = s.xp.minimum(m.sar, 1.0)
        m.cost_factor = m.cost_factor * (1.0 - q.downgrade_cost_saving * full)
        m.distress_factor = m.distress_factor * (1.0 + q.downgrade_risk * m.sar)
        m.season_damping = q.downgrade_season_damping * full


MECHANISM = Mechanism(
    "sar", ("no_effect", "vessel_downgrading", "off"), Params, (("decide", presence),)
)
