"""Sensor-cell plantar pressure (sim/forefoot/sensors.py) against closed forms on a block's sole: the cells'
forces add up to the field's integral over the sole (the ground force), and a cell reads the mean of the
pressure field over it (a uniform and a linear field; also on a stretched sole, where the cells stay and the
sole moves under them)."""

import numpy as np
import pytest

from sim.fem.surface import facet_basis
from sim.forefoot.sensors import SENSOR_MM, sensor_forces
from sim.mesh.box import box_mesh

SIZE_MM = (22.0, 17.0, 2.0)  # facets straddle the 5 mm cells


def _sole_pressure(mesh, pressure, area):
    """The sole's facets and nodes, and a field pressure(x, y) MPa (reference x, y) at the nodes per current
    area (the sole's area grown by `area`)."""
    sole = mesh.facet_sets["zmin"]
    nodes = np.unique(sole)
    X = mesh.nodes_mm[nodes]
    return sole, nodes, pressure(X[:, 0], X[:, 1]) / area


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("stretch", [(1.0, 1.0), (1.1, 1.2)])
def test_cells_read_the_mean_pressure_over_them_and_add_up_to_the_ground_force(order, stretch):
    mesh = box_mesh((4, 3, 1), SIZE_MM, order=order)
    X = mesh.nodes_mm
    u = np.column_stack([(stretch[0] - 1) * X[:, 0], (stretch[1] - 1) * X[:, 1], 0 * X[:, 2]]).ravel()
    area = stretch[0] * stretch[1]
    for pressure, at_centre in [(lambda x, y: 0.3 + 0 * x, lambda x, y: 0.3 + 0 * x),
                                (lambda x, y: 0.2 + 0.01 * x - 0.006 * y,  # reference x, y -> current / stretch
                                 lambda x, y: 0.2 + 0.01 * x / stretch[0] - 0.006 * y / stretch[1])]:
        sole, nodes, p = _sole_pressure(mesh, pressure, area)
        xy, F = sensor_forces(X, sole, u, nodes, p)
        fb = facet_basis(mesh, sole)  # the field's integral over the sole, independently
        total = (pressure(fb.x_fqi[..., 0], fb.x_fqi[..., 1]) * fb.dA_fq).sum()
        assert F.sum() == pytest.approx(total, rel=1e-12)
        inside = np.all((xy - SENSOR_MM / 2 >= 0) & (xy + SENSOR_MM / 2 <= np.multiply(SIZE_MM[:2], stretch)), axis=1)
        assert inside.sum() >= 12
        mean = at_centre(xy[inside, 0], xy[inside, 1]) / area  # per current area
        assert F[inside] / SENSOR_MM**2 == pytest.approx(mean, rel=1e-9)  # exact: the field is linear
