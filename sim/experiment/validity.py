"""Is a solution inside the range where its numbers mean something? Small strain: its strain and rotation at
one frame (outside_note). Contact: whether an interface's pressure peak sits on a sharp edge (sharp_edge_note).

Small-strain (linear) elasticity drops the quadratic term of the Green-Lagrange strain,
E = eps + 1/2 grad(u)^T grad(u). Relative to eps the dropped term grows with the strain (about eps / 2
in a uniaxial stretch: 2.5 % at 5 % strain) and, under a rotation by theta (rad), with theta^2: a rigid
turn by theta shows a spurious strain cos(theta) - 1 ~ -theta^2 / 2, and stresses with it. At 5 degrees
(0.087 rad) that is 0.4 %, no longer small beside the strains of bone and cement under gait loads
(0.1-1 %). Beyond either limit the results are qualitative and a finite-strain solve
([analysis] kinematics = "finite", sim/model/finite.py) is the valid model.

A contact pressure peak on a sharp edge of either body (a flat punch's edge on a surface: p ~ 1 / sqrt(r) at
distance r from the edge; Johnson 1985, Contact Mechanics, ch. 5) is a singular point of the geometry: its
99th percentile grows as the mesh is refined and is not a value. A rounded edge (a surgeon's rasped cut,
[geometry.resection] edge_radius_mm) and cement moulded over the cut face ([geometry.spacer] conform_to_cut)
remove it.
"""

import numpy as np

from ..fem import post
from ..fem.kinematics import displacement_gradient

STRAIN_LIMIT_PERCENT = 5.0  # largest principal strain magnitude still called small (see the module docstring)
ROTATION_LIMIT_DEG = 5.0  # largest infinitesimal rotation still called small
# A rigid rotation by theta has |w| = sin(theta), at most 57.3 deg as a measure: beyond about 45 deg the measure
# no longer reads as an angle (the linear solution has left rotations behind), so the line says "more than".
REAL_ANGLE_LIMIT_DEG = 45.0
# summary columns <interface>_p99_on_sharp_edge and _p99_on_rim (experiment.interfaces.interface_columns, at
# the frame of the interface's largest p99) and the p99 they refer to, <interface>_contact_pressure_p99_MPa
PEAK_PLACES = ("_p99_on_sharp_edge", "_p99_on_rim")
P99_SUFFIX = "_contact_pressure_p99_MPa"
NOT_CHECKED = {"peak_strain_percent": float("nan"), "peak_strain_region": "", "peak_rotation_deg": float("nan"),
               "peak_rotation_region": ""}  # the columns of a finite-strain case, which needs no such check


def small_strain_range(problem, u_mm: np.ndarray, percentile: float) -> dict:
    """Columns for the case summary from displacements u_mm (3 n,) of a small-strain solve at one frame, each
    a robust peak per region (`percentile`, % by volume, as the stresses) and its largest over the regions:
    peak_strain_percent (and peak_strain_region), the largest principal strain magnitude (%) of the
    small-strain tensor; peak_rotation_deg (and peak_rotation_region), the infinitesimal rotation angle |w|
    (deg) of the skew part W = (grad u - grad u^T) / 2 of the displacement gradient, w its axial vector."""
    mesh, basis = problem.mesh, problem.basis
    g = displacement_gradient(basis.grad_cqai, u_mm.reshape(-1, 3)[mesh.cells])
    eps = 0.5 * (g + np.swapaxes(g, -1, -2))
    w = 0.5 * (g - np.swapaxes(g, -1, -2))
    measures = {"strain": 100.0 * np.abs(np.linalg.eigvalsh(eps)).max(axis=-1),
                "rotation": np.degrees(np.sqrt(w[..., 2, 1] ** 2 + w[..., 0, 2] ** 2 + w[..., 1, 0] ** 2))}
    out = {}
    for measure, unit in (("strain", "percent"), ("rotation", "deg")):
        peaks = {name: stats[f"p{percentile:g}"]
                 for name, stats in post.region_stats(basis, measures[measure], percentile).items()}
        region = max(peaks, key=peaks.get)
        out[f"peak_{measure}_{unit}"], out[f"peak_{measure}_region"] = peaks[region], region
    return out


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
        turning = f"{rotation:.3g} deg" if rotation <= REAL_ANGLE_LIMIT_DEG else f"more than {REAL_ANGLE_LIMIT_DEG:g} deg"
        parts.append(f"{summary['peak_strain_region']} at {strain:.3g} % strain, {summary['peak_rotation_region']} "
                     f"turning {turning} at the peak frame")
    if probe > ROTATION_LIMIT_DEG:
        parts.append(f"pseudo-joint probe turns {probe:.3g} deg")
    if not parts:
        return None
    return (f"case {case_name}: small strain is outside its range here ({'; '.join(parts)}; limits "
            f"{STRAIN_LIMIT_PERCENT:g} % strain, {ROTATION_LIMIT_DEG:g} deg): results there are qualitative; "
            f"rerun with [analysis] kinematics = \"finite\"")


def sharp_edge_note(case_name: str, summary: dict) -> str | None:
    """One line when the top 1 % of an interface's contact pressure sits on a sharp edge or on the rim of
    the interface (summary columns <interface>_p99_on_sharp_edge, _p99_on_rim true), naming the interfaces
    and their p99 (MPa), else None."""
    def named(suffix):
        return [k.removesuffix(suffix) for k, v in summary.items() if k.endswith(suffix) and v is True]

    def listed(names):
        return ", ".join(f"{n} ({summary.get(n + P99_SUFFIX, float('nan')):.3g} MPa)" for n in names)

    edge, rim = named(PEAK_PLACES[0]), named(PEAK_PLACES[1])
    rim = [n for n in rim if n not in edge]
    parts = ([f"at a sharp edge at {listed(edge)}: a singular point of the geometry, not mesh-converged (a "
              f"rounded cut and moulded cement remove it: [geometry.resection] edge_radius_mm, [geometry.spacer] "
              f"conform_to_cut)"] if edge else []) + (
        [f"at the rim of {listed(rim)}, where the surfaces that can touch end and the pressure has not fallen to "
         f"zero: it depends on the mesh and the contact penalty there (README, \"Contact at the stump\")"]
        if rim else [])
    return f"case {case_name}: p99 contact pressure {'; '.join(parts)}" if parts else None
