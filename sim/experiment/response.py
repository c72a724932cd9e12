"""How a case answers load frames: by superposing six unit-load solutions (bonded, small strain: linear)
or incrementally (contact, friction, finite strain), behind one call.

A load frame is a force (N) and a moment (N mm) at the load point (metrics.LoadBasis). Both strategies
are called as strategy(force_N (k, 3), moment_Nmm (k, 3)) -> frames, with displacements u_mm (3 n, k),
`contact` (the interface results, or None), `limit` (under finite strain, where the path ended at a limit
point or buckling: sim.model.finite.Limit, the frames from it on NaN; else None) and block(frames) -> a
FrameBlock for some of the frames: what the metrics need of their strain and stress fields (c, q, 6) at
the quadrature points (stress in MPa).
"""

from functools import cached_property

import numpy as np

from ..contact import ContactDidNotConverge
from ..errors import InputError
from ..fem import post
from ..model.finite import FiniteProblem
from .metrics import load_coefficients

# von Mises as a quadratic form of Voigt stress: vm^2 = s . P s (deviatoric normal part, shear x 3)
_VON_MISES_P = np.block([[1.5 * np.eye(3) - 0.5 * np.ones((3, 3)), np.zeros((3, 3))],
                         [np.zeros((3, 3)), 3.0 * np.eye(3)]])
_UPPER = np.triu_indices(6)


class Superposed:
    """A linear case: the six unit loads are solved once (one factorization, six right-hand sides) and
    their strain and stress fields computed once; any frame is the combination of them its force and
    moment components give. The number of frames then costs almost nothing. Both are computed on first
    use (the solve with the first frames asked for, the fields with the first frame's metrics)."""

    def __init__(self, problem, loads):
        self.problem, self.loads = problem, loads

    @cached_property
    def u_unit(self) -> np.ndarray:
        """Displacements (3 n, 6) in mm per N (forces) or per N mm (moments) of the unit loads."""
        return self.problem.solve(self.loads.unit)

    @cached_property
    def unit_fields(self) -> tuple[np.ndarray, np.ndarray]:
        """Strain (6, c, q, 6) and stress (6, c, q, 6, MPa) of the unit loads."""
        unit = [self.problem.strain_stress(u) for u in self.u_unit.T]
        return np.stack([e for e, _ in unit]), np.stack([s for _, s in unit])

    @cached_property
    def von_mises_form(self) -> np.ndarray:
        """Per quadrature point the upper triangle (c, q, 21) of the 6 x 6 matrix A with vm^2 = a . A a
        for unit-load coefficients a (off-diagonal entries doubled)."""
        s = self.unit_fields[1]
        A = np.einsum("icql,jcql->cqij", s @ _VON_MISES_P, s)
        return (A + np.triu(np.ones((6, 6)), 1) * A)[..., _UPPER[0], _UPPER[1]]

    def __call__(self, force_N, moment_Nmm) -> "SuperposedFrames":
        return SuperposedFrames(self, load_coefficients(force_N, moment_Nmm))


class SuperposedFrames:
    """The response to k load frames of a Superposed case."""

    contact = None
    limit = None
    block_size = 32  # frames whose von Mises fields (c, q) are held at once

    def __init__(self, response: Superposed, coefficients: np.ndarray):
        self.response, self.coefficients = response, coefficients
        self.u_mm = response.u_unit @ coefficients

    def block(self, frames) -> "SuperposedBlock":
        return SuperposedBlock(self.response, self.coefficients[:, frames])


class SuperposedBlock:
    """Some frames of a Superposed case: each metric is the unit loads' combined (coefficients a (6, b))."""

    def __init__(self, response: Superposed, a: np.ndarray):
        self.response, self.a = response, a

    def von_mises(self) -> np.ndarray:
        """von Mises stress (b, c, q) in MPa."""
        aa = (self.a[:, None, :] * self.a[None, :, :])[_UPPER]  # (21, b)
        return np.sqrt(np.maximum(np.moveaxis(self.response.von_mises_form @ aa, -1, 0), 0.0))

    def stress_at(self, cells: np.ndarray) -> np.ndarray:
        """Stress (b, n, q, 6) in MPa in the n cells of a mask (c,)."""
        return np.einsum("jb,jnql->bnql", self.a, self.response.unit_fields[1][:, cells])

    def linear(self, measure) -> np.ndarray:
        """measure(strain, stress) for each frame (b, ...), for a measure linear in the fields."""
        units = np.stack([measure(e, s) for e, s in zip(*self.response.unit_fields)])
        return np.tensordot(self.a.T, units, 1)


class Incremental:
    """A case with contact, friction or finite strain: the frames are followed as one sequence, each from
    the previous one (ContactProblem, sim.contact.sliding or FiniteProblem.solve_sequence); stresses frame by
    frame."""

    def __init__(self, problem, loads):
        self.problem, self.loads = problem, loads

    def __call__(self, force_N, moment_Nmm) -> "SequenceFrames":
        F = self.loads.vectors(force_N, moment_Nmm)
        if isinstance(self.problem, FiniteProblem):  # a limit point ends the path as a result
            return SequenceFrames(self.problem, *self.problem.follow(F))
        try:
            result = self.problem.solve_sequence(F)
        except ContactDidNotConverge as exc:
            raise InputError(f"contact did not converge: {exc}") from None
        return SequenceFrames(self.problem, result)

    def trace(self, force_N, moment_Nmm, c, step, end):
        """Displacement control (finite strain only): the force force_N (3,) at the load point applied from
        rest, then the moment moment_Nmm (3,) scaled by an unknown factor lam while c . u (c (3n,)) is
        stepped by `step` until end(u, lam) >= 1 (FiniteProblem.trace: the path and None, or None and the
        Limit where the force alone is not carried)."""
        zero = np.zeros((1, 3))
        f_base = self.loads.vectors(np.reshape(force_N, (1, 3)), zero)[:, 0]
        f_ref = self.loads.vectors(zero, np.reshape(moment_Nmm, (1, 3)))[:, 0]
        return self.problem.trace(f_base, f_ref, c, step, end)

    def contact_states(self, U: np.ndarray):
        """The interfaces' normal contact at the states U (3n, k) (sim.contact.sliding.contact_states), None
        without sliding contact."""
        states = getattr(self.problem, "contact_states", None)
        return states(U) if states is not None else None


class SequenceFrames:
    """The response to k load frames of an Incremental case; `contact` holds the interface results of a
    contact sequence (ContactResult or sliding.SlidingResult; None without interfaces to solve); `limit`
    where a finite-strain path ended at a limit point (the frames from it on are NaN), else None."""

    block_size = 4  # frames whose strain and stress fields (c, q, 6) are held at once

    def __init__(self, problem, result, limit=None):
        self.problem, self.limit = problem, limit
        self.contact = None if isinstance(result, np.ndarray) else result
        self.u_mm = result if self.contact is None else result.u_mm

    def block(self, frames) -> "FieldBlock":
        fields = [self.problem.strain_stress(u) if np.isfinite(u).all() else self._not_reached()
                  for u in self.u_mm[:, frames].T]
        return FieldBlock(np.stack([e for e, _ in fields]), np.stack([s for _, s in fields]))


    def _not_reached(self):
        """NaN strain and stress fields of a frame beyond a limit point."""
        e, s = self.problem.strain_stress(np.zeros(self.problem.n_dofs))
        return np.full_like(e, np.nan), np.full_like(s, np.nan)


class FieldBlock:
    """Some frames given by their strain and stress fields (b, c, q, 6)."""

    def __init__(self, strain: np.ndarray, stress: np.ndarray):
        self.strain, self.stress = strain, stress

    def von_mises(self) -> np.ndarray:
        return post.von_mises(self.stress)

    def stress_at(self, cells: np.ndarray) -> np.ndarray:
        return self.stress[:, cells]

    def linear(self, measure) -> np.ndarray:
        return np.stack([measure(e, s) for e, s in zip(self.strain, self.stress)])
