"""Displacement control (sim.solve.control): past a limit point the load factor falls along the known path of
a softening spring and of the von Mises truss (snap-through, closed form); on a linear body it equals the
force-controlled solve; failed steps are cut back; the path ends on its end bound. And Newton's early give-up
(newton.hopeless) on a stagnating or diverging residual, but not on one that converges in time."""

import numpy as np
import pytest
import scipy.sparse as sp

from sim.fem.constraints import Dirichlet
from sim.mesh.box import box_mesh
from sim.solve import LinearItem, NewtonOptions, SolveFailed, solve_increments
from sim.solve.control import END_TOLERANCE, follow_measure
from sim.solve.newton import hopeless

from newton_harness import LinearBody


class Softening:
    """A softening spring on every DOF: force u / (1 + u^2) N (peak 0.5 N at u = 1 mm); check() refuses a
    state more than `reach` mm from the last committed one (a stand-in for an item that needs small steps)."""

    def __init__(self, reach=None):
        self.reach, self.committed = reach, None

    def residual_tangent(self, u):
        with np.errstate(over="ignore", invalid="ignore"):
            return u / (1 + u**2), sp.diags((1 - u**2) / (1 + u**2) ** 2, format="csr")

    def check(self, u):
        last = np.zeros_like(u) if self.committed is None else self.committed
        if self.reach is not None and np.abs(u - last).max() > self.reach:
            return "step too large"
        return None

    def commit(self, u):
        self.committed = u.copy()


class VonMisesTruss:
    """Two bars (axial stiffness EA / L0 = k N/mm) from supports at x = +/-a to an apex at height h: the
    apex's downward displacement w (DOF 0) under a downward load P. Closed form (equilibrium of the deformed
    bars): P(w) = 2 k (h - w) (L0 / L(w) - 1) with L(w) = sqrt(a^2 + (h - w)^2), L0 = L(0): rising to a limit
    point, falling through zero at w = h (the bars flat) and negative beyond: snap-through."""

    def __init__(self, a=10.0, h=2.0, k=100.0):
        self.a, self.h, self.k = a, h, k

    def load(self, w):
        L0, L = np.hypot(self.a, self.h), np.hypot(self.a, self.h - w)
        return 2 * self.k * (self.h - w) * (L0 / L - 1)

    def residual_tangent(self, u):
        w, dw = u[0], 1e-6
        r = np.zeros_like(u)
        r[0] = self.load(w)  # the bars' resistance along w: in equilibrium with lam times a unit load
        slope = (self.load(w + dw) - self.load(w - dw)) / (2 * dw)
        return r, sp.diags([slope, 1.0], format="csr")


def test_softening_springs_are_followed_past_their_peak():
    """DOF 0 is stepped to 3 mm (past the 1 mm peak): lam = u0 / (1 + u0^2) / f0 rises to 0.5 / f0 and falls;
    DOF 1 (half the load) follows its branch u1 / (1 + u1^2) = lam f1 with u1 < 1; DOF 2 is held."""
    f_ref = np.array([1.0, 0.5, 0.0])
    c = np.array([1.0, 0.0, 0.0])
    path = follow_measure([Softening()], np.zeros(3), f_ref, c, 0.1, lambda u, lam: u[0] / 3.0,
                          Dirichlet(np.array([2]), np.zeros(1)))
    assert path.ended == ""
    u = np.array(path.u_mm)
    lam = np.array(path.lam)
    assert u[-1, 0] == pytest.approx(3.0, abs=3 * END_TOLERANCE)
    assert lam == pytest.approx(u[:, 0] / (1 + u[:, 0] ** 2), abs=1e-7)
    assert lam.max() == pytest.approx(0.5, abs=2e-3) and lam[-1] == pytest.approx(0.3, abs=0.01)
    u1 = (1 - np.sqrt(np.maximum(1 - 4 * (0.5 * lam) ** 2, 0))) / (2 * 0.5 * lam + 1e-300)
    assert u[1:, 1] == pytest.approx(u1[1:], abs=1e-6)
    assert np.all(u[:, 2] == 0.0)
    with pytest.raises(SolveFailed):  # the force-controlled solve cannot pass the peak
        solve_increments([Softening()], 0.6 * f_ref, Dirichlet(np.array([2]), np.zeros(1)),
                         NewtonOptions(increments=4, max_cutbacks=3))


def test_von_mises_truss_snaps_through_on_its_closed_form_path():
    """The apex stepped down 6 mm (three times the rise): the load factor follows P(w) past the limit point,
    through zero where the bars lie flat (w = h) and negative beyond, to 1e-6 of the peak load."""
    truss = VonMisesTruss()
    f_ref = np.array([1.0, 0.0])  # a unit downward load at the apex
    path = follow_measure([truss], np.zeros(2), f_ref, np.array([1.0, 0.0]), 0.25, lambda u, lam: u[0] / 6.0,
                          Dirichlet(np.array([1]), np.zeros(1)))
    w, lam = np.array(path.u_mm)[:, 0], np.array(path.lam)
    peak = np.abs(truss.load(np.linspace(0, 6, 601))).max()
    assert path.ended == "" and w[-1] == pytest.approx(6.0, abs=0.06)
    assert lam == pytest.approx(truss.load(w), abs=1e-6 * peak)
    assert lam.max() > 0.98 * truss.load(np.linspace(0, 2, 201)).max() and lam.min() < 0  # rose, fell, turned
    assert np.all(np.diff(w) > 0)


def test_on_a_linear_body_the_controlled_solve_is_the_force_controlled_one():
    """A block clamped at its base, a lateral load on its top: stepping the top's mean x displacement to
    0.2 mm gives the load factor 0.2 / (mean x of the unit solve) and the unit solve scaled by it, each step
    in one Newton iteration."""
    mesh = box_mesh((2, 2, 4), (1.0, 1.0, 2.0), order=1)
    body = LinearBody(mesh, {"domain": {"E_MPa": 1000.0, "nu": 0.3}})
    base, top = mesh.nodes_of("zmin"), mesh.nodes_of("zmax")
    bc = Dirichlet(np.concatenate([3 * base, 3 * base + 1, 3 * base + 2]), np.zeros(3 * len(base)))
    f = np.zeros(3 * mesh.n_nodes)
    f[3 * top] = 1.0 / len(top)
    f[3 * top + 2] = -0.5 / len(top)
    u_force = solve_increments([body], f, bc).u_mm
    c = np.zeros_like(f)
    c[3 * top] = 1.0 / len(top)
    path = follow_measure([body], np.zeros_like(f), f, c, 0.05, lambda u, lam: (c @ u) / 0.2, bc)
    lam = 0.2 / (c @ u_force)
    assert path.ended == "" and path.lam[-1] == pytest.approx(lam, rel=1e-10)
    assert path.u_mm[-1] == pytest.approx(lam * u_force, abs=1e-10 * np.abs(u_force).max() * lam)
    assert path.iterations[1:] == [1] * (len(path.lam) - 1)
    assert path.lam == pytest.approx([0.0, *[(k * 0.05) / (c @ u_force) for k in range(1, 5)]], rel=1e-10)


def test_failed_steps_are_cut_back_and_the_path_ends_on_its_bound():
    """Steps of 0.5 mm against an item that refuses moves over 0.2 mm: cut back to 0.125 mm and carried on;
    the end bound is the load factor reaching 0.45 (before the peak): the path stops on it."""
    springs = Softening(reach=0.2)
    path = follow_measure([springs], np.zeros(2), np.array([1.0, 0.0]), np.array([1.0, 0.0]), 0.5,
                          lambda u, lam: lam / 0.45, Dirichlet(np.array([1]), np.zeros(1)))
    assert path.ended == "" and path.cutbacks >= 2
    assert path.lam[-1] == pytest.approx(0.45, abs=0.45 * END_TOLERANCE)
    assert max(np.diff(np.array(path.u_mm)[:, 0])) <= 0.2 + 1e-12


def test_a_path_that_cannot_go_on_stops_and_says_why():
    springs = Softening(reach=1e-4)
    path = follow_measure([springs], np.zeros(2), np.array([1.0, 0.0]), np.array([1.0, 0.0]), 0.5,
                          lambda u, lam: u[0], Dirichlet(np.array([1]), np.zeros(1)), NewtonOptions(max_cutbacks=3))
    assert "failed after 3 cut-backs: step too large" in path.ended and len(path.lam) == 1


def test_hopeless_gives_up_on_stagnation_and_divergence_only():
    tol = 1e-6
    stagnating = [36.0 * (1 + 0.01 * np.sin(k)) for k in range(12)]
    assert hopeless(stagnating, tol, 60).startswith("Newton gave up after 11 iterations")
    assert "stagnates or grows" in hopeless([1.0 * 1.5**k for k in range(12)], tol, 60)
    slow = [10.0 * 0.9**k for k in range(12)]  # 0.9 per iteration: ~130 more needed, 48 left
    assert "falls by only" in hopeless(slow, tol, 60)
    assert hopeless(slow, tol, 500) is None  # ... in time with a larger budget
    assert hopeless(stagnating[:10], tol, 60) is None  # too early to judge
    plateau_then_fast = [10.0] * 8 + [10.0 * 0.1**k for k in range(1, 5)]  # Newton settling, then quadratic
    assert hopeless(plateau_then_fast, tol, 60) is None
    assert hopeless([3e-5] * 12, tol, 60) is None  # hovering within 100x of the tolerance


# The first two increments of a forefoot settling on the ground (forefoot_spacer_contact, 50 % bead bonded,
# 2026-12-01): residual norms (N) and line-search steps; both converged (at iterations 25 and 23), and an
# earlier rule that judged every iteration's rate gave them up (the whole case then failed).
SETTLING = [
    ([5.786, 37.48, 28.4, 18.92, 18.09, 13.08, 4.714, 2.854, 2.236, 6.272, 0.9735, 0.5903, 0.61, 0.5382, 0.07,
      0.05622, 0.05461, 0.05301, 0.05142, 0.04982, 0.04822, 0.0466, 0.04497, 0.03822, 0.04335],
     [1, 0.243, 0.334, 0.0437, 0.277, 0.641, 0.394, 1, 1, 1, 0.336, 0.108, 0.00837, 1, 0.335, 0.0268, 0.0276,
      0.0283, 0.0292, 0.0303, 0.0315, 0.033, 0.116, 0.627, 1], 5.79e-6),
    ([2.893, 9.378, 7.44, 4.868, 2.255, 0.9704, 0.7207, 1.842, 3.103, 1.827, 2.006, 1.189, 2.091, 0.981, 0.6407,
      0.6403, 0.4146, 0.3287, 0.3015, 0.1617, 0.08004, 0.06074],
     [1, 0.207, 0.346, 0.54, 0.58, 0.245, 1, 0.834, 1, 0.722, 1, 0.505, 0.648, 0.216, 0.115, 0.454, 0.235, 0.285,
      0.168, 0.51, 0.144, 1], 5.79e-6),
]


@pytest.mark.parametrize("norms, steps, tol", SETTLING)
def test_hopeless_lets_a_contact_set_settle(norms, steps, tol):
    """Damped steps and a residual that rises, then reaches new lows: never given up on the way."""
    for i in range(1, len(norms) + 1):
        assert hopeless(norms[:i], tol, 25, steps[:i - 1]) is None, i


def test_hopeless_judges_the_rate_of_full_steps_only_and_stalls_whatever_the_steps():
    tol = 1e-6
    slow = [10.0 * 0.9**k for k in range(12)]
    assert "falls by only" in hopeless(slow, tol, 60, [1.0] * 11)
    assert hopeless(slow, tol, 60, [1.0] * 8 + [0.05] + [1.0] * 2) is None  # a damped step in the window
    stuck = [50.0 * (1 + 0.001 * k) for k in range(12)]  # the 50 % bead's stall: tiny steps, residual at 50 N
    assert "stagnates or grows" in hopeless(stuck, tol, 60, [0.08, 5e-5] * 5 + [5e-5])
    # a displacement-controlled step starts at the last equilibrium (residual ~0), its first step moves it
    rotated = [8e-10] + [0.5 * 0.7**k for k in range(11)]
    assert hopeless(rotated, 2.6e-4, 60, [1.0] * 11) is None


class Chatter:
    """Unit springs whose force flips by +/-0.3 N at every evaluation: a stand-in for contact that chatters
    (the residual never falls)."""

    calls = 0

    def residual_tangent(self, u):
        self.calls += 1
        return u + 0.3 * (-1) ** self.calls, sp.identity(len(u), format="csr")


def test_newton_gives_up_on_a_stagnating_increment_in_fewer_iterations():
    """A chattering residual: every attempt (the increment and its cut-backs) fails; with give_up each one
    stops after GIVE_UP_AFTER iterations, without it after the whole max_iterations (60)."""
    from sim.solve import newton

    counts = {}
    for give_up in (False, True):
        spent = []
        original = newton._newton

        def counted(*args, **kwargs):
            try:
                return original(*args, **kwargs)
            except newton.IncrementFailed as failed:
                spent.append(failed.iterations)
                raise

        newton._newton = counted
        try:
            with pytest.raises(SolveFailed, match="gave up" if give_up else "did not converge in 60"):
                solve_increments([Chatter()], np.ones(3), Dirichlet(np.array([2]), np.zeros(1)),
                                 NewtonOptions(max_cutbacks=3, max_iterations=60, line_search=False,
                                               give_up=give_up))
        finally:
            newton._newton = original
        counts[give_up] = spent
    assert counts[False] == [60] * 4 and counts[True] == [newton.GIVE_UP_AFTER] * 4
