"""The contact item's tangent (sim.contact.surface_item) against central differences of its residual, state by
state: frictionless, and Coulomb sticking, slipping and on either side of the stick-slip switch; a block on a
rigid plane and two independently meshed blocks (mortar, master-slave); small motion, and finite sliding
(the slave block turned by 0.5 rad in the plane of contact and slid by 0.15 facet sizes before the history
is committed, so that the stick points, the frozen normals and the segmentation are far from the reference;
the mortar's slave stays inside the master, whose edge would otherwise cross the contact zone: below).

What is exact and what is not, on purpose:
- At fixed history (the stick points and their normals of the last commit, `commit`) the return map's
  tangent is exact: stick penalty I, slip mu p / |g_T| (I - t t) (the slip direction's derivative) plus the
  coupling to the normal pressure, d(mu p t). Tested to rtol 1e-6 (below).
- The first evaluation after a commit returns the elastic predictor's tangent (every node in contact
  sticking), documented in SurfaceContact._friction; the tests take the tangent from the second call.
- Mortar: the tangent holds the segmentation (the pieces of each slave facet and their quadrature points).
  The piece boundaries are where the closest point passes from one master facet to the next; the integrand
  is continuous there when the master is flat, so moving a boundary changes nothing to first order. It is
  not exact where the master has a crease and the gap is not zero (each master facet projects along its own
  normal, so pieces leave a gap or overlap of width |gap| x crease angle), nor where the master's edge lies
inside the contact zone (the covered part of a slave facet then moves with the edge). The tests therefore check (1) the
  tangent with the segmentation frozen, over every DOF, and (2) the tangent with the segmentation free for
  motions of the slave nodes over a flat master (no crease: exact).

Tolerance: central differences with h = 1e-7 mm on residuals of order penalty x gap x area have a
truncation error ~ h^2 (1e-14, relative) and a round-off error ~ 1e-16 |r| / h (1e-9, relative); measured
1e-10 to 3e-9. rtol 1e-6 leaves three decades of margin and still catches a missing term: dropping the
pressure coupling of a slipping node is an error of order 1 (relative, at mu 0.3), a slip direction's
derivative left out as well, and the predictor's stick tangent in slip is an error of penalty |g_T| / (mu p)
(3 here). Near the switch the trial traction is put 1e-3 of mu p inside or outside the cone, 1e4 times the
differencing step, so that the differences stay on one side of the switch.
"""

import numpy as np
import pytest

from sim.contact.surface_item import OPEN, SLIP, STICK, SurfaceContact
from sim.mesh.box import box_mesh
from test_surface_contact import two_blocks

H_MM = 1e-7
RTOL = 1e-6
PENALTY = 1e3  # MPa/mm
MU = 0.3
DEPTH_MM = 0.01  # penetration: pressure PENALTY * DEPTH_MM = 10 MPa at every node
# tangential motion after the commit, as a multiple of the slip at which the trial traction reaches mu p
STATES = {"stick": 0.2, "slip": 3.0, "below switch": 1 - 1e-3, "above switch": 1 + 1e-3}
EXPECTED = {"stick": STICK, "slip": SLIP, "below switch": STICK, "above switch": SLIP}
TURN_RAD = {"small": 0.0, "finite": 0.5}


def turned(X, angle, centre):
    """Displacement (n, 3) of turning points X about the vertical axis through centre by angle (rad)."""
    c, s = np.cos(angle), np.sin(angle)
    return (X - centre) @ np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]).T + centre - X


def case(kind: str, order: int, mu: float, kinematics: str, state: str):
    """The item and a displacement u (3 n,) at which every slave node is in contact in the given state."""
    if kind == "plane":
        mesh = box_mesh((2, 2, 1), (1.0, 1.0, 0.5), order=order)
        item = SurfaceContact(mesh, "t", "zmin", plane=((0, 0, 0), (0, 0, 1)), mu=mu, penalty_MPa_per_mm=PENALTY)
        moving = np.arange(mesh.n_nodes)
    else:
        mesh = two_blocks(order, (2, 2, 1), (3, 2, 1), (0.6, 0.6, 0.5), (0.2, 0.2, 0.5))
        item = SurfaceContact(mesh, "t", "upper.zmin", "lower.zmax", mu=mu, penalty_MPa_per_mm=PENALTY)
        moving = mesh.nodes_of("upper")
    angle = TURN_RAD[kinematics]
    u = np.zeros((mesh.n_nodes, 3))
    u[moving] = turned(mesh.nodes_mm[moving], angle, [0.5, 0.5, 0.0]) + [0.1 * angle, 0.06 * angle, -DEPTH_MM]
    item.commit(u.ravel(), track_slip=False)  # the stick points where the nodes are now
    u[moving, 0] += (mu or MU) * DEPTH_MM * STATES[state]  # the slip at the switch is mu p / penalty
    u = u.ravel()
    status = item.state(u).status
    assert (status == (EXPECTED[state] if mu > 0 else STICK)).all() and (status != OPEN).all()
    return item, u


def freeze_segmentation(item, u):
    """Hold the mortar pieces and quadrature points of u in every later evaluation (what the tangent does)."""
    points = item._points(item._current(u))
    item._points = lambda x: points


def worst_error(item, u, directions) -> float:
    """max |FD - K v| / max |K v| over the directions v, with K from the second call after the commit."""
    item.residual_tangent(u)
    _, K = item.residual_tangent(u)
    worst = 0.0
    for v in directions:
        fd = (item.residual_tangent(u + H_MM * v)[0] - item.residual_tangent(u - H_MM * v)[0]) / (2 * H_MM)
        worst = max(worst, np.abs(fd - K @ v).max() / np.abs(K @ v).max())
    return worst


def random_directions(n_dofs, rng, count=2, nodes=None):
    out = rng.uniform(-1.0, 1.0, (count, n_dofs))
    if nodes is not None:  # only these nodes move
        mask = np.zeros((n_dofs // 3, 3))
        mask[nodes] = 1.0
        out *= mask.ravel()
    return out


COMBINATIONS = [(mu, state) for mu in (0.0, MU) for state in STATES if mu > 0 or state == "slip"]


@pytest.mark.parametrize("kinematics", TURN_RAD)
@pytest.mark.parametrize("mu, state", COMBINATIONS)
@pytest.mark.parametrize("order", [1, 2])
def test_tangent_on_a_rigid_plane_is_exact(order, mu, state, kinematics):
    item, u = case("plane", order, mu, kinematics, state)
    assert worst_error(item, u, random_directions(len(u), np.random.default_rng(0))) < RTOL


@pytest.mark.parametrize("kinematics", TURN_RAD)
@pytest.mark.parametrize("mu, state", COMBINATIONS)
@pytest.mark.parametrize("order", [1, 2])
def test_mortar_tangent_with_the_segmentation_held_is_exact(order, mu, state, kinematics):
    item, u = case("mortar", order, mu, kinematics, state)
    freeze_segmentation(item, u)
    assert worst_error(item, u, random_directions(len(u), np.random.default_rng(1))) < RTOL


@pytest.mark.parametrize("kinematics", TURN_RAD)
@pytest.mark.parametrize("mu, state", [(0.0, "slip"), (MU, "stick"), (MU, "slip")])
@pytest.mark.parametrize("order", [1, 2])
def test_mortar_tangent_over_a_flat_master_is_exact_with_the_segmentation_free(order, mu, state, kinematics):
    """The slave block moves (the pieces' boundaries move with it), the master stays flat."""
    item, u = case("mortar", order, mu, kinematics, state)
    directions = random_directions(len(u), np.random.default_rng(2), nodes=item.slave.nodes)
    assert worst_error(item, u, directions) < RTOL
