"""Load the forefoot through its rigid midfoot onto the ground and solve (small strain, force control).

Support and load: the midfoot slab is held horizontally (x, y = 0 at its nodes: it may not slide or tilt;
it stays at the placement's declinations, i.e. "held at the published forefoot angles", not free to tilt)
and free to move down; the vertical force is applied on its proximal face. The ground is a rigid plane
under the sole (or the insole) in frictional (Coulomb) or frictionless contact, node to plane. The foot is
held only by that contact: its vertical motion is the one rigid motion ContactProblem solves for from
equilibrium, so the load each ray carries is a result, not an input.

Small strain: the plantar pad compresses by tens of percent under push-off, where linear kinematics and a
linearised tissue overstate its stiffness at small strain and understate it near lock-up; contact is
node-to-plane on the undeformed sole. Finite-strain hyperelastic tissue is not in this model yet.
"""

from dataclasses import dataclass

import numpy as np

from ..contact import ContactDidNotConverge, ContactProblem, InterfaceSpec
from ..errors import InputError
from ..fem import loads
from ..fem.surface import facet_basis
from ..materials import elastic_params, load_card
from ..model import BoundarySpec
from .config import ForefootConfig
from .mesh import ForefootMesh

GROUND = "ground"
MIDFOOT = "midfoot"


@dataclass
class ForefootSolution:
    """The solved model: problem, displacement u (3 n,) mm, applied load vector f (3 n,) N, and the ground's
    nodal pressure (j,) MPa, weights (j,) mm^2, nodes (j,) and contact status (j,)."""

    problem: ContactProblem
    u_mm: np.ndarray
    f_N: np.ndarray
    ground_nodes: np.ndarray
    pressure_MPa: np.ndarray
    weight_mm2: np.ndarray
    closed: np.ndarray


def region_params(cfg: ForefootConfig, regions) -> dict:
    """Elastic parameters (MPa) of the regions present, from the case's cards."""
    return {r: elastic_params(load_card(cfg.materials[r])) for r in regions}


def solve_forefoot(cfg: ForefootConfig, fm: ForefootMesh) -> ForefootSolution:
    """Press the forefoot onto the ground with cfg.force_N through the midfoot."""
    mesh = fm.mesh
    params = region_params(cfg, mesh.region_names.values())
    ground = InterfaceSpec(GROUND, cfg.ground, cfg.mu, (0.0, 0.0, fm.model.ground_z_mm), (0.0, 0.0, 1.0))
    held = [BoundarySpec(MIDFOOT, {0: 0.0, 1: 0.0})]
    problem = ContactProblem(mesh, params, held, [ground], cfg.backend)
    fb = facet_basis(mesh, mesh.facets_of("midfoot_load"))
    f = loads.total_force(fb, (0.0, 0.0, -cfg.force_N), mesh.n_nodes)
    try:
        result = problem.solve_sequence(f[:, None])
    except ContactDidNotConverge as exc:
        raise InputError(f"the foot does not settle on the ground: {exc}") from None
    frames = result.interfaces[GROUND]
    iface = problem.interfaces[0]
    closed = frames.status[0] != 0
    return ForefootSolution(problem, result.u_mm[:, 0], f, iface.nodes_b, frames.pressure_MPa[0],
                            frames.weight_mm2, closed)
