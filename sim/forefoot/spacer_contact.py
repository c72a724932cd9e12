"""The spaced ray in the forefoot: its cement-bone interfaces in sliding contact, and what the cement carries.

With `[interfaces]` (keys and checks of sim/experiment/interfaces.py, as for one ray) the mesh is split along
each contact or frictional interface of a resected ray (cement_stump: the stump's cut face and canal;
cement_distal: the phalanx's joint cartilage), the bone side slave, the cement side master, and each becomes a
sliding-contact item (mortar penalty, Coulomb; sim/contact/sliding.py: the same items, penalties and split as
the ray experiments) solved with the body and the ground under finite kinematics. Bonded interfaces keep
shared nodes. Where the cement touches the plantar envelope or the scar it stays bonded to them.

Columns (any spaced case, any interface law):
  cement_*                   the ray experiments' cement safety factors (static strength, from the robust peak
                             `PERCENTILE` % by volume of the maximum and minimum principal Cauchy stress) and
                             fatigue life (Basquin law of the cement's card over one step: unloaded -> this load
                             -> unloaded, STEPS_PER_DAY steps a day); cement_max_principal_max_MPa: the
                             largest value at any quadrature point; cement_cells: the cement's cell count
  <interface>_*              each sliding cement-bone interface: the contact item's summary, named as in the
                             ray experiments (contact area mm^2, normal force N, p99 and peak contact pressure
                             MPa, gap, slip mm, sliding area mm^2); the axial force through cement and scar at
                             the stump of any case: outputs.spacer_columns (nodal forces)
"""

from dataclasses import replace

import numpy as np

from ..contact.sliding import COLUMNS as CONTACT_KEYS
from ..experiment.config import DEFAULT_STEPS_PER_DAY
from ..experiment.interfaces import CEMENT_BONE, split_for
from ..experiment.metrics import cement_fatigue, cement_stress
from ..fem import post
from ..materials import load_card
from .mesh import ForefootMesh

PERCENTILE = 99.0  # robust peak, % by volume: as the ray experiments' default ([outputs] percentile)
STEPS_PER_DAY = DEFAULT_STEPS_PER_DAY  # the ray experiments' default (an assumption there, with its reason)
DAYS_PER_YEAR = 365.0


def split_interfaces(cfg, fm: ForefootMesh) -> tuple[ForefootMesh, list]:
    """The foot's mesh split along the case's contact and frictional interfaces (cfg.interfaces), and their
    InterfaceSpecs; unchanged, [] without [interfaces] or when all are bonded."""
    if cfg.interfaces is None:
        return fm, []
    mesh, specs = split_for(fm.mesh, cfg.interfaces, split_bonded=False)
    return replace(fm, mesh=mesh), specs


def cement_columns(cfg, fm: ForefootMesh, sol) -> dict:
    """The cement's stresses, safety factors and fatigue life at this load (empty without cement)."""
    mesh = fm.mesh
    cement = mesh.region == mesh.region_ids.get("cement", -1)
    if not cement.any():
        return {}
    card = load_card(cfg.materials["cement"])
    _, stress = sol.problem.strain_stress(sol.u_mm)
    principal = post.principal(stress[cement])
    dV = sol.problem.basis.dV_cq[cement]
    out = {"cement_cells": int(cement.sum()), "cement_max_principal_max_MPa": float(principal[..., 2].max())}
    out.update(cement_stress(card, principal, dV, PERCENTILE))
    step = np.stack([np.zeros_like(principal[..., 2]), principal[..., 2]])  # unloaded, loaded
    out.update(cement_fatigue(card, step, dV, PERCENTILE, STEPS_PER_DAY * DAYS_PER_YEAR))
    out["cement_safety_factor"] = float(np.nanmin([out["cement_safety_factor_tension"],
                                                   out["cement_safety_factor_compression"]]))
    return out


def interface_columns(fm: ForefootMesh, sol) -> dict:
    """Each sliding cement-bone interface: the contact item's summary (contact area, normal force, p99 and
    peak nodal contact pressure, gap, slip, sliding area), named as in the ray experiments."""
    out = {}
    for item in getattr(sol.problem, "items", []):
        if getattr(item, "name", None) in CEMENT_BONE:
            s = item.summary(sol.u_mm)
            out.update({f"{item.name}_{k}": s[k] for k in CONTACT_KEYS})
    return out
