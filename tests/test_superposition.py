"""A linear case answers every gait frame by superposing six unit-load solutions (sim.experiment.response):
the frames must equal frames solved one by one, displacements, strains and stresses."""

import numpy as np
import pytest

from sim.experiment.metrics import LOAD_SET, LoadBasis, Regions, frame_table
from sim.experiment.response import FieldBlock, Superposed
from sim.fem import post
from sim.materials import load_card
from sim.mesh import Mesh
from sim.mesh.box import box_mesh
from sim.model import BoundarySpec, Problem

MATERIALS = {"cortical": {"model": "transversely_isotropic", "E_axial_MPa": 17000.0, "E_transverse_MPa": 11500.0,
                          "nu_axial": 0.3, "nu_transverse": 0.4, "G_axial_MPa": 3300.0, "axis": [1.0, 0.0, 0.0]},
             "cement": {"model": "isotropic", "E_MPa": 2500.0, "nu": 0.3},
             "soft_tissue": {"model": "isotropic", "E_MPa": 3.0, "nu": 0.45}}


@pytest.fixture(scope="module")
def bar():
    """A tet10 bar along x, clamped at x = 0 and loaded on its x = 30 mm face: bone, then a 'void' at
    10 < x < 20 mm half cement, half soft tissue (so every metric has something to measure), then bone."""
    box = box_mesh((6, 2, 2), (30.0, 6.0, 5.0), order=2)
    centre = box.nodes_mm[box.cells[:, :4]].mean(axis=1)
    void = (centre[:, 0] > 10.0) & (centre[:, 0] < 20.0)
    region = np.where(void, np.where(centre[:, 1] < 3.0, 1, 2), 0)
    sets = {**box.facet_sets, LOAD_SET: box.facet_sets["xmax"]}
    mesh = Mesh(box.nodes_mm, box.cells, region, {0: "cortical", 1: "cement", 2: "soft_tissue"}, {}, sets)
    problem = Problem(mesh, MATERIALS, [BoundarySpec("xmin", {0: 0.0, 1: 0.0, 2: 0.0})])
    return problem, LoadBasis(problem, (31.0, 3.0, 2.0))


def gait(n: int):
    rng = np.random.default_rng(15)
    return rng.normal(scale=100.0, size=(n, 3)), rng.normal(scale=500.0, size=(n, 3))


def test_superposed_frames_equal_frames_solved_one_by_one(bar):
    """Displacements, stresses at chosen cells, von Mises stresses and linear measures (here: the whole
    strain field) of superposed frames against the same frames solved and post-processed one by one."""
    problem, loads = bar
    force_N, moment_Nmm = gait(7)
    frames = Superposed(problem, loads)(force_N, moment_Nmm)
    some = problem.mesh.region == 1
    blocks = [frames.block(np.arange(0, 3)), frames.block(np.arange(3, 7))]  # as the metrics take them
    vm = np.concatenate([b.von_mises() for b in blocks])
    stress_some = np.concatenate([b.stress_at(some) for b in blocks])
    strain = np.concatenate([b.linear(lambda e, s: e) for b in blocks])
    for k in range(len(force_N)):
        u = problem.solve(loads.vectors(force_N[k], moment_Nmm[k])[:, 0])
        strain_k, stress_k = post.strain_stress(problem.basis, problem.D_ckl, u)
        vm_k = post.von_mises(stress_k)
        assert np.abs(u).max() > 1e-4  # the frame does load the bar
        for superposed, one_by_one in ((frames.u_mm[:, k], u), (stress_some[k], stress_k[some]),
                                       (vm[k], vm_k), (strain[k], strain_k)):
            assert np.abs(superposed - one_by_one).max() <= 1e-10 * np.abs(one_by_one).max()



def test_frame_metrics_of_superposed_frames_equal_those_of_the_frames_fields(bar):
    """The whole table of frame metrics (robust peaks, load share, cement safety, gauge strain) and the
    cement's principal stresses, from the superposed unit fields and from each frame's own strain and
    stress fields (of the same displacements: the solves are compared above)."""
    problem, loads = bar
    force_N, moment_Nmm = gait(9)
    regions, card = Regions(problem, gauge_x_mm=5.0), load_card("pmma_vancomycin")
    frames = Superposed(problem, loads)(force_N, moment_Nmm)

    class FrameByFrame:
        block_size = 2

        def block(self, ks):
            fields = [post.strain_stress(problem.basis, problem.D_ckl, frames.u_mm[:, k]) for k in ks]
            return FieldBlock(np.stack([e for e, _ in fields]), np.stack([s for _, s in fields]))

    rows, principal = frame_table(regions, card, frames, 9, 99.0)
    rows_1, principal_1 = frame_table(regions, card, FrameByFrame(), 9, 99.0)
    assert np.abs(principal - principal_1).max() <= 1e-10 * np.abs(principal_1).max()
    for row, row_1 in zip(rows, rows_1, strict=True):
        assert list(row) == list(row_1)
        assert all(np.isfinite(v) for v in row.values())  # every metric measures something here
        assert row == pytest.approx(row_1, rel=1e-10, abs=0)
