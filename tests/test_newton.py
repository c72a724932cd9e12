"""The incremental Newton solver on items: linear exactness, quadratic convergence, prescribed displacements,
cut-back on a check() reason and the one-line failures."""

import numpy as np
import pytest
import scipy.sparse as sp

from sim.errors import InputError
from sim.fem.constraints import Dirichlet
from sim.solve import LinearItem, NewtonOptions, SolveFailed, solve_increments


def chain(n=6, k=10.0):
    """Springs in series along one DOF per node (a (n, n) tridiagonal stiffness, N/mm)."""
    main = np.full(n, 2 * k)
    main[-1] = k
    return sp.diags([main, -k * np.ones(n - 1), -k * np.ones(n - 1)], [0, 1, -1], format="csr")


class Stiffening:
    """Springs to ground with force k u + c u^3 per DOF (N), plus a log of check() calls."""

    def __init__(self, k=1.0, c=5.0, limit=None):
        self.k, self.c, self.limit, self.committed = k, c, limit, []

    def residual_tangent(self, u):
        return self.k * u + self.c * u**3, sp.diags(self.k + 3 * self.c * u**2, format="csr")

    def check(self, u):
        if self.limit is not None and np.abs(u).max() > self.limit:
            return f"displacement {np.abs(u).max():.3g} mm beyond {self.limit} mm"
        return None

    def commit(self, u):
        self.committed.append(u.copy())


def test_linear_item_one_iteration_matches_direct_solve():
    K = chain()
    f = np.linspace(1.0, 2.0, 6)
    bc = Dirichlet(np.array([0]), np.array([0.0]))
    result = solve_increments([LinearItem(K)], f, bc)
    free = np.arange(1, 6)
    expected = np.zeros(6)
    expected[free] = np.linalg.solve(K.toarray()[np.ix_(free, free)], f[free])
    assert np.allclose(result.u_mm, expected, rtol=1e-12)
    assert result.iterations == [1]


def test_reaction_balances_the_load():
    result = solve_increments([LinearItem(chain())], np.ones(6), Dirichlet(np.array([0]), np.array([0.0])))
    assert result.r_N[0] == pytest.approx(-5.0, rel=1e-10)  # the fixed end carries the five free-node loads


def test_quadratic_convergence_and_commit_per_increment():
    item = Stiffening()
    f = np.full(3, 20.0)
    result = solve_increments([item], f, Dirichlet(np.zeros(0, int), np.zeros(0)), NewtonOptions(increments=2))
    u = result.u_mm
    assert np.allclose(u + 5 * u**3, 20.0, rtol=1e-10)
    assert len(item.committed) == 2 == len(result.lam)
    norms = np.array(result.residuals_N[-1])
    norms = norms[norms > 1e-9]
    ratio = np.log(norms[1:] / norms[:-1])
    assert (ratio[-1] / ratio[-2]) > 1.6, norms  # e_{k+1} ~ C e_k^2: the log ratios double


def test_prescribed_displacement_reached_in_increments():
    K = chain(4)
    bc = Dirichlet(np.array([0, 3]), np.array([0.0, 2.0]))
    item = Stiffening(k=0.0, c=1.0)
    result = solve_increments([LinearItem(K), item], np.zeros(4), bc, NewtonOptions(increments=3))
    assert result.u_mm[3] == pytest.approx(2.0)
    assert result.lam == pytest.approx([1 / 3, 2 / 3, 1.0])
    r, _ = LinearItem(K).residual_tangent(result.u_mm)
    assert np.allclose((r + result.u_mm**3)[1:3], 0.0, atol=1e-8 * abs(r[0]) * 10)


def test_check_reason_cuts_back_then_fails_in_one_line():
    item = Stiffening(limit=1.0)
    f = np.full(2, 20.0)  # the solution (u ~ 1.5 mm) lies beyond the limit: cut-backs cannot help
    with pytest.raises(SolveFailed) as err:
        solve_increments([item], f, Dirichlet(np.zeros(0, int), np.zeros(0)), NewtonOptions(max_cutbacks=3))
    message = str(err.value)
    assert "\n" not in message and "increment" in message and "beyond 1.0 mm" in message
    assert isinstance(err.value, InputError)


def test_cut_back_recovers_a_too_large_increment():
    item = Stiffening(limit=1.3)  # a full Newton step from 0 overshoots to 20 mm; smaller increments stay inside
    f = np.full(2, 6.0)  # solution u = 1 mm
    result = solve_increments([item], f, Dirichlet(np.zeros(0, int), np.zeros(0)),
                              NewtonOptions(line_search=False))
    assert result.cutbacks > 0
    assert np.allclose(result.u_mm, 1.0)


def test_non_convergence_names_increment_and_residual():
    with pytest.raises(SolveFailed, match=r"increment 1 .*residual .* N"):
        solve_increments([Stiffening()], np.full(2, 20.0), Dirichlet(np.zeros(0, int), np.zeros(0)),
                         NewtonOptions(max_iterations=2, max_cutbacks=1))


class Softening:
    """Springs to ground with force u / (1 + u^2) per DOF (N, u in mm): a limit point at u = 1 mm, where the
    force peaks at 0.5 N and the tangent (1 - u^2) / (1 + u^2)^2 reaches zero; no equilibrium for more."""

    def residual_tangent(self, u):
        with np.errstate(over="ignore", invalid="ignore"):  # a Newton step far beyond the limit point
            return u / (1 + u**2), sp.diags((1 - u**2) / (1 + u**2) ** 2, format="csr")


def test_a_load_beyond_a_limit_point_is_named_as_such():
    f_max = 0.5  # N
    with pytest.raises(SolveFailed) as err:
        solve_increments([Softening()], np.array([1.3 * f_max, 0.5 * f_max, 0.2 * f_max]), Dirichlet(np.zeros(0, int), np.zeros(0)),
                         NewtonOptions(increments=4))
    message = str(err.value)
    assert "\n" not in message and "limit point or buckling" in message and "node 0" in message
    assert err.value.node == 0
    below = solve_increments([Softening()], np.full(3, 0.9 * f_max), Dirichlet(np.zeros(0, int), np.zeros(0)),
                             NewtonOptions(increments=4))
    assert np.allclose(below.u_mm / (1 + below.u_mm**2), 0.9 * f_max, rtol=1e-8)


def test_non_convergence_without_a_softening_tangent_claims_no_limit_point():
    with pytest.raises(SolveFailed) as err:
        solve_increments([Stiffening()], np.full(2, 20.0), Dirichlet(np.zeros(0, int), np.zeros(0)),
                         NewtonOptions(max_iterations=2, max_cutbacks=1))
    assert "limit point" not in str(err.value) and err.value.node is None


def test_a_path_from_an_unstable_equilibrium_is_named_as_such():
    """Springs u / (1 + u^2) started beyond their limit point (u = 2 mm, tangent -0.12 N/mm, force 0.4 N) and
    pushed further: the start is an unstable equilibrium, and the failure says so."""
    u0 = np.full(3, 2.0)
    f0 = u0 / (1 + u0**2)
    with pytest.raises(SolveFailed) as err:
        solve_increments([Softening()], f0 + np.array([0.2, 0.0, 0.0]), Dirichlet(np.zeros(0, int), np.zeros(0)),
                         NewtonOptions(increments=2), u0_mm=u0, f0_N=f0)
    assert "is negative" in str(err.value) and "limit point or buckling" in str(err.value)
