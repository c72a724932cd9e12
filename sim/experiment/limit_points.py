"""Limit points as results: where a finite-strain case's load path ended because the structure has no
equilibrium near for more load (the segment folds at the pseudo-joint or buckles; sim.solve.newton
LimitPoint), recorded in the summary and named in the run output instead of failing the run."""

import math

import numpy as np


def gait_limit(limit, gait) -> dict:
    """Where the gait sequence ended at a limit point: the stance percent of the frame not reached, the
    force (N, magnitude) and its axial part at the last equilibrium, and the solver's line; NaN and empty
    when every frame was reached. limit: sim.model.finite.Limit or None."""
    if limit is None:
        return {"gait_limit_stance_percent": float("nan"), "gait_limit_force_N": float("nan"),
                "gait_limit_axial_force_N": float("nan"), "limit_point": "", "gait_end": ""}
    force = limit.reached(gait.force_N)
    return {"gait_limit_stance_percent": float(gait.stance_percent[limit.frame]),
            "gait_limit_force_N": float(np.linalg.norm(force)), "gait_limit_axial_force_N": float(abs(force[0])),
            "limit_point": limit.reason, "gait_end": path_end(limit)}


def path_end(limit) -> str:
    """How a load path ended: '' (it did not: every frame reached), 'limit point' (the tangent says so) or
    'not converged' (no equilibrium found beyond, not shown to be a limit point)."""
    return "" if limit is None else "limit point" if limit.limit_point else "not converged"


def limit_note(case_name: str, summary: dict) -> str | None:
    """One line for the run output when a load path of the case ended early (at a limit point, or where Newton
    found no equilibrium beyond: the summary's gait_end / stiffness_probe_end say which), else None."""
    what = {"gait_limit_axial_force_N": "the gait frames at {:.3g} N of axial force",
            "axial_limit_force_N": "the axial stiffness probe at {:.3g} N",
            "bending_limit_force_N": "the bending probe at {:.3g} N of dorsal force",
            "pseudo_joint_limit_preload_N": "the pseudo-joint preload at {:.3g} N",
            "pseudo_joint_limit_moment_plantarflexion_Nmm": "plantarflexion at {:.4g} N mm",
            "pseudo_joint_limit_moment_dorsiflexion_Nmm": "dorsiflexion at {:.4g} N mm"}
    parts = [text.format(summary[key]) for key, text in what.items()
             if isinstance(summary.get(key), (int, float)) and math.isfinite(summary[key])]
    if not parts:
        return None
    if "not converged" in (summary.get("gait_end"), summary.get("stiffness_probe_end")):
        return (f"case {case_name}: a load path ended where Newton found no equilibrium beyond it (a limit point "
                f"or not converged: gait_end, stiffness_probe_end), recorded as a result: {'; '.join(parts)}")
    return (f"case {case_name}: limit point (the segment folds or buckles: no equilibrium near for more "
            f"load), recorded as a result: {'; '.join(parts)}")
