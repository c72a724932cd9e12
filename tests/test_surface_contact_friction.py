"""Coulomb friction of the surface contact item (shared verification notes, 'Friction': no slip for
T < mu N; for T > mu N slip with tangential traction mu times the normal traction), the slip distance
against its analytic value, the friction history kept by commit(), and sliding over several element
lengths of a non-matching deformable base, which node pairs (fixed partners) cannot follow."""

import numpy as np
import pytest

from newton_harness import LinearBody, NeoHookeanBody, newton
from sim.contact.surface_item import SLIP, STICK, SurfaceContact
from sim.fem.surface import facet_basis
from sim.mesh.box import box_mesh
from sim.mesh.merge import merge_bodies
from test_surface_contact import two_blocks

MU, PRESSURE, E = 0.3, 1.0, 1.0e5  # MPa; nu = 0: the pressure alone makes no lateral motion
PENALTY = 1.0e6  # MPa/mm
H = 0.5  # block height, mm
PLANE = ((0.0, 0.0, 0.0), (0.0, 0.0, 1.0))


def traction(mesh, set_name, t):
    fb = facet_basis(mesh, mesh.facet_sets[set_name])
    return fb.nodal(np.broadcast_to(t, fb.x_fqi.shape), mesh.n_nodes)


def dofs_of(mesh, set_name, comps):
    return (3 * mesh.nodes_of(set_name)[:, None] + np.asarray(comps)).ravel()


@pytest.mark.parametrize("order", [1, 2])
def test_block_sticks_below_mu_N(order):
    """Force control, the block held by nothing but the plane: T = 0.5 mu N on its 2 x 2 mm top. Every
    node sticks (traction inside the cone), the normal force is N and nothing slips."""
    mesh = box_mesh((4, 4, 2), (2.0, 2.0, H), order=order)
    contact = SurfaceContact(mesh, "ground", "zmin", plane=PLANE, mu=MU, penalty_MPa_per_mm=PENALTY)
    N = PRESSURE * 4.0
    f = traction(mesh, "zmax", [0.5 * MU * N / 4.0, 0.0, -PRESSURE])
    u, _ = newton([LinearBody(mesh, {"domain": {"E_MPa": E, "nu": 0.0}}), contact], 3 * mesh.n_nodes, f, steps=2)
    state = contact.committed
    assert (state.status == STICK).all()
    assert (np.linalg.norm(state.traction_MPa, axis=1) < MU * state.pressure_MPa).all()
    assert (state.pressure_MPa * state.weight_mm2).sum() == pytest.approx(N, rel=1e-9)
    assert contact.slip_mm.max() == 0.0


@pytest.mark.parametrize("order", [1, 2])
def test_block_pushed_slides_the_analytic_distance_and_keeps_it(order):
    """The top pushed delta = 0.05 mm in 5 increments under 1 MPa: every node slips with tangential traction
    mu p, the push needs mu N, and the slip is delta - mu p (H / G + 1 / penalty) (shear of the block and
    the penalty's elastic offset; nu = 0). Held there for one more increment the block still needs mu N and
    has not slipped further: the stick points moved by commit() are the friction history (lost, the shear
    would relax and the push force drop)."""
    mesh = box_mesh((4, 4, 2), (2.0, 2.0, H), order=order)
    contact = SurfaceContact(mesh, "ground", "zmin", plane=PLANE, mu=MU, penalty_MPa_per_mm=PENALTY)
    body = LinearBody(mesh, {"domain": {"E_MPa": E, "nu": 0.0}})
    f = traction(mesh, "zmax", [0.0, 0.0, -PRESSURE])
    fixed = dofs_of(mesh, "zmax", [0, 1])
    delta = 0.05
    push = np.tile([delta, 0.0], len(fixed) // 2)
    u, _ = newton([body, contact], 3 * mesh.n_nodes, f, fixed, push, steps=5)
    state = contact.committed
    assert (state.status == SLIP).all()
    shear = np.linalg.norm(state.traction_MPa, axis=1)
    assert shear == pytest.approx(MU * state.pressure_MPa, rel=1e-9)
    push_force = body.residual_tangent(u)[0][fixed[::2]].sum()
    assert push_force == pytest.approx(MU * PRESSURE * 4.0, rel=1e-6)
    elastic = MU * PRESSURE * (H / (E / 2) + 1 / PENALTY)
    expected = delta - elastic
    assert contact.slip_mm == pytest.approx(expected, rel=1e-3)
    slip = contact.slip_mm.copy()
    u2, _ = newton([body, contact], 3 * mesh.n_nodes, f, fixed, push, steps=1, u0=u)
    assert body.residual_tangent(u2)[0][fixed[::2]].sum() == pytest.approx(MU * PRESSURE * 4.0, rel=1e-6)
    assert contact.slip_mm == pytest.approx(slip, abs=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize("body_item", [LinearBody, NeoHookeanBody], ids=["small_strain", "finite_strain"])
def test_block_slides_three_element_lengths_over_a_non_matching_deformable_base(body_item):
    """A 1 x 1 x 0.5 mm block (4 x 4 divisions) pushed 1.5 mm over a 4 mm long base with 0.5 mm elements
    (three of its element lengths; node pairs would have lost their partners after one), mu = 0.3, 1 MPa
    on top (both ramped over 15 increments): at every increment the push needs mu N, the base carries N, nothing penetrates beyond the penalty's p / penalty,
    and the block's underside slid the push less its elastic part; with linear bodies (small strain, the
    contact itself in the current configuration) and with neo-Hookean bodies (finite strain) alike."""
    base = box_mesh((8, 4, 2), (4.0, 2.0, 1.0), origin_mm=(0.0, -0.5, -1.0))
    block = box_mesh((4, 4, 2), (1.0, 1.0, H), origin_mm=(0.75, 0.0, 0.0))
    mesh = merge_bodies({"base": base, "block": block})
    materials = {"base": {"E_MPa": E, "nu": 0.0}, "block": {"E_MPa": E, "nu": 0.0}}
    contact = SurfaceContact(mesh, "slide", "block.zmin", "base.zmax", mu=MU, penalty_MPa_per_mm=PENALTY)
    body = body_item(mesh, materials)
    f = traction(mesh, "block.zmax", [0.0, 0.0, -PRESSURE])
    top = dofs_of(mesh, "block.zmax", [0, 1])
    fixed = np.concatenate([dofs_of(mesh, "base.zmin", [0, 1, 2]), top])
    delta = 1.5
    values = np.concatenate([np.zeros(len(fixed) - len(top)), np.tile([delta, 0.0], len(top) // 2)])
    forces = []

    def record(u, lam):
        state = contact.state(u)
        forces.append((body.residual_tangent(u)[0][top[::2]].sum() / lam, (state.pressure_MPa * state.weight_mm2).sum() / lam,
                       contact.max_penetration_mm(u)))

    u, iterations = newton([body, contact], 3 * mesh.n_nodes, f, fixed, values, steps=15, on_step=record)
    push, normal, penetration = np.array(forces).T
    assert normal == pytest.approx(PRESSURE, rel=1e-6)
    assert push[1:] == pytest.approx(MU * PRESSURE, rel=2e-2)
    assert penetration.max() < 1e-4 * 0.25  # mm, against 0.25 mm facets
    bottom = mesh.nodes_of("block.zmin")
    moved = u.reshape(-1, 3)[bottom, 0].mean()
    assert moved == pytest.approx(delta, rel=1e-3)
    assert contact.slip_mm.mean() == pytest.approx(delta, rel=1e-2)


@pytest.mark.parametrize("order", [1, 2])
def test_frictionless_block_reports_the_distance_it_slid(order):
    """Without friction the top is moved 0.3 mm sideways in 3 increments under 1 MPa: the block slides
    rigidly on the plane, so every node in contact has slipped 0.3 mm and carries the pressure."""
    mesh = box_mesh((4, 4, 2), (2.0, 2.0, H), order=order)
    contact = SurfaceContact(mesh, "ground", "zmin", plane=PLANE, penalty_MPa_per_mm=PENALTY)
    fixed = dofs_of(mesh, "zmax", [0, 1])
    push = np.tile([0.3, 0.0], len(fixed) // 2)
    newton([LinearBody(mesh, {"domain": {"E_MPa": E, "nu": 0.0}}), contact], 3 * mesh.n_nodes,
           traction(mesh, "zmax", [0.0, 0.0, -PRESSURE]), fixed, push, steps=3)
    assert np.allclose(contact.slip_mm, 0.3, rtol=1e-9)
    assert contact.summary(np.zeros(3 * mesh.n_nodes))["slip_max_mm"] == pytest.approx(0.3, rel=1e-9)


@pytest.mark.parametrize("order", [1, 2])
def test_commit_keeps_the_converged_traction_where_the_master_turns(order):
    """commit() moves the friction history, not the converged state: with both blocks turned by 3 degrees
    about a horizontal axis after the stick points were set (the master's normal turns with them) and the
    slave pressed 0.01 mm in and slid by a third of the elastic limit (sticking), the item's residual at
    that displacement changes at the commit only as much as turning each node's friction traction into the
    new tangent plane does (sin 3 deg of the friction force, 1 % allowed for the second-order terms).
    Before the fix the sticking nodes kept their stick points while their normal was refreshed, so each
    node's 0.01 mm normal offset from its stick point leaked into the tangential gap (0.01 mm x sin 3 deg)
    and the residual changed by 21 times that bound (tri3 and tri6); at the rim of a cut bone face (a node
    35 um deep under a weighted gap of 1 um) that out-of-balance force, 12 N, stalled the sliding
    pseudo-joint's probe."""
    mesh = two_blocks(order, (2, 2, 1), (3, 2, 1), (0.6, 0.6, 0.5), (0.2, 0.2, 0.5))
    penalty, depth, turn = 1.0e3, 0.01, np.radians(3.0)
    item = SurfaceContact(mesh, "t", "upper.zmin", "lower.zmax", mu=MU, penalty_MPa_per_mm=penalty)
    frictionless = SurfaceContact(mesh, "t", "upper.zmin", "lower.zmax", penalty_MPa_per_mm=penalty)
    upper = mesh.nodes_of("upper")
    u = np.zeros((mesh.n_nodes, 3))
    u[upper, 2] = -depth
    item.commit(u.ravel(), track_slip=False)  # stick points where the nodes are now
    c, s = np.cos(turn), np.sin(turn)
    turn_y = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    centre = np.array([0.5, 0.5, 0.5])
    x = mesh.nodes_mm + u
    x[upper] += MU * depth / 3 * np.array([1.0, 0.0, 0.0])  # slid a third of the elastic limit mu p / penalty
    u = ((x - centre) @ turn_y.T + centre - mesh.nodes_mm).ravel()
    state = item.state(u)
    assert (state.status == STICK).all()
    before = item.residual_tangent(u)[0]
    friction = before - frictionless.residual_tangent(u)[0]
    item.commit(u)
    after = item.residual_tangent(u)[0]
    assert (item.committed.status == STICK).all() and item.slip_mm.max() == 0.0
    assert np.linalg.norm(after - before) <= 1.01 * np.sin(turn) * np.linalg.norm(friction)
