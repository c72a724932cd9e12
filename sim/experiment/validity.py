"""Is a small-strain solution inside the range of small-strain theory? Its strain and rotation at one frame.

Small-strain (linear) elasticity drops the quadratic term of the Green-Lagrange strain,
E = eps + 1/2 grad(u)^T grad(u). The error of eps against E is of the order of the strain itself and,
under a rotation of theta (rad) with little stretch, of theta^2 / 2: a rigid turn by theta shows a
spurious strain of 1 - cos(theta) ~ theta^2 / 2 and stresses grow with it. At 5 % strain the stress
(and the strain's own measure) is in error by several per cent; at 5 degrees (0.087 rad) the spurious
strain is 0.4 % (theta^2 / 2 = 0.0038), no longer small beside the strains of cartilage or soft tissue
under gait loads. Beyond either limit the results are qualitative and a finite-strain solve
([analysis] kinematics = "finite", sim/model/finite.py) is the valid model.
"""

import numpy as np

from ..fem import post
from ..fem.kinematics import displacement_gradient

STRAIN_LIMIT_PERCENT = 5.0  # largest principal strain magnitude still called small (see the module docstring)
ROTATION_LIMIT_DEG = 5.0  # largest infinitesimal rotation still called small


def small_strain_range(problem, u_mm: np.ndarray, percentile: float) -> dict:
    """Columns for the case summary from displacements u_mm (3 n,) of a small-strain solve at one frame:
    peak_strain_percent, the robust peak (`percentile`, % by volume, as the stresses) over regions of
    the largest principal strain magnitude (%) of the small-strain tensor; peak_strain_region, the region
    it is in; peak_rotation_deg, the robust peak over the model of the infinitesimal rotation angle
    |w| (deg) of the skew part W = (grad u - grad u^T) / 2 of the displacement gradient, w its axial vector."""
    mesh, basis = problem.mesh, problem.basis
    g = displacement_gradient(basis.grad_cqai, u_mm.reshape(-1, 3)[mesh.cells])
    eps = 0.5 * (g + np.swapaxes(g, -1, -2))
    strain_cq = np.abs(np.linalg.eigvalsh(eps)).max(axis=-1)
    w = 0.5 * (g - np.swapaxes(g, -1, -2))
    rotation_cq = np.degrees(np.sqrt(w[..., 2, 1] ** 2 + w[..., 0, 2] ** 2 + w[..., 1, 0] ** 2))
    peaks = {name: post.weighted_percentile(strain_cq[mesh.region == rid], basis.dV_cq[mesh.region == rid],
                                            percentile)
             for rid, name in mesh.region_names.items() if (mesh.region == rid).any()}
    region = max(peaks, key=peaks.get)
    return {"peak_strain_percent": 100.0 * peaks[region], "peak_strain_region": region,
            "peak_rotation_deg": post.weighted_percentile(rotation_cq, basis.dV_cq, percentile)}


def outside_note(case_name: str, summary: dict) -> str | None:
    """One line when a small-strain case's summary (small_strain_range columns; the pseudo-joint probe's
    pseudo_joint_rotation_*_deg if present) is beyond STRAIN_LIMIT_PERCENT or ROTATION_LIMIT_DEG, else None
    (also for a finite-strain case, whose columns are NaN)."""
    strain, rotation = summary.get("peak_strain_percent", np.nan), summary.get("peak_rotation_deg", np.nan)
    probe = max((v for k, v in summary.items() if k.startswith("pseudo_joint_rotation_") and k.endswith("_deg")
                 and np.isfinite(v)), default=np.nan)
    if not np.isfinite(strain):
        return None
    parts = []
    if strain > STRAIN_LIMIT_PERCENT or rotation > ROTATION_LIMIT_DEG:
        parts.append(f"{summary['peak_strain_region']} at {strain:.3g} % strain, rotation {rotation:.2g} deg "
                     f"at the peak frame")
    if probe > ROTATION_LIMIT_DEG:
        parts.append(f"pseudo-joint probe turns {probe:.2g} deg")
    if not parts:
        return None
    return (f"case {case_name}: small strain is outside its range here ({'; '.join(parts)}; limits "
            f"{STRAIN_LIMIT_PERCENT:g} % strain, {ROTATION_LIMIT_DEG:g} deg): results there are qualitative; "
            f"rerun with [analysis] kinematics = \"finite\"")
