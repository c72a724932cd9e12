"""experiments/pseudo_joint_sliding.toml (bead spacer, frictional sliding contact with bone, finite
kinematics) on its coarse mesh: at the walking load the segment folds at the pseudo-joint, and the solve
records that limit point as a result (frame and force reached) instead of failing."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sim.experiment.case import case_model
from sim.experiment.config import gait_load, resolve
from sim.textio import read_toml

EXPERIMENT = Path(__file__).resolve().parent.parent / "experiments" / "pseudo_joint_sliding.toml"


@pytest.mark.slow
def test_bead_in_sliding_contact_folds_under_the_first_gait_frame_and_says_so():
    doc = {k: v for k, v in read_toml(EXPERIMENT, "experiment file").items() if k not in ("sweep", "experiment")}
    cfg = resolve(doc, "coarse", EXPERIMENT.parent, "")
    model = case_model(cfg)
    problem, respond = model.problem, model.respond
    # a limit point costs max_iterations at every step size down to the last cut-back: fewer of both here
    problem.options = dataclasses.replace(problem.options, max_iterations=25, max_cutbacks=4)
    gait = gait_load(cfg.loads, cfg.geometry.ray)
    frames = respond(gait.force_N[:2], gait.moment_Nmm[:2])  # unloaded, then 25 % stance (38 N axial)
    assert frames.limit is not None and frames.limit.frame == 1
    assert "limit point or buckling" in frames.limit.reason
    axial = abs(frames.limit.reached(gait.force_N[:2])[0])
    assert 0 < axial < 0.5 * abs(gait.force_N[1, 0])  # folds well below the frame's axial force
    assert np.isfinite(frames.u_mm[:, 0]).all() and np.isnan(frames.u_mm[:, 1]).all()
    assert frames.contact.interfaces["cement_stump"].summary(0)["normal_force_N"] == pytest.approx(0.0, abs=1e-6)
