"""The pseudo-joint's moment-rotation plot carries its yardstick: the passive stiffness of a healthy first
MTP joint (sim/healthy_joint.py), measured in dorsiflexion, drawn on that side only, with its source, and
without changing the axes the cases' curves set."""

import numpy as np

from sim import healthy_joint
from sim.plots.experiment import _healthy_joint
from sim.plots.style import plt


def test_the_healthy_joint_is_drawn_on_the_dorsiflexion_side_with_its_source_and_leaves_the_axes_alone():
    fig, ax = plt.subplots()
    ax.plot([-30, 0, 30], [-250, 0, 260])
    limits = ax.get_xlim(), ax.get_ylim()
    _healthy_joint(ax)
    assert (ax.get_xlim(), ax.get_ylim()) == limits
    mean = ax.lines[-1]
    theta, moment = mean.get_xdata(), mean.get_ydata()
    assert theta.max() == 0.0 and theta.min() <= -30.0
    np.testing.assert_allclose(moment, healthy_joint.MEAN_NMM_PER_DEG * theta)
    labels = [h.get_label() for h in ax.get_legend_handles_labels()[0]]
    assert any(healthy_joint.SOURCE in label for label in labels)
    band = ax.collections[-1].get_paths()[0].vertices
    low, high = healthy_joint.RANGE_NMM_PER_DEG
    assert band[:, 0].max() <= 0.0
    assert np.isclose(band[:, 1].min(), high * theta.min()) and np.isclose(band[:, 1], low * theta.min()).any()
    plt.close(fig)
