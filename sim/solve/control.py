"""Displacement control (Batoz & Dhatt 1979, Int J Numer Methods Eng 14:1262-1267): an equilibrium path
followed by stepping a scalar linear measure of the displacement, a = c . u (e.g. a rotation fitted to
nodal displacements), while the load factor lam of a reference load is an unknown:

    sum_items r(u) = f_base + lam * f_ref,      c . u = a_n + step.

Each Newton iteration factorizes the tangent K once and solves it for two right-hand sides,
K du_R = -R and K du_F = f_ref, then takes du = du_R + dlam du_F with dlam = (a - c.u - c.du_R) / (c.du_F),
so the measure is met after every full iteration and the residual R = r(u) - f_base - lam f_ref is driven
to zero (same force tolerance, line search along (du, dlam) and give-up rule as newton.py; a step shortened by
the line search leaves part of the measure's increment, which the next iteration's dlam restores, and a step
converges only with the measure met). Past a limit point of the load (K singular at fixed
load) the path goes on with a falling lam; a mechanism follows with lam near zero. The constrained DOFs keep
the values they have at the start. A step that fails is halved, down to the first step / 2**max_cutbacks;
after a converged one the step grows back (x 1.5, at most the first). end(u, lam) says where the path ends
(>= 1: reached, e.g. the larger of a fitted rotation over its maximum and lam over its maximum); a step that
passes it by more than END_TOLERANCE is redone shorter (secant on end(a)) so that the path ends on it.
"""

from dataclasses import dataclass, field

import numpy as np

from ..fem.constraints import Dirichlet
from .newton import IncrementFailed, NewtonOptions, assemble_items, check_items, hopeless, line_search, newton_step
from .tangent_solver import TangentSolver

END_TOLERANCE = 0.01  # a step may pass the path's end by this fraction of it
END_TRIES = 4  # shortened repeats of a step that passed the end
MAX_STEPS = 400  # a path that has not reached its end after this many steps stops (and says so)


@dataclass
class ControlledPath:
    """The converged states along a displacement-controlled path, the start included: displacements u_mm
    (list of (3n,)), load factors lam, measures a = c . u and Newton iterations per step; `ended`: '' when
    end() was reached, else the one-line reason the path stopped; iterations of steps that failed and were
    cut back or redone."""

    u_mm: list = field(default_factory=list)
    lam: list = field(default_factory=list)
    measure: list = field(default_factory=list)
    iterations: list = field(default_factory=list)
    ended: str = ""
    cutbacks: int = 0
    failed_iterations: int = 0


def follow_measure(items, f_base_N: np.ndarray, f_ref_N: np.ndarray, c: np.ndarray, step: float, end,
                   bc: Dirichlet, options: NewtonOptions = NewtonOptions(), u0_mm: np.ndarray | None = None,
                   lam0: float = 0.0) -> ControlledPath:
    """Follow the path from the equilibrium u0_mm (under f_base + lam0 f_ref; default zero) in steps of the
    measure c . u (c (3n,), step in its units, its sign the direction) until end(u, lam) >= 1; see the
    module docstring. Items with commit() are committed at each converged step."""
    n = len(f_ref_N)
    u = np.zeros(n) if u0_mm is None else np.array(u0_mm, float)
    free = np.ones(n, bool)
    free[bc.dofs] = False
    c = np.where(free, c, 0.0)
    if not abs(float(c @ c)) > 0:
        raise ValueError("the controlled measure has no weight on a free DOF")
    path = ControlledPath([u.copy()], [float(lam0)], [float(c @ u)], [0])
    lam, e = float(lam0), float(end(u, lam0))
    size, min_size = abs(step), abs(step) / 2**options.max_cutbacks
    symmetric = all(getattr(item, "symmetric", True) for item in items)
    with TangentSolver(symmetric) as linear:
        while e < 1.0 - END_TOLERANCE:
            if len(path.lam) > MAX_STEPS:
                path.ended = f"the path did not reach its end in {MAX_STEPS} steps"
                break
            target = path.measure[-1] + np.sign(step) * size
            for attempt in range(END_TRIES + 1):
                try:
                    u_new, lam_new, iterations = _iterate(items, f_base_N, f_ref_N, c, target, bc, u, lam, free,
                                                          linear, options)
                except IncrementFailed as failed:
                    path.failed_iterations += failed.iterations
                    u_new, reason = None, failed.reason
                    break
                e_new = float(end(u_new, lam_new))
                if e_new <= 1.0 + END_TOLERANCE or attempt == END_TRIES:
                    break
                path.failed_iterations += iterations  # passed the end: shorter, by the secant on end(a)
                a_prev = path.measure[-1]
                target = a_prev + (target - a_prev) * (1.0 - e) / max(e_new - e, 1e-300)
            if u_new is None:
                if size <= min_size * (1 + 1e-9):
                    path.ended = (f"step {len(path.lam)} (measure {path.measure[-1]:.4g} -> {target:.4g}, load "
                                  f"factor {lam:.4g}) failed after {options.max_cutbacks} cut-backs: {reason}")
                    break
                path.cutbacks += 1
                size /= 2.0
                continue
            for item in items:
                if hasattr(item, "commit"):
                    item.commit(u_new)
            u, lam, e = u_new, lam_new, e_new
            path.u_mm.append(u.copy())
            path.lam.append(lam)
            path.measure.append(float(c @ u))
            path.iterations.append(iterations)
            size = min(size * 1.5, abs(step))
    return path


def _iterate(items, f_base, f_ref, c, target, bc, u, lam, free, linear, opt):
    """Newton iterations of one step from the converged (u, lam) to c . u = target; raises IncrementFailed."""
    u = u.copy()
    zero_c = np.zeros((len(bc.dofs), 2))
    load_scale = max(float(np.linalg.norm(f_base)), float(np.linalg.norm(f_base + lam * f_ref)),
                     float(np.linalg.norm(f_ref)))
    r, K = assemble_items(items, u)
    norms, steps = [], []
    for iteration in range(opt.max_iterations + 1):
        R = r - f_base - lam * f_ref
        R_norm = float(np.linalg.norm(R[free]))
        if not np.isfinite(R_norm):
            raise IncrementFailed("the residual is not finite", iteration)
        norms.append(R_norm)
        tolerance = max(opt.rtol_force * max(load_scale, float(np.linalg.norm(r[~free]))), opt.atol_force_N)
        if iteration > 0 and R_norm <= tolerance and abs(float(c @ u) - target) <= 1e-9 * abs(target) + 1e-15:
            return u, lam, iteration
        if iteration == opt.max_iterations:
            break
        why = hopeless(norms, tolerance, opt.max_iterations, steps) if opt.give_up else None
        if why:
            raise IncrementFailed(why, iteration)
        du_R, du_F = newton_step(K, np.column_stack([R, -f_ref]), bc, zero_c, linear).T
        slope = float(c @ du_F)
        if not (np.all(np.isfinite(du_R)) and np.all(np.isfinite(du_F)) and abs(slope) > 0):
            raise IncrementFailed("the tangent stiffness is singular, or the reference load does not move the "
                              "measure", iteration)
        dlam = (target - float(c @ u) - float(c @ du_R)) / slope
        du = du_R + dlam * du_F
        # along du the load changes by dlam f_ref; the predictor (R ~ 0) takes its full step. A shortened step
        # leaves part of the measure's increment, which the next iteration's dlam restores
        g0 = float(du[free] @ -R[free]) if iteration else 0.0
        s, r, K = line_search(items, u, du, f_base + lam * f_ref, g0, opt, dlam * f_ref)
        u, lam = u + s * du, lam + s * dlam
        steps.append(s)
        reason = check_items(items, u)
        if reason:
            raise IncrementFailed(reason, iteration + 1)
    raise IncrementFailed(f"Newton did not converge in {opt.max_iterations} iterations: residual {norms[-1]:.3g} N "
                      f"(tolerance {tolerance:.3g} N)", opt.max_iterations)
