"""What a case reports: construct stiffness, load share, robust peak stresses, cement safety and fatigue.

Stresses MPa, forces N, moments N mm, lengths mm, strain in microstrain. The model is linear and
bonded, so the response to any gait frame is a combination of six unit responses (three forces and
three moments at the centroid of the distal load surface), solved once against one factorization.
"""

import numpy as np

from ..fem import post
from ..fem.loads import coupling
from ..fem.surface import facet_basis
from ..materials import MaterialCard, fatigue_life_cycles, safety_factors
from ..model import Problem

LOAD_SET = "distal_load"
JOINT_REGION = "joint_cartilage"  # gait loads are joint reactions: they act at this layer's centroid
N_SECTIONS = 10  # slices of the void for the load share
BONE = ("cortical", "cancellous", "phalanx_cortical", "phalanx_cancellous")
GAUGE_HALF_LENGTH_MM = 2.5  # strain gauge window along the shaft (Arndt 2002 used gauges on the dorsal shaft)


class LoadBasis:
    """Nodal load vectors of forces (N) and moments (N mm) acting at `point_mm`, carried onto the distal
    load surface by a distributing coupling; a gait frame is a combination of the six unit vectors."""

    def __init__(self, problem: Problem, point_mm):
        mesh = problem.mesh
        self.surface = facet_basis(mesh, mesh.facets_of(LOAD_SET))
        self.point_mm = np.asarray(point_mm, float)
        self.unit = np.column_stack([coupling(self.surface, self.point_mm, e[:3], e[3:], mesh.n_nodes)
                                     for e in np.eye(6)])

    def vectors(self, force_N, moment_Nmm) -> np.ndarray:
        """Load vectors (3 n, k) for forces (k, 3) and moments (k, 3)."""
        return self.unit @ np.hstack([np.atleast_2d(force_N), np.atleast_2d(moment_Nmm)]).T

    def surface_displacement(self, U: np.ndarray) -> np.ndarray:
        """Area-mean displacement (k, 3) in mm of the load surface for displacements U (3 n, k)."""
        fb = self.surface
        u = U.T.reshape(U.shape[1], -1, 3)[:, fb.facets]  # (k, f, a, 3)
        u_q = np.einsum("qa,kfai->kfqi", fb.N_qa, u)
        return np.einsum("kfqi,fq->ki", u_q, fb.dA_fq) / fb.area_mm2


def construct_stiffness(loads: LoadBasis, solve, force_N: float) -> dict:
    """Axial and dorsal bending stiffness (N/mm) of the construct, as secants: an axial compression of
    `force_N`, then a dorsal force of half that added on top (the second loading step of one sequence,
    so contact and friction see a realistic path). For a bonded model they equal the unit compliances."""
    zero = np.zeros(3)
    F = loads.vectors([[-force_N, 0, 0], [-force_N, 0, 0.5 * force_N]], [zero, zero])
    d = loads.surface_displacement(solve(F))
    return {"construct_stiffness_axial_N_per_mm": force_N / abs(d[0, 0]),
            "construct_stiffness_bending_N_per_mm": 0.5 * force_N / abs(d[1, 2] - d[0, 2])}


class Regions:
    """Cell masks the metrics need, computed once per mesh."""

    def __init__(self, problem: Problem, gauge_x_mm: float):
        mesh, basis = problem.mesh, problem.basis
        names = mesh.region_names
        self.basis = basis
        self.cells = {name: mesh.region == rid for rid, name in names.items()}
        none = np.zeros(mesh.n_cells, bool)
        self.cement = self.cells.get("cement", none)
        self.soft = self.cells.get("soft_tissue", none)
        bone = np.any([self.cells.get(b, none) for b in BONE], axis=0)
        cement_nodes = np.zeros(mesh.n_nodes, bool)
        cement_nodes[mesh.cells[self.cement]] = True
        self.bone_interface = bone & cement_nodes[mesh.cells].any(axis=1)
        x = basis.x_cqi
        void = self.cement | self.soft
        self.sections = []
        if void.any():
            lo, hi = x[void, :, 0].min(), x[void, :, 0].max()
            edges = np.linspace(lo, hi, N_SECTIONS + 1)
            bins = np.clip(np.digitize(x[..., 0], edges) - 1, 0, N_SECTIONS - 1)
            self.sections = [(bins == k) & void[:, None] for k in range(N_SECTIONS)]
        cortical = self.cells.get("cortical", none)[:, None] & (np.abs(x[..., 0] - gauge_x_mm) < GAUGE_HALF_LENGTH_MM)
        self.gauge = cortical & (x[..., 2] > x[cortical, 2].max() - 1.0) if cortical.any() else cortical

    def load_share_cement(self, stress) -> tuple[float, float]:
        """Share of the axial force crossing the void that goes through cement, per slice of the void:
        its mean along the void (the part of the load path the cement carries) and its minimum (the
        weakest link: 0 where only soft tissue bridges a slice)."""
        if not self.sections:
            return float("nan"), float("nan")
        force = stress[..., 0] * self.basis.dV_cq
        shares = []
        for sec in self.sections:
            f_cement = abs(force[sec & self.cement[:, None]].sum())
            f_soft = abs(force[sec & self.soft[:, None]].sum())
            if f_cement + f_soft > 0:
                shares.append(f_cement / (f_cement + f_soft))
        return (float(np.mean(shares)), float(min(shares))) if shares else (float("nan"), float("nan"))


def frame_metrics(regions: Regions, cement: MaterialCard | None, strain, stress, cement_principal,
                  percentile: float) -> dict:
    """One frame: robust peak von Mises per region, load share, cement safety factors, gauge strain.
    cement_principal: principal stresses (n, 3) at the cement's quadrature points (MPa)."""
    basis = regions.basis
    vm = post.von_mises(stress)
    row = {}
    for name, cells in regions.cells.items():
        row[f"peak_von_mises_{name}_MPa"] = post.weighted_percentile(vm[cells], basis.dV_cq[cells], percentile)
    row["load_share_cement"], row["load_share_cement_min"] = regions.load_share_cement(stress)
    row["bone_interface_peak_von_mises_MPa"] = (
        post.weighted_percentile(vm[regions.bone_interface], basis.dV_cq[regions.bone_interface], percentile)
        if regions.bone_interface.any() else float("nan"))
    row.update(cement_stress(regions, cement, cement_principal, percentile))
    row["dorsal_shaft_strain_microstrain"] = (
        float(1e6 * np.average(strain[..., 0][regions.gauge], weights=basis.dV_cq[regions.gauge]))
        if regions.gauge.any() else float("nan"))
    return row


def cement_stress(regions: Regions, card: MaterialCard | None, p: np.ndarray, percentile: float) -> dict:
    """Robust peak tension and compression in the cement (principal stresses p, (n, 3) MPa) and the
    safety factors against its strengths."""
    keys = ("cement_peak_tension_MPa", "cement_peak_compression_MPa", "cement_safety_factor_tension",
            "cement_safety_factor_compression")
    if card is None or not regions.cement.any():
        return dict.fromkeys(keys, float("nan"))
    dV = regions.basis.dV_cq[regions.cement]
    tension = max(post.weighted_percentile(p[..., 2], dV, percentile), 0.0)
    compression = min(post.weighted_percentile(p[..., 0], dV, 100.0 - percentile), 0.0)
    sf = safety_factors(card, tension, compression)
    return dict(zip(keys, (tension, -compression, float(sf.tensile), float(sf.compressive))))


def cement_fatigue(regions: Regions, card: MaterialCard | None, max_principal_fp: np.ndarray, percentile: float,
                   cycles_per_year: float) -> dict:
    """Fatigue of the cement over one gait cycle: the amplitude of the maximum principal stress at each
    point, (max - min) / 2 over the frames, its robust peak, and the card's Basquin life (cycles, years)."""
    if card is None or card.fatigue is None or max_principal_fp.size == 0:
        return {"cement_stress_amplitude_MPa": float("nan"), "cement_fatigue_life_cycles": float("nan"),
                "cement_fatigue_life_years": float("nan")}
    amplitude = 0.5 * (max_principal_fp.max(axis=0) - max_principal_fp.min(axis=0))
    peak = post.weighted_percentile(amplitude, regions.basis.dV_cq[regions.cement], percentile)
    life = float(fatigue_life_cycles(card, peak))
    return {"cement_stress_amplitude_MPa": peak, "cement_fatigue_life_cycles": life,
            "cement_fatigue_life_years": life / cycles_per_year}


def load_point_mm(problem: Problem) -> np.ndarray:
    """Where the gait load acts: the centroid of the MTP joint layer (the joint reaction's point), else
    the centroid of the distal load surface."""
    mesh, basis = problem.mesh, problem.basis
    if JOINT_REGION in mesh.region_ids:
        cells = mesh.cells_in(JOINT_REGION)
        return np.einsum("cqi,cq->i", basis.x_cqi[cells], basis.dV_cq[cells]) / basis.dV_cq[cells].sum()
    return facet_basis(mesh, mesh.facets_of(LOAD_SET)).centroid_mm
