"""One fact per test for the core's parts: element ordering, materials, loads, solvers, post-processing."""

import numpy as np
import pytest
import scipy.sparse as sp

from sim.verify import shapes as gmsh_shapes
from sim.fem import loads, post
from sim.laws import isotropic, transversely_isotropic
from sim.fem.surface import facet_basis
from sim.mesh import read_mesh
from sim.mesh.box import box_mesh
from sim.mesh.mesh import TET10_EDGES
from sim.model import BoundarySpec, LoadSpec, Problem


@pytest.fixture(scope="module")
def tube_tet10(tmp_path_factory):
    path = tmp_path_factory.mktemp("tube") / "tube.msh"
    gmsh_shapes.tube(path, 20.0, 5.0, 2.5, size=2.0, order=2)
    return read_mesh(path)


def test_gmsh_tet10_edge_nodes_follow_vtk_order(tube_tet10):
    """Each edge node of a gmsh tet10 sits on the edge VTK's ordering says (straight edges inside)."""
    x = tube_tet10.nodes_mm[tube_tet10.cells]
    mid = x[:, TET10_EDGES].mean(axis=2)
    chord = np.linalg.norm(x[:, TET10_EDGES[:, 0]] - x[:, TET10_EDGES[:, 1]], axis=-1)
    deviation = np.linalg.norm(x[:, 4:] - mid, axis=-1) / chord
    assert np.median(deviation) < 1e-12  # interior edges are straight; only boundary edges curve
    assert deviation.max() < 0.25  # curved boundary edges bow out; a misplaced node is >= 0.5 away
    swapped = np.linalg.norm(x[:, [4, 5, 6, 7, 9, 8]] - mid, axis=-1) / chord
    assert swapped.max() >= 0.5


def test_physical_groups_become_regions_and_sets(tube_tet10):
    assert list(tube_tet10.region_names.values()) == ["tube"]
    assert set(tube_tet10.facet_sets) == {"base", "tip"}
    assert np.allclose(tube_tet10.nodes_mm[tube_tet10.node_sets["tip"], 2], 20.0)


def test_transversely_isotropic_reduces_to_isotropic():
    E, nu = 17000.0, 0.3
    D = transversely_isotropic(E, E, nu, nu, E / (2 * (1 + nu)), axis=(0.3, -0.5, 0.8))
    assert np.allclose(D, isotropic(E, nu))


def test_transversely_isotropic_axial_and_transverse_moduli():
    """Uniaxial stress along the axis gives strain 1/E_axial; across it 1/E_transverse."""
    axis = np.array([1.0, 1.0, 0.0]) / np.sqrt(2)
    D = transversely_isotropic(20000.0, 12000.0, 0.3, 0.4, 5000.0, axis=axis)
    S = np.linalg.inv(D)
    stress_along = np.array([0.5, 0.5, 0.0, 0.0, 0.0, 0.5])  # unit uniaxial stress along axis
    eps = S @ stress_along
    axial_strain = eps[0] * 0.5 + eps[1] * 0.5 + eps[5] * 0.5
    assert axial_strain == pytest.approx(1 / 20000.0)
    assert (S @ np.array([0, 0, 1.0, 0, 0, 0]))[2] == pytest.approx(1 / 12000.0)


def test_coupling_load_reproduces_force_and_moment(tube_tet10):
    fb = facet_basis(tube_tet10, tube_tet10.facet_sets["tip"])
    point, F, M = np.array([1.0, 2.0, 25.0]), np.array([10.0, -5.0, -300.0]), np.array([200.0, -100.0, 50.0])
    f = loads.coupling(fb, point, F, M, tube_tet10.n_nodes).reshape(-1, 3)
    assert np.allclose(f.sum(axis=0), F)
    assert np.allclose(np.cross(tube_tet10.nodes_mm - point, f).sum(axis=0), M)


def test_pressure_resultant_on_closed_box_is_zero_and_on_face_is_p_times_area():
    mesh = box_mesh((2, 2, 2), (2.0, 3.0, 4.0), order=2)
    fb = facet_basis(mesh, mesh.facet_sets["zmax"])
    f = loads.pressure(fb, 2.0, mesh.n_nodes).reshape(-1, 3)
    assert np.allclose(f.sum(axis=0), [0, 0, -2.0 * 6.0])
    assert fb.area_mm2 == pytest.approx(6.0)


@pytest.mark.parametrize("method, backend", [("direct", "superlu"), ("direct", "auto"), ("iterative", "auto")])
def test_solvers_agree_and_take_many_load_vectors(method, backend):
    mesh = box_mesh((3, 3, 6), (5.0, 5.0, 20.0), order=2)
    problem = Problem(mesh, {"domain": {"E_MPa": 2500.0, "nu": 0.3}},
                      [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})], method, backend)
    reference = Problem(mesh, {"domain": {"E_MPa": 2500.0, "nu": 0.3}},
                        [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})], "direct", "superlu")
    F = np.column_stack([problem.load_vector(LoadSpec("zmax", force_N=v)) for v in ([0, 0, -100], [10, 0, 0])])
    U = problem.solve(F)
    assert U.shape == F.shape
    assert np.allclose(U, reference.solve(F), rtol=0, atol=1e-8 * np.abs(U).max())


def test_nodal_recovery_is_exact_for_linear_fields():
    mesh = box_mesh((2, 2, 2), order=2)
    problem = Problem(mesh, {"domain": {"E_MPa": 1.0, "nu": 0.2}}, [BoundarySpec("zmin", {0: 0, 1: 0, 2: 0})])
    field = lambda x: 1.0 + 2 * x[..., 0] - x[..., 1] + 0.5 * x[..., 2]
    recovered = post.to_nodes(problem.basis, field(problem.basis.x_cqi))
    assert np.allclose(recovered, field(mesh.nodes_mm))


def test_robust_peak_ignores_a_tiny_hot_spot():
    values = np.concatenate([np.full(999, 10.0), [1000.0]])
    weights = np.ones(1000)
    assert post.weighted_percentile(values, weights, 99.0) == 10.0
    assert post.weighted_percentile(values, weights, 100.0) == 1000.0


def test_von_mises_and_principal_of_uniaxial_and_shear():
    uniaxial = np.array([100.0, 0, 0, 0, 0, 0])
    shear = np.array([0, 0, 0, 0, 0, 50.0])
    assert post.von_mises(uniaxial) == pytest.approx(100.0)
    assert post.von_mises(shear) == pytest.approx(50.0 * np.sqrt(3))
    assert np.allclose(post.principal(shear), [-50.0, 0.0, 50.0])


def test_principal_stresses_of_a_frame_not_reached_are_nan_and_the_others_unchanged():
    """Past a limit point a gait frame's stresses are NaN; LAPACK refuses them ('did not converge')."""
    s = np.array([[[100.0, 0, 0, 0, 0, 0], [np.nan] * 6], [[0, 0, 0, 0, 0, 50.0], [0, 0, 0, np.inf, 0, 0]]])
    p = post.principal(s)
    assert p.shape == (2, 2, 3)
    assert np.allclose(p[0, 0], [0.0, 0.0, 100.0]) and np.allclose(p[1, 0], [-50.0, 0.0, 50.0])
    assert np.isnan(p[:, 1]).all()


def _b_matrix(grad_qai):
    """Reference strain-displacement matrices (q, 6, 3a), written out independently of the assembler."""
    q, a, _ = grad_qai.shape
    B = np.zeros((q, 6, a, 3))
    gx, gy, gz = grad_qai[..., 0], grad_qai[..., 1], grad_qai[..., 2]
    B[:, 0, :, 0], B[:, 1, :, 1], B[:, 2, :, 2] = gx, gy, gz
    B[:, 3, :, 1], B[:, 3, :, 2] = gz, gy
    B[:, 4, :, 0], B[:, 4, :, 2] = gz, gx
    B[:, 5, :, 0], B[:, 5, :, 1] = gy, gx
    return B.reshape(q, 6, 3 * a)


def _scrambled_box(order):
    """A box mesh with its nodes renumbered at random (so cells' node pairs run both ways) and two regions."""
    from sim.mesh.mesh import Mesh

    box = box_mesh((2, 2, 2), (2.0, 1.0, 1.5), order=order)
    rng = np.random.default_rng(5)
    new_id = rng.permutation(box.n_nodes)
    nodes = np.empty_like(box.nodes_mm)
    nodes[new_id] = box.nodes_mm
    region = (box.nodes_mm[box.cells[:, :4]].mean(axis=1)[:, 0] > 1.0).astype(int)
    return Mesh(nodes, new_id[box.cells], region)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("per_cell", [False, True])
def test_assembly_equals_textbook_sum_of_bt_d_b(per_cell, order):
    """K = sum_cells sum_q dV B^T D B, for one material per region and for a stiffness varying per cell,
    on a mesh whose node numbering runs against the cells' local order, summed in many small chunks."""
    from sim.fem.assembly import Pattern, StiffnessAssembler
    from sim.fem.basis import cell_basis

    mesh = _scrambled_box(order)
    basis = cell_basis(mesh)
    rng = np.random.default_rng(3)
    if per_cell:
        D = np.stack([transversely_isotropic(*rng.uniform([1e4, 5e3, 0.2, 0.3, 2e3], [2e4, 1e4, 0.3, 0.4, 4e3]),
                                             axis=rng.normal(size=3)) for _ in range(mesh.n_cells)])
    else:
        D = np.where(mesh.region[:, None, None] == 0, isotropic(2500.0, 0.3), isotropic(17000.0, 0.4))
    assembler = StiffnessAssembler(basis)
    assembler.pattern = Pattern(mesh.cells, mesh.n_nodes, mesh.nodes_mm, mesh.region, chunk=7)
    K = assembler(D)
    reference, coupled = np.zeros(K.shape), np.zeros(K.shape, bool)
    for c in range(mesh.n_cells):
        B = _b_matrix(basis.grad_cqai[c])
        Ke = np.einsum("q,qki,kl,qlj->ij", basis.dV_cq[c], B, D[c], B)
        dofs = (3 * mesh.cells[c][:, None] + np.arange(3)).ravel()
        reference[np.ix_(dofs, dofs)] += Ke
        coupled[np.ix_(dofs, dofs)] = True
    assert np.abs(K.toarray() - reference).max() < 1e-10 * np.abs(reference).max()
    # the CSR arrays are scipy's canonical form of the DOFs coupled through a cell: sorted, one entry each
    canonical = sp.csr_matrix(coupled)
    assert K.has_canonical_format and np.array_equal(K.indptr, canonical.indptr)
    assert np.array_equal(K.indices, canonical.indices)


def test_cement_fatigue_needs_every_gait_frame():
    """A gait path that ended at a limit point has no whole cycle: no amplitude, no life (NaN), not an error."""
    from sim.experiment.metrics import cement_fatigue
    from sim.materials import load_card

    card = load_card("pmma_vancomycin")
    dV = np.ones((2, 1))
    whole = cement_fatigue(card, np.array([[[0.0], [0.0]], [[4.0], [2.0]]]), dV, 99.0, 1e6)
    assert whole["cement_stress_amplitude_MPa"] == pytest.approx(2.0, rel=0.02)
    assert np.isfinite(whole["cement_fatigue_life_years"])
    cut = cement_fatigue(card, np.array([[[0.0], [0.0]], [[np.nan], [np.nan]]]), dV, 99.0, 1e6)
    assert all(np.isnan(v) for v in cut.values())
