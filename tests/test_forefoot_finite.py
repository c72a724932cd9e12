"""The forefoot under finite kinematics (hyperelastic soft tissue, Newton with the sliding-contact item on
the ground), on the symmetric three-ray foot of test_forefoot.py.

Independent checks: at a small load the finite solution must tend to the small-strain one (a different
solver, contact formulation and kinematics: they agree only if both are right in the linear limit); at a
large load the forces through the rays and the tissue into the midfoot (from the bodies' internal forces)
and the ground reaction (from the contact item) must each equal the applied load.
"""

import numpy as np
import pytest

from sim.errors import InputError
from sim.forefoot.config import FINITE_MATERIALS, resolve_forefoot
from sim.forefoot.outputs import force_columns, projected_pressure_MPa
from sim.fem.basis import cell_basis
from sim.fem.surface import facet_basis
from sim.fem.finite import FiniteStrainBody
from sim.forefoot.solve import area_stretch, solve_forefoot
from sim.laws import make_law
from sim.mesh.box import box_mesh
from test_forefoot import ROOT, _doc, _solve, _symmetric, placement  # noqa: F401  (fixture)

RAYS = (2, 3, 4)
SMALL_LOAD_N = 30.0  # 10 % of the large load; far smaller loads reach the round-off of the rigid midfoot
LARGE_LOAD_N = 300.0


# before the tests that take the symmetric placement (module scope): this one needs the shipped one
def test_foam_insole_with_a_linear_card_is_refused_under_finite_kinematics():
    doc = {"forefoot": {"insole": "poron", "load": {"force_N": 100.0}}, "analysis": {"kinematics": "finite"}}
    with pytest.raises(InputError, match="materials.insole = 'poron': a linear card") as excinfo:
        resolve_forefoot(doc, "t", ROOT, "")
    assert "\n" not in str(excinfo.value)


@pytest.mark.parametrize("card", ["poron_neo_hookean", "eva_neo_hookean"])
def test_foam_insole_with_a_hyperelastic_card_is_taken_under_finite_kinematics(card):
    doc = {"forefoot": {"insole": card, "load": {"force_N": 100.0}}, "analysis": {"kinematics": "finite"}}
    cfg = resolve_forefoot(doc, "t", ROOT, "")
    assert cfg.materials["insole"] == card and cfg.insole_mm > 0


def _case(force_N, kinematics):
    doc = _doc()
    doc["forefoot"]["load"] = {"force_N": force_N}
    doc["analysis"] = {"kinematics": kinematics}
    return _symmetric(doc)


def test_finite_case_takes_hyperelastic_soft_tissue(placement):  # noqa: F811
    cfg = _case(LARGE_LOAD_N, "finite")
    assert cfg.kinematics == "finite"
    for region, card in FINITE_MATERIALS.items():
        assert cfg.materials[region] == card
    assert _case(LARGE_LOAD_N, "small").materials["plantar_soft_tissue"] == "plantar_soft_tissue"


@pytest.mark.parametrize("order", [1, 2])
def test_area_stretch_of_a_uniformly_stretched_sole(order):
    """In-plane stretches 1.1 x 1.2 and any thinning: every sole node sees its area grow by 1.32."""
    mesh = box_mesh((3, 2, 1), (3.0, 2.0, 1.0), order=order)
    X = mesh.nodes_mm
    u = np.column_stack([0.1 * X[:, 0], 0.2 * X[:, 1], -0.3 * X[:, 2]]).ravel()
    sole = mesh.facet_sets["zmin"]
    stretch = area_stretch(mesh, sole, u)
    assert stretch[np.unique(sole)] == pytest.approx(1.32, rel=1e-12)
    assert stretch[np.setdiff1d(np.arange(mesh.n_nodes), sole)] == pytest.approx(1.0)


@pytest.mark.parametrize("law", [{"model": "neo_hookean", "E_MPa": 1.0, "nu": 0.3},
                                 {"model": "ogden", "mu_MPa": [0.01], "alpha": [9.0], "K_MPa": 0.05}])
def test_group_forces_add_up_to_the_bodys_internal_force(law):
    """Forces per ray come from the cells' own nodal forces: over two halves of the cells they add up to the
    body's residual (the Newton kernel, computed independently), under a shear and random displacements."""
    mesh = box_mesh((2, 2, 2), (1.0, 1.0, 1.0), order=2)
    body = FiniteStrainBody(cell_basis(mesh), {rid: make_law(law, "t") for rid in mesh.region_ids.values()})
    u = 0.01 * np.random.default_rng(0).standard_normal((mesh.n_nodes, 3))
    u[:, 2] += 0.2 * mesh.nodes_mm[:, 0]
    u = u.ravel()
    assert body.check(u) is None
    half = np.arange(mesh.n_cells) < mesh.n_cells // 2
    parts = body.internal_force(u, half) + body.internal_force(u, ~half)
    residual = body.residual_tangent(u)[0]
    assert np.abs(parts - residual).max() < 1e-12 * np.abs(residual).max()


@pytest.mark.slow
def test_finite_tends_to_small_strain_at_small_load(placement, tmp_path):  # noqa: F811
    fm, _, finite = _solve(_case(SMALL_LOAD_N, "finite"), tmp_path)
    # the same mesh; the linear cards have the hyperelastic cards' small-strain moduli
    small = force_columns(fm, solve_forefoot(_case(SMALL_LOAD_N, "small"), fm))
    for ray in RAYS:
        assert finite[f"ray{ray}_vertical_force_N"] == pytest.approx(small[f"ray{ray}_vertical_force_N"], rel=0.01)
    assert finite["plantar_soft_tissue_vertical_force_N"] == pytest.approx(
        small["plantar_soft_tissue_vertical_force_N"], rel=0.05)


@pytest.mark.slow
def test_finite_forces_add_up_to_the_load_under_large_deformation(placement, tmp_path):  # noqa: F811
    fm, sol, row = _solve(_case(LARGE_LOAD_N, "finite"), tmp_path)
    assert row["sum_vertical_force_N"] == pytest.approx(LARGE_LOAD_N, rel=5e-3)
    assert row["sole_force_N"] == pytest.approx(LARGE_LOAD_N, rel=5e-3)  # the contact item, independently
    parts = sum(row[f"ray{r}_vertical_force_N"] for r in RAYS) + row["plantar_soft_tissue_vertical_force_N"]
    assert parts == pytest.approx(LARGE_LOAD_N, rel=5e-3)
    assert row["ray2_vertical_force_N"] == pytest.approx(row["ray4_vertical_force_N"], rel=0.03)  # symmetric
    assert sol.max_penetration_mm < 0.05


@pytest.mark.parametrize("order", [1, 2])
def test_interface_pressure_from_nodal_forces_recovers_a_linear_pressure(order):
    """Nodal forces of a pressure p(x, y) = 0.2 + 0.05 x - 0.03 y MPa pressing on a block's top (their
    consistent integral) give back p at the top's nodes (the L2 projection is exact for a field the facets
    represent), per current area when the top is stretched 1.1 x 1.2; the tributary areas add up to the top."""
    mesh = box_mesh((3, 2, 2), (3.0, 2.0, 1.0), order=order)
    top = mesh.facet_sets["zmax"]
    fb = facet_basis(mesh, top)
    p_fq = 0.2 + 0.05 * fb.x_fqi[..., 0] - 0.03 * fb.x_fqi[..., 1]
    force = fb.nodal(-p_fq[..., None] * fb.n_fqi, mesh.n_nodes)
    body = np.ones(mesh.n_cells, bool)
    nodes, p, w = projected_pressure_MPa(mesh, top, body, force)
    X = mesh.nodes_mm[nodes]
    assert p == pytest.approx(0.2 + 0.05 * X[:, 0] - 0.03 * X[:, 1], abs=1e-12)
    assert w.sum() == pytest.approx(6.0)
    u = np.column_stack([0.1 * mesh.nodes_mm[:, 0], 0.2 * mesh.nodes_mm[:, 1], 0 * mesh.nodes_mm[:, 2]]).ravel()
    _, p_current, w_current = projected_pressure_MPa(mesh, top, body, force, u)
    assert p_current == pytest.approx(p / 1.32, rel=1e-12) and w_current.sum() == pytest.approx(6.0 * 1.32)
