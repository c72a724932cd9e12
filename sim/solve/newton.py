"""Incremental Newton-Raphson on a sum of items (see items.py) with cut-back and a line search.

Solves  sum_items r(u) = f0 + lam * f_ext  with u = lam * u_prescribed on the constrained DOFs, for load factors
lam stepping from 0 to 1 (dead loads: f_ext does not follow the deformation). Each increment starts from
the last converged state; the prescribed displacements move by their increment in the first iteration
(a linearised predictor) and stay there. Convergence needs both
    |R_free| <= max(rtol_force * max(|f0|, |f0 + f_ext|, |r_constrained|), atol_force_N)   (force), and
    |du . R| <= rtol_energy * (first |du . R| of the increment)               (energy; waived once the
                                                                              residual is 1e-3 of its tolerance).
An increment whose Newton iteration fails (no convergence in max_iterations, a non-finite residual, a
singular tangent, an item's check() giving a reason, or a residual that stagnates or diverges: `hopeless`,
which gives up once the rate of the last iterations cannot reach the tolerance within the iterations left)
is halved, down to the initial step / 2**max_cutbacks;
after a converged increment the step grows back (x 1.5, at most the initial step). If it still fails, SolveFailed
(an InputError: one line, exit 2) names the increment, the load factor and the reason or the residual; when
the tangent's softest eigenvalue fell on the way or is negative (stability.py) it is a LimitPoint, which says
it is a limit point or buckling and carries the last equilibrium and its load factor (a caller may record it
as a result).
"""

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..fem.constraints import Dirichlet, constrained_matrix
from .stability import softest_mode
from .tangent_solver import TangentSolver

STABILITY_DROP = 0.2  # softest eigenvalue / its value at the start below which a failure is a limit point


class SolveFailed(InputError):
    """The incremental solve failed after all cut-backs; the message names the increment and the reason.
    node: where the softest mode of the tangent moves most when it points to a limit point, else None;
    iterations: the Newton iterations the solve spent (converged and failed increments); load_factor and
    u_mm: how far along the path (0-1) the last equilibrium u_mm (3n,) lies (None when not given)."""

    def __init__(self, message: str, node: int | None = None, iterations: int = 0,
                 load_factor: float | None = None, u_mm: np.ndarray | None = None):
        super().__init__(message)
        self.node, self.iterations, self.load_factor, self.u_mm = node, iterations, load_factor, u_mm


class LimitPoint(SolveFailed):
    """The load path ended at a limit point or buckling (stability.py said so): there is no equilibrium
    near for more load, a result of the structure, not of the solver. load_factor: how far along the
    path (0-1) the last equilibrium u_mm (3n,) lies."""

    def __init__(self, message: str, node: int, load_factor: float, u_mm: np.ndarray, iterations: int = 0):
        super().__init__(message, node, iterations, load_factor, u_mm)


@dataclass(frozen=True)
class NewtonOptions:
    """increments: initial number of equal load increments; max_cutbacks: halvings of the initial step
    before a failing increment is given up."""

    increments: int = 1
    max_cutbacks: int = 6
    max_iterations: int = 25
    rtol_force: float = 1e-8
    rtol_energy: float = 1e-8
    atol_force_N: float = 1e-9
    line_search: bool = True
    max_line_search: int = 6
    give_up: bool = True  # stop an increment early when its residual stagnates or diverges (hopeless)


@dataclass
class NewtonResult:
    """Converged displacement u_mm (3n,), internal force r_N (3n,) (reactions at constrained DOFs) and a
    history: per converged increment (load factor, Newton iterations, residual norms in N)."""

    u_mm: np.ndarray
    r_N: np.ndarray
    lam: list = field(default_factory=list)
    iterations: list = field(default_factory=list)
    residuals_N: list = field(default_factory=list)
    cutbacks: int = 0
    failed_iterations: int = 0  # Newton iterations spent in increments that failed and were cut back


def assemble_items(items, u_mm: np.ndarray):
    """Summed internal force (N) and tangent (N/mm) of all items at u."""
    r, K = None, None
    for item in items:
        ri, Ki = item.residual_tangent(u_mm)
        r = ri if r is None else r + ri
        K = Ki if K is None else K + Ki
    return r, K.tocsr()


class IncrementFailed(Exception):
    """One increment failed; `reason` is the one-line why, `iterations` the Newton iterations it took."""

    def __init__(self, reason: str, iterations: int = 0):
        super().__init__(reason)
        self.reason, self.iterations = reason, iterations


GIVE_UP_AFTER = 10  # iterations before an increment may be called hopeless
STALL_WINDOW = 8  # iterations within which the residual must reach a new low ...
STALL_FRACTION = 0.9  # ... below this fraction of its lowest value before them
RATE_WINDOW = 4  # iterations over which the residual's rate of decrease is measured
RATE_SLACK = 2.0  # how much faster than its recent rate the residual may still get (Newton speeding up)


def hopeless(norms: list, tolerance: float, max_iterations: int, steps: list | None = None) -> str | None:
    """Why an increment's Newton iteration will not converge, judged from its residual norms (N) so far and
    the line search's step lengths (steps, one per iteration taken; None: all full steps), else None. After
    GIVE_UP_AFTER iterations: (1) stagnating or diverging: no residual of the last STALL_WINDOW iterations
    fell below STALL_FRACTION of the lowest one before them from the first step on (a residual that rises
    while a contact set changes, then reaches a new low, is not; the residual before the first step is left
    out: in a displacement-controlled step it is the last equilibrium's, about zero); (2) converging too slowly: over the last RATE_WINDOW
    iterations, each a full Newton step, the mean rate rho = (R_i / R_{i-w})^(1/w) needs log(tol / R) /
    log(rho) more iterations than RATE_SLACK x the iterations left. A damped step's rate is the line
    search's, not Newton's: once the contact set settles a full step may converge at once (the forefoot
    settling on the ground: 25 iterations, steps of 0.03 for eight of them, then converged). A residual that
    only hovers near the tolerance (within 100x) is never given up."""
    iteration = len(norms) - 1
    if iteration < max(GIVE_UP_AFTER, STALL_WINDOW) or norms[-1] <= 100 * tolerance:
        return None
    before = min(norms[1:-STALL_WINDOW])  # from the first step on (see above)
    if not min(norms[-STALL_WINDOW:]) < STALL_FRACTION * before:
        return (f"Newton gave up after {iteration} iterations: the residual {norms[-1]:.3g} N stagnates or grows "
                f"(no new low below {STALL_FRACTION:g} x {before:.3g} N in the last {STALL_WINDOW}; tolerance "
                f"{tolerance:.3g} N)")
    if steps is not None and any(s < 1.0 for s in steps[-RATE_WINDOW:]):
        return None
    rho = (norms[-1] / norms[-1 - RATE_WINDOW]) ** (1.0 / RATE_WINDOW) if norms[-1 - RATE_WINDOW] > 0 else 1.0
    if not rho < 1.0:
        return None  # a full step that did not reduce the residual here: judged by (1) as iterations go on
    needed = np.log(tolerance / norms[-1]) / np.log(rho)
    if needed > RATE_SLACK * (max_iterations - iteration):
        return (f"Newton gave up after {iteration} iterations: the residual {norms[-1]:.3g} N falls by only "
                f"x {rho:.3g} per iteration, about {needed:.0f} more to the tolerance {tolerance:.3g} N")
    return None


def solve_increments(items, f_ext_N: np.ndarray, bc: Dirichlet, options: NewtonOptions = NewtonOptions(),
                     u0_mm: np.ndarray | None = None, f0_N: np.ndarray | None = None) -> NewtonResult:
    """Follow lam = 0 -> 1 in increments; returns the converged state at lam = 1 (see module docstring).

    To continue from an equilibrium (u0_mm under load f0_N), the load runs f0 + lam (f_ext - f0) and the
    prescribed values from u0's to bc's.
    """
    n = len(f_ext_N)
    f0 = np.zeros(n) if f0_N is None else f0_N
    u = np.zeros(n) if u0_mm is None else np.array(u0_mm, float)
    u_start_c, u_first = u[bc.dofs].copy(), u.copy()
    symmetric = all(getattr(item, "symmetric", True) for item in items)
    free = np.ones(n, bool)
    free[bc.dofs] = False
    result = NewtonResult(u, np.zeros(n))
    lam, step0 = 0.0, 1.0 / max(int(options.increments), 1)
    step, min_step, number = step0, step0 / 2**options.max_cutbacks, 1
    with TangentSolver(symmetric) as linear:  # one symbolic analysis per tangent pattern, freed at the end
        while lam < 1.0 - 1e-12:
            target = min(lam + step, 1.0)
            try:
                u_new, r_new, iterations, norms = _newton(items, f0, f_ext_N - f0, bc, u, u_start_c, lam, target,
                                                          free, linear, options)
            except IncrementFailed as failed:
                result.failed_iterations += failed.iterations
                if step <= min_step * (1 + 1e-9):
                    note, node = stability_note(items, u_first, u, free)
                    message = (f"increment {number} (load factor {lam:.4g} -> {target:.4g}) failed after "
                               f"{options.max_cutbacks} cut-backs: {failed.reason}{note}")
                    spent = sum(result.iterations) + result.failed_iterations
                    raise (SolveFailed(message, None, spent, lam, u) if node is None
                           else LimitPoint(message, node, lam, u, spent)) from None
                result.cutbacks += 1
                step /= 2.0
                continue
            for item in items:
                if hasattr(item, "commit"):
                    item.commit(u_new)
            u, lam, number = u_new, target, number + 1
            result.lam.append(lam)
            result.iterations.append(iterations)
            result.residuals_N.append(norms)
            step = min(step * 1.5, step0)
            result.u_mm, result.r_N = u, r_new
    return result


def _newton(items, f0, f_ext, bc, u, u_start_c, lam0, lam, free, linear, opt):
    """Newton iterations of one increment from the converged u at lam0 to lam; raises IncrementFailed."""
    u = u.copy()
    du_c = u_start_c + lam * (bc.values_mm - u_start_c) - u[bc.dofs]
    f = f0 + lam * f_ext
    load_scale = max(float(np.linalg.norm(f0)), float(np.linalg.norm(f0 + f_ext)))  # of the whole path
    r, K = assemble_items(items, u)
    energy0, energy, norms, steps = None, 0.0, [], []
    for iteration in range(opt.max_iterations + 1):
        R = r - f
        R_norm = float(np.linalg.norm(R[free]))
        norms.append(R_norm)
        if not np.isfinite(R_norm):
            raise IncrementFailed("the residual is not finite", iteration)
        reference = max(load_scale, float(np.linalg.norm(r[~free])))
        tolerance = max(opt.rtol_force * reference, opt.atol_force_N)
        if energy0:  # after a step: the energy criterion (waived at round-off)
            energy_ok = energy <= opt.rtol_energy * energy0 or R_norm <= 1e-3 * tolerance
        else:  # before any step: converged only if nothing is prescribed to move
            energy_ok = not du_c.any()
        if R_norm <= tolerance and energy_ok:
            return u, r, iteration, norms
        if iteration == opt.max_iterations:
            break
        why = hopeless(norms, tolerance, opt.max_iterations, steps) if opt.give_up else None
        if why:
            raise IncrementFailed(why, iteration)
        du = newton_step(K, R, bc, du_c, linear)
        if not np.all(np.isfinite(du)):
            raise IncrementFailed("the tangent stiffness is singular", iteration)
        r_old = r
        slope = 0.0 if du_c.any() else float(du[free] @ -R[free])  # the predictor takes its full step
        s, r, K = line_search(items, u, du, f, slope, opt)
        u = u + s * du
        steps.append(s)
        reason = check_items(items, u)
        if reason:
            raise IncrementFailed(reason, iteration + 1)
        energy = abs(s * float(du[free] @ (r - f)[free]))
        if energy0 is None:  # the work of the first step: du K du for a linear body
            energy0 = abs(s * float(du @ (r - r_old))) or np.inf
        du_c = np.zeros_like(du_c)
    raise IncrementFailed(f"Newton did not converge in {opt.max_iterations} iterations: residual {norms[-1]:.3g} N "
                     f"(tolerance {tolerance:.3g} N)", opt.max_iterations)


def newton_step(K, R, bc, du_c, linear):
    """Solve K du = -R on the free DOFs with du = du_c on the constrained ones; R (n,) or several
    right-hand sides (n, k) with du_c (c,) or (c, k), all with one factorization."""
    diagonal = float(np.abs(K.diagonal()).mean()) or 1.0
    Kc = constrained_matrix(K, bc.dofs, diagonal)
    u_c = np.zeros(R.shape)
    u_c[bc.dofs] = du_c
    rhs = -R - K @ u_c
    rhs[bc.dofs] = diagonal * du_c
    try:
        return linear.solve(Kc, rhs)
    except (RuntimeError, ValueError) as exc:  # a singular factorization
        raise IncrementFailed(f"the tangent stiffness is singular ({exc})") from None


def stability_note(items, u_first, u, free) -> tuple[str, int | None]:
    """Why a load path ends, when the tangent says so: its softest eigenvalue at the last equilibrium is
    negative (that equilibrium is unstable: past a limit point or a bifurcation, e.g. a straight column above
    its buckling load) or fell below a fifth of its value at the path's start (a limit point or buckling is
    near: no equilibrium for a larger load); with the node the mode moves most. Else ("", None)."""
    start, _ = softest_mode(assemble_items(items, u_first)[1], free)
    last, mode = softest_mode(assemble_items(items, u)[1], free)
    if last > 0 and (start <= 0 or last > STABILITY_DROP * start):
        return "", None
    node = int(np.argmax(np.linalg.norm(mode.reshape(-1, 3), axis=1)))
    how = (f"is negative ({last:.3g} N/mm) at the last equilibrium, which is unstable" if last <= 0 else
           f"fell from {start:.3g} to {last:.3g} N/mm on the way")
    return (f"; the softest tangent stiffness eigenvalue {how} (largest motion at node {node}): a limit point "
            f"or buckling, not a solver tolerance"), node


def check_items(items, u) -> str | None:
    """The first item's reason (one line) to refuse the state u, else None."""
    for item in items:
        reason = item.check(u) if hasattr(item, "check") else None
        if reason:
            return reason
    return None


def line_search(items, u, du, f, g0, opt, df=None):
    """Step length s in (0, 1] along du making the slope du . (f + s df - r(u + s du)) small (secant steps
    from the slope g0 at s = 0; s = 1 when it already dropped to half); df: the change of the load along the
    step (displacement control), default none. Returns s and r, K at u + s du."""
    r, K = assemble_items(items, u + du)
    if not opt.line_search or g0 <= 0:
        return 1.0, r, K
    load = (lambda s: f) if df is None else (lambda s: f + s * df)
    s_prev, g_prev, s, g = 0.0, g0, 1.0, float(du @ (load(1.0) - r))
    for _ in range(opt.max_line_search):
        if np.isfinite(g) and (abs(g) <= 0.5 * g0 or g == g_prev):
            break
        if np.isfinite(g):
            s_prev, g_prev, s = s, g, float(np.clip(s - g * (s - s_prev) / (g - g_prev), 0.1 * s, 1.0))
        else:  # the step left the domain of the law (e.g. J <= 0): halve it
            s = 0.5 * s
        r, K = assemble_items(items, u + s * du)
        g = float(du @ (load(s) - r))
    return s, r, K
