"""Segmentation where master facets overlap as seen from a slave facet (a corner of the master): a point
keeps only the master facet closest to it."""

import numpy as np

from sim.contact.segments import segment

SLAVE = np.array([[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])  # z = 0, outward normal +z
COINCIDENT = SLAVE.copy()  # the master facet on the other side of a split interface: normal -z
# A master facet at 95.7 degrees to the slave (normal (0.995, 0, -0.0995)) through (1.2, 0, 0): the slave
# lies behind its plane (by up to 1.19) and projects inside it, like the far side of a corner.
n = np.array([0.995, 0.0, -0.0995])
FAR = np.array([[[1.2 - 0.1, -1.0, -1.0], [1.2 - 0.1, 3.0, -1.0], [1.2 + 0.1, -1.0, 1.0]]])


def _sign(facets, normal):
    raw = np.cross(facets[:, 1] - facets[:, 0], facets[:, 2] - facets[:, 0])
    return np.where(raw @ normal > 0, 1.0, -1.0)


def test_far_corner_facet_alone_is_paired():
    """Without the coincident facet the far one is the slave's only master: its piece stays."""
    pts = segment(SLAVE, np.ones(1), FAR, _sign(FAR, n), reach_mm=2.0, degree=2)
    assert len(pts.weight) and np.all(pts.master == 0)


def test_point_keeps_only_the_closest_master_where_pieces_overlap():
    masters = np.concatenate([COINCIDENT, FAR])
    sign = np.concatenate([_sign(COINCIDENT, np.array([0.0, 0.0, -1.0])), _sign(FAR, n)])
    pts = segment(SLAVE, np.ones(1), masters, sign, reach_mm=2.0, degree=2)
    assert np.all(pts.master == 0)
    assert np.isclose(pts.weight.sum(), 0.5, rtol=1e-12)  # the whole slave triangle, once
