"""experiments/pseudo_joint_finite.toml at the full walking load under finite kinematics.

With the equilibrium cartilage modulus (1 MPa) the proximal phalanx, loaded at its tip by the dead gait joint
reaction, tilts over on the 1 mm MTP cartilage layer: the smallest eigenvalue of the tangent stiffness falls to
zero (a limit point at about 40 % of the peak axial force on this coarse mesh) and Newton stalls at the second
gait frame. With the instantaneous modulus the experiment uses (gait loading is fast) the gait sequence passes
the peak frame."""

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse.linalg as spla

from sim.experiment.case import case_model
from sim.experiment.config import gait_load, resolve
from sim.textio import read_toml

EXPERIMENT = Path(__file__).resolve().parent.parent / "experiments" / "pseudo_joint_finite.toml"


def coarse_case(cartilage=None):
    """The experiment's 50 % case on a coarse tet4 mesh with five gait frames (the third is the peak)."""
    doc = read_toml(EXPERIMENT, "experiment file")
    doc = {k: v for k, v in doc.items() if k not in ("sweep", "experiment")}
    doc["mesh"] = {"size_mm": 4.0, "order": 1}
    doc["loads"] = {**doc["loads"], "n_frames": 5}
    if cartilage:
        doc["materials"] = {**doc["materials"], "joint_cartilage": cartilage}
    cfg = resolve(doc, "coarse", EXPERIMENT.parent, "")
    model = case_model(cfg)
    return model.problem, model.loads, gait_load(cfg.loads, cfg.geometry.ray)


def lowest_tangent_eigenvalue(problem, u):
    """Smallest eigenvalue (N/mm) of the tangent stiffness on the free DOFs at u."""
    free = np.ones(problem.n_dofs, bool)
    free[problem.bc.dofs] = False
    K = problem.body.residual_tangent(u)[1].tocsr()[free][:, free]
    return float(spla.eigsh(K, k=1, sigma=-1e-6, which="LM", return_eigenvectors=False)[0])


@pytest.mark.slow
def test_gait_sequence_passes_the_peak_frame_at_full_load():
    problem, loads, gait = coarse_case()
    peak = int(np.argmax(np.linalg.norm(gait.force_N, axis=1)))
    assert np.linalg.norm(gait.force_N[peak]) > 90.0  # the full walking load on ray 2, not a reduced one
    U = problem.solve_sequence(loads.vectors(gait.force_N, gait.moment_Nmm))
    J = problem.body.jacobian_cq(U[:, peak])
    cartilage = problem.mesh.region == problem.mesh.region_ids["joint_cartilage"]
    assert J.min() > 0 and J[cartilage].min() > 0.5
    assert lowest_tangent_eigenvalue(problem, U[:, peak]) > 0  # a stable equilibrium, not a saddle


@pytest.mark.slow
def test_equilibrium_cartilage_lets_the_phalanx_tilt_over():
    """The cause, shown: under a pure axial compression of the phalanx tip, the lowest tangent eigenvalue falls
    with the load and its mode is a sideways tilt of the phalanx (tip moving medio-laterally or dorsally), with
    the equilibrium (1 MPa) cartilage; with the instantaneous one it stays far from zero at the peak force."""
    ratios = {}
    for card in ("cartilage_neo_hookean", None):
        problem, loads, gait = coarse_case(card)
        axial = np.array([[-40.0, 0.0, 0.0]])  # N: 40 % of the peak gait force
        lam0 = lowest_tangent_eigenvalue(problem, np.zeros(problem.n_dofs))
        u = problem.solve_sequence(loads.vectors(axial, np.zeros((1, 3))))[:, 0]
        ratios[card] = lowest_tangent_eigenvalue(problem, u) / lam0
    assert ratios["cartilage_neo_hookean"] < 0.2 < ratios[None]


def test_probe_reports_initial_and_large_rotation_stiffness_of_a_stiffening_hinge():
    """A stand-in solver turns the distal part rigidly (finite rotation about y) by theta(M) = 60 deg
    tanh(M / (20 N mm/deg x 60 deg)): the probe reads the rotation at the probe moment, the secant, and the
    tangents over the first and the last moment step from the closed form, up to 70 degrees."""
    from types import SimpleNamespace

    from scipy.spatial.transform import Rotation

    from sim.experiment.interfaces import PseudoJointOptions, pseudo_joint
    from test_contact import stacked

    mesh, _, _ = stacked(1)
    mesh.facet_sets["cement_stump"], mesh.facet_sets["cement_distal"] = mesh.facet_sets["zmin"], mesh.facet_sets["zmax"]
    upper = mesh.nodes_mm[:, 2] > 1.0
    theta = lambda m: 60.0 * np.tanh(m / (20.0 * 60.0))  # deg for m in N mm

    def respond(forces_N, moments_Nmm):
        U = np.zeros((3 * mesh.n_nodes, len(moments_Nmm)))
        for k, m in enumerate(moments_Nmm[:, 1]):
            x = mesh.nodes_mm - (0.5, 0.5, 1.0)
            u = np.zeros_like(x)
            u[upper] = Rotation.from_rotvec([0.0, np.radians(theta(m)), 0.0]).apply(x[upper]) - x[upper]
            U[:, k] = u.ravel()
        return SimpleNamespace(u_mm=U)

    M, steps = 2000.0, 4
    out = pseudo_joint(mesh, respond, 80.0, PseudoJointOptions(moment_Nmm=M, steps=steps), finite=True)
    step = M / steps
    assert out["pseudo_joint_rotation_plantarflexion_deg"] == pytest.approx(theta(M), rel=1e-9)
    assert out["pseudo_joint_k_rot_Nmm_per_deg"] == pytest.approx(M / theta(M), rel=1e-9)
    assert out["pseudo_joint_k_rot_initial_Nmm_per_deg"] == pytest.approx(step / theta(step), rel=1e-9)
    assert out["pseudo_joint_k_rot_end_Nmm_per_deg"] == pytest.approx(step / (theta(M) - theta(M - step)),
                                                                       rel=1e-9)
    assert out["pseudo_joint_k_rot_end_Nmm_per_deg"] > 3 * out["pseudo_joint_k_rot_initial_Nmm_per_deg"]


def test_a_finite_solve_past_a_limit_point_names_it_and_the_region():
    """A soft neo-Hookean box on softening springs (force u / (1 + u^2) N per DOF, peak 0.5 N at 1 mm)
    pulled by more than the springs can hold: the failure says limit point and names the node's region."""
    import scipy.sparse as sp

    from sim.mesh.box import box_mesh
    from sim.model import BoundarySpec
    from sim.model.finite import FiniteProblem
    from sim.solve import SolveFailed

    class Springs:
        def residual_tangent(self, u):
            with np.errstate(over="ignore", invalid="ignore"):
                return u / (1 + u**2), sp.diags((1 - u**2) / (1 + u**2) ** 2, format="csr")

    mesh = box_mesh((1, 1, 1), order=1)
    law = {"model": "neo_hookean", "E_MPa": 1e-3, "nu": 0.3}
    problem = FiniteProblem(mesh, {"domain": law}, [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})],
                            increments=4, items=[Springs()])
    f = np.zeros(problem.n_dofs)
    top = mesh.nodes_of("zmax")
    f[3 * top + 2] = 0.8  # N per top node, above the springs' 0.5 N
    with pytest.raises(SolveFailed) as err:
        problem.solve(f)
    message = str(err.value)
    assert "\n" not in message and "limit point or buckling" in message and "is in: domain" in message
    assert err.value.node in top
