"""Load the forefoot through its rigid midfoot onto the ground and solve (force control), under small strain
(linear, ContactProblem) or finite kinematics (hyperelastic soft tissue, Newton on the body and the
sliding-contact item).

Support and load: the midfoot slab is held horizontally (x, y = 0 at its nodes: it may not slide or tilt;
it stays at the placement's declinations, not free to tilt: a free slab under one vertical force would need
that force to pass through the unknown centre of pressure)
and free to move down; the vertical force is applied on its proximal face (a dead load). The ground is a
rigid plane under the sole (or the insole) in frictional (Coulomb) or frictionless contact. The foot is held
only by that contact, so the load each ray carries is a result, not an input.

Small strain: node-to-plane contact on the undeformed sole, linear tissue. At push-off the plantar pad
compresses by tens of percent, where a linearised pad is too stiff at first and too soft near lock-up.
Finite: total Lagrangian body (sim.fem.finite) with the soft regions' hyperelastic cards and mortar
penalty contact with the plane in the current configuration (sim.contact.surface_item), which gives
nominal pressures (force per reference sole area); they are reported per current area (the force on a
pedobarograph's fixed sensor over its area: Cauchy), each node's tributary area scaled by the stretch of
the sole's area around it. The penalty leaves a penetration p / GROUND_PENALTY_MPA_PER_MM.
"""

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from ..contact import ContactDidNotConverge, ContactProblem, InterfaceSpec
from ..contact.sliding import MAX_ITERATIONS, contact_item, interface_penalty
from ..contact.surface_item import SurfaceContact
from ..errors import InputError
from ..fem import loads
from ..fem.constraints import Dirichlet
from ..fem.elements import tri_shape
from ..fem.quadrature import tri_rule
from ..fem.surface import facet_basis
from ..materials import elastic_params, load_card
from ..model import BoundarySpec
from ..model.finite import FiniteProblem
from ..solve import NewtonOptions, SolveFailed, solve_increments
from .config import ForefootConfig
from .mesh import ForefootMesh
from .toes import toe_constraint, turn_steps

GROUND = "ground"
MIDFOOT = "midfoot"
# ground penalty under finite kinematics: 0.03 mm penetration at 300 kPa, under 0.5 % of the 7-9 mm pad
GROUND_PENALTY_MPA_PER_MM = 10.0
# Newton's force tolerance relative to the load: the rigid midfoot (1.7e7 MPa) turns the round-off of its
# strains (1e-16) into nodal forces of ~1e-7 N, above the default 1e-8 of a light load; 1e-6 of the load
# is still 1000 times finer than the 0.5 % to which the forces are checked to add up
FORCE_RTOL = 1e-6
# Under finite kinematics the sole first meets the ground: the first 1/16 of the load is one increment of its
# own (measured on the 8 mm tet4 foot: a first increment of 1/4 inverts a pad cell and 1/8 does not converge in
# 25 iterations, 1/16 converges in 15), then the rest in [analysis] increments
PRELOAD_FRACTION = 1.0 / 16.0


@dataclass
class ForefootSolution:
    """The solved model: problem, displacement u (3 n,) mm, applied load vector f (3 n,) N, the ground's
    nodal pressure (j,) MPa (nominal under finite kinematics), weights (j,) mm^2 (reference sole), nodes (j,),
    contact status (j,), and internal_force_N(cells (c,) bool) -> (3 n,) N: the internal nodal forces of
    those cells at u (the force the rest of the model exerts on them at their nodes)."""

    problem: object
    u_mm: np.ndarray
    f_N: np.ndarray
    ground_nodes: np.ndarray
    pressure_MPa: np.ndarray
    weight_mm2: np.ndarray
    closed: np.ndarray
    internal_force_N: Callable
    max_penetration_mm: float = 0.0


def region_params(cfg: ForefootConfig, regions) -> dict:
    """Law tables (MPa) of the regions present, from the case's cards."""
    return {r: elastic_params(load_card(cfg.materials[r])) for r in regions}


def solve_forefoot(cfg: ForefootConfig, fm: ForefootMesh, interfaces=()) -> ForefootSolution:
    """Press the forefoot onto the ground with cfg.force_N through the midfoot. interfaces: InterfaceSpecs of
    the split interfaces of the spaced rays (spacer_contact.split_interfaces), sliding contact (finite only)."""
    mesh = fm.mesh
    params = region_params(cfg, mesh.region_names.values())
    held = [BoundarySpec(MIDFOOT, {0: 0.0, 1: 0.0})]
    fb = facet_basis(mesh, mesh.facets_of("midfoot_load"))
    f = loads.total_force(fb, (0.0, 0.0, -cfg.force_N), mesh.n_nodes)
    if cfg.kinematics == "finite":
        return _solve_finite(cfg, fm, params, held, f, interfaces)
    return _solve_small(cfg, fm, params, held, f)


def _solve_small(cfg, fm, params, held, f) -> ForefootSolution:
    ground = InterfaceSpec(GROUND, cfg.ground, cfg.mu, (0.0, 0.0, fm.model.ground_z_mm), (0.0, 0.0, 1.0))
    problem = ContactProblem(fm.mesh, params, held, [ground], cfg.backend)
    try:
        result = problem.solve_sequence(f[:, None])
    except ContactDidNotConverge as exc:
        raise InputError(f"the foot does not settle on the ground: {exc}") from None
    frames = result.interfaces[GROUND]
    u = result.u_mm[:, 0]

    def internal_force_N(cells):
        return problem.assembler(problem.D_ckl * cells[:, None, None]) @ u

    return ForefootSolution(problem, u, f, problem.interfaces[0].nodes_b, frames.pressure_MPa[0],
                            frames.weight_mm2, frames.status[0] != 0, internal_force_N)


def _solve_finite(cfg, fm, params, held, f, interfaces) -> ForefootSolution:
    contact = SurfaceContact(fm.mesh, GROUND, GROUND, plane=((0.0, 0.0, fm.model.ground_z_mm), (0.0, 0.0, 1.0)),
                             mu=cfg.mu, penalty_MPa_per_mm=GROUND_PENALTY_MPA_PER_MM)
    # as many iterations per increment as sliding contact in the ray experiments: the sole's first contact
    # with the ground takes 23-25 (forefoot_spacer_contact, 2026-12-01), and a hopeless increment is given up
    # after 10 or more anyway (sim.solve.newton.hopeless)
    options = NewtonOptions(increments=cfg.increments, rtol_force=FORCE_RTOL, max_iterations=MAX_ITERATIONS)
    problem = FiniteProblem(fm.mesh, params, held, items=[contact], options=options, held_by_items=True)
    problem.items += [contact_item(fm.mesh, s, interface_penalty(fm.mesh, s.name, problem.model.laws))
                      for s in interfaces]  # the spaced rays' sliding interfaces, as in the ray experiments
    one = replace(options, increments=1)
    try:
        first = solve_increments(problem.items, PRELOAD_FRACTION * f, problem.bc, one)
        first = _turn_toes(cfg, fm, problem, PRELOAD_FRACTION * f, first, one)
        problem.last = solve_increments(problem.items, f, problem.bc, options, u0_mm=first.u_mm,
                                        f0_N=PRELOAD_FRACTION * f)
    except SolveFailed as exc:
        raise InputError(f"the foot does not settle on the ground under finite kinematics: {exc}") from None
    problem.last.iterations = first.iterations + problem.last.iterations
    problem.last.cutbacks += first.cutbacks
    u = problem.last.u_mm
    state = contact.state(u)
    stretch = area_stretch(fm.mesh, fm.mesh.facet_sets[GROUND], u)[contact.slave.nodes]

    def internal_force_N(cells):
        return problem.body.internal_force(u, cells)

    return ForefootSolution(problem, u, f, contact.slave.nodes, state.pressure_MPa / stretch,
                            state.weight_mm2 * stretch, state.pressure_MPa > 0, internal_force_N,
                            contact.max_penetration_mm(u))


def _turn_toes(cfg, fm, problem, f_N, start, options):
    """Under the preload f_N, turn the toes up to cfg.toe_dorsiflexion_deg in steps (toes.py), each from the
    last equilibrium; from then on problem.bc holds them there. Returns the state with the histories joined."""
    if cfg.toe_dorsiflexion_deg <= 0:
        return start
    base, state = problem.bc, start
    for angle in turn_steps(cfg.toe_dorsiflexion_deg):
        problem.bc = Dirichlet.combine([(base.dofs, base.values_mm), toe_constraint(fm, angle)])
        step = solve_increments(problem.items, f_N, problem.bc, options, u0_mm=state.u_mm, f0_N=f_N)
        step.iterations, step.cutbacks = state.iterations + step.iterations, state.cutbacks + step.cutbacks
        state = step
    return state


def area_stretch(mesh, facets: np.ndarray, u_mm: np.ndarray) -> np.ndarray:
    """Current / reference area of the facets (f, 3|6) around each node (n,), reference-area weighted
    (1 away from them)."""
    points, weights = tri_rule(2)
    _, dN = tri_shape(points, 1 if facets.shape[1] == 3 else 2)

    def area_f(x):
        t = np.einsum("qak,fai->fqik", dN, x[facets])
        return np.linalg.norm(np.cross(t[..., 0], t[..., 1]), axis=-1) @ weights

    X = mesh.nodes_mm
    A, a = area_f(X), area_f(X + u_mm.reshape(-1, 3))
    k = facets.shape[1]
    ref = np.bincount(facets.ravel(), np.repeat(A, k), mesh.n_nodes)
    cur = np.bincount(facets.ravel(), np.repeat(a, k), mesh.n_nodes)
    return np.where(ref > 0, cur / np.where(ref > 0, ref, 1.0), 1.0)

