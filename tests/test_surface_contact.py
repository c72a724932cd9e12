"""Sliding contact between non-matching surfaces (sim.contact.surface_item): the geometric kernel against
finite differences, the contact patch test (Taylor & Papadopoulos 1991) on independently meshed blocks,
the item's tangent against finite differences, and bad input."""

import numpy as np
import pytest

from newton_harness import LinearBody, newton
from sim.contact.projection import gap_derivatives
from sim.contact.surface_item import SurfaceContact, default_penalty
from sim.errors import InputError
from sim.fem.elements import tri_shape
from sim.fem.surface import facet_basis
from sim.mesh.box import box_mesh
from sim.mesh.merge import merge_bodies


def two_blocks(order, lower_n=(3, 3, 2), upper_n=(4, 5, 2), upper_lengths=(1.0, 1.0, 0.5), upper_origin=(0, 0, 0.5)):
    """A 1 x 1 x 0.5 mm block under a second block meshed independently (different divisions)."""
    lower = box_mesh(lower_n, (1.0, 1.0, 0.5), order=order)
    upper = box_mesh(upper_n, upper_lengths, order=order, origin_mm=upper_origin)
    return merge_bodies({"lower": lower, "upper": upper})


def dofs_of(mesh, pairs):
    return np.unique(np.concatenate([3 * mesh.nodes_of(name) + comp for name, comp in pairs]))


@pytest.mark.parametrize("order", [1, 2])
def test_gap_kernel_matches_finite_differences(order):
    """Gap, gradient and Hessian of a point on a tilted slave facet projected on a curved master facet."""
    rng = np.random.default_rng(0)
    na = 3 * order
    ref = np.array([[0, 0], [1, 0], [0, 1], [0.5, 0], [0.5, 0.5], [0, 0.5]])[:na]
    xm = np.column_stack([ref, 0.05 * rng.standard_normal(na)]) + 0.02 * rng.standard_normal((na, 3))
    xs = np.column_stack([0.7 * ref + 0.1, 0.02 + 0.03 * rng.standard_normal(na)])
    Ns, _ = tri_shape(np.array([[0.3, 0.25]]), order)
    q = np.concatenate([xs.ravel(), xm.ravel()])

    def at(q):
        return gap_derivatives(Ns, q[:3 * na].reshape(1, na, 3), q[3 * na:].reshape(1, na, 3), np.ones(1))

    g, _, dg, H = at(q)
    h = 1e-6
    steps = [(at(q + h * e), at(q - h * e)) for e in np.eye(len(q))]
    dg_fd = np.array([(p[0] - m[0]) / (2 * h) for p, m in steps]).T
    H_fd = np.array([(p[2] - m[2]) / (2 * h) for p, m in steps])[:, 0]
    assert np.abs(dg - dg_fd).max() < 1e-8
    assert np.abs(H[0] - H_fd).max() < 1e-7 * np.abs(H_fd).max()


@pytest.mark.parametrize("order", [1, 2])
def test_patch_test_non_matching_meshes_passes_to_round_off(order):
    """Confined compression of two blocks of different stiffness meshed independently (3 x 3 against 4 x 5
    divisions): a uniform pressure of 1 MPa on the top crosses the interface and every slave node carries
    1 MPa (to round-off), the master's nodes all move the same."""
    mesh = two_blocks(order)
    materials = {"lower": {"E_MPa": 1000.0, "nu": 0.3}, "upper": {"E_MPa": 3000.0, "nu": 0.3}}
    contact = SurfaceContact(mesh, "patch", "upper.zmin", "lower.zmax", penalty_MPa_per_mm=default_penalty(1000, 0.3))
    lateral = [(f"{b}.{a}{s}", "xyz".index(a)) for b in ("lower", "upper") for a in "xy" for s in ("min", "max")]
    fixed = dofs_of(mesh, [("lower.zmin", 2)] + lateral)
    fb = facet_basis(mesh, mesh.facet_sets["upper.zmax"])
    f = fb.nodal(np.broadcast_to([0.0, 0.0, -1.0], fb.x_fqi.shape), mesh.n_nodes)
    u, _ = newton([LinearBody(mesh, materials), contact], 3 * mesh.n_nodes, f, fixed)
    state = contact.state(u)
    assert np.abs(state.pressure_MPa - 1.0).max() < 1e-9
    assert (state.pressure_MPa * state.weight_mm2).sum() == pytest.approx(1.0, rel=1e-10)
    uz = u.reshape(-1, 3)[contact.master.nodes, 2]
    assert np.ptp(uz) < 1e-10 * np.abs(uz).max()
    summary = contact.summary(u)
    assert summary["contact_area_mm2"] == pytest.approx(1.0, rel=1e-12)
    assert summary["normal_force_N"] == pytest.approx(1.0, rel=1e-10)
    assert summary["contact_pressure_p99_MPa"] == pytest.approx(1.0, rel=1e-9)
    field = contact.pressure_field(u)
    assert field[contact.slave.nodes] == pytest.approx(1.0, rel=1e-9) and field.sum() == pytest.approx(len(contact.slave.nodes), rel=1e-9)


@pytest.mark.parametrize("order, mu", [(1, 0.0), (2, 0.0), (1, 0.3), (2, 0.3)])
def test_tangent_matches_finite_differences(order, mu):
    """The assembled tangent of a sheared, rotated, slightly penetrating non-matching pair (a mix of
    sticking and slipping nodes with friction) equals central differences of the residual."""
    mesh = two_blocks(order, (2, 2, 1), (3, 2, 1), (0.8, 0.8, 0.5), (0.1, 0.1, 0.5))
    rng = np.random.default_rng(1)
    contact = SurfaceContact(mesh, "t", "upper.zmin", "lower.zmax", mu=mu, penalty_MPa_per_mm=1e5)
    n, X, up = mesh.n_nodes, mesh.nodes_mm, mesh.nodes_of("upper")
    u = np.zeros((n, 3))
    u[:, 2] = 1e-4 * rng.standard_normal(n)
    u[up, :2] += X[up, :2] @ np.array([[0.02, 0.05], [-0.04, 0.01]]) + [0.03, -0.02]
    u[up, 2] -= 2e-4
    u = u.ravel()
    contact.commit(u + 1e-4 * rng.standard_normal(3 * n))
    status = contact.state(u).status
    assert (status > 0).all() and (mu == 0 or len(np.unique(status)) == 2)
    assert_tangent(contact, u, 1e-7, 1e-4, rng)  # flat-facet pieces on a slightly kinked master: ~1e-5


@pytest.mark.parametrize("order", [1, 2])
def test_tangent_on_a_rigid_plane_matches_finite_differences(order):
    mesh = box_mesh((2, 2, 1), (1.0, 1.0, 0.5), order=order)
    rng = np.random.default_rng(2)
    contact = SurfaceContact(mesh, "t", "zmin", plane=((0, 0, 0), (0, 0, 1)), mu=0.3, penalty_MPa_per_mm=1e3)
    u = 0.01 * rng.standard_normal(3 * mesh.n_nodes)
    u[2::3] -= 0.02
    contact.commit(u + 0.002 * rng.standard_normal(len(u)))
    assert_tangent(contact, u, 1e-7, 1e-7, rng)


def assert_tangent(item, u, h, rtol, rng, directions=8):
    """K v against central differences of r along random directions v (unit entries). The first call after
    a commit returns the elastic predictor's tangent (documented), so the tangent is taken from the second."""
    item.residual_tangent(u)
    _, K = item.residual_tangent(u)
    for _ in range(directions):
        v = rng.uniform(-1.0, 1.0, len(u))
        fd = (item.residual_tangent(u + h * v)[0] - item.residual_tangent(u - h * v)[0]) / (2 * h)
        assert np.abs(fd - K @ v).max() < rtol * np.abs(K @ v).max()


# -- bad input: one line, InputError (the CLI turns it into exit code 2) ----------------------------------

def _one_line(excinfo, *words):
    message = str(excinfo.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_negative_mu_is_refused():
    mesh = two_blocks(1)
    with pytest.raises(InputError) as excinfo:
        SurfaceContact(mesh, "joint", "upper.zmin", "lower.zmax", mu=-0.1, penalty_MPa_per_mm=1e4)
    _one_line(excinfo, "joint", "mu", ">= 0")


def test_surfaces_that_do_not_face_each_other_are_refused():
    """The upper block's top faces the same way as the lower block's top."""
    mesh = two_blocks(1)
    with pytest.raises(InputError) as excinfo:
        SurfaceContact(mesh, "joint", "upper.zmax", "lower.zmax", penalty_MPa_per_mm=1e4, reach_mm=1.0)
    _one_line(excinfo, "joint", "do not face each other")


def test_surface_with_nothing_within_reach_is_refused():
    mesh = two_blocks(1, upper_origin=(0, 0, 3.0))
    with pytest.raises(InputError) as excinfo:
        SurfaceContact(mesh, "joint", "upper.zmin", "lower.zmax", penalty_MPa_per_mm=1e4)
    _one_line(excinfo, "joint", "within reach", "2.5")
    with pytest.raises(InputError) as excinfo:
        SurfaceContact(mesh, "ground", "upper.zmin", plane=((0, 0, 0), (0, 0, 1)), penalty_MPa_per_mm=1e4)
    _one_line(excinfo, "ground", "beyond reach")


def test_a_plane_behind_the_surface_is_refused():
    mesh = box_mesh((2, 2, 1), (1.0, 1.0, 0.5))
    with pytest.raises(InputError) as excinfo:
        SurfaceContact(mesh, "ground", "zmin", plane=((0, 0, 0), (0, 0, -1)), penalty_MPa_per_mm=1e4)
    _one_line(excinfo, "ground", "does not face the plane")


def test_unknown_facet_set_is_refused():
    mesh = two_blocks(1)
    with pytest.raises(InputError) as excinfo:
        SurfaceContact(mesh, "joint", "upper.bottom", "lower.zmax", penalty_MPa_per_mm=1e4)
    _one_line(excinfo, "joint", "upper.bottom")
