"""What a case reports: construct stiffness, load share, robust peak stresses, cement safety and fatigue.

Stresses MPa, forces N, moments N mm, lengths mm, strain in microstrain. The model is linear and
bonded, so the response to any gait frame is a combination of six unit responses (three forces and
three moments at the centroid of the distal load surface), solved once against one factorization.
"""

import numpy as np
from scipy.spatial import cKDTree

from ..fem import post
from ..fem.loads import coupling
from ..fem.surface import facet_basis
from ..materials import MaterialCard, fatigue_life_cycles, safety_factors
from ..model import Problem
from .limit_points import path_end

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
        return self.unit @ load_coefficients(force_N, moment_Nmm)

    def surface_displacement(self, U: np.ndarray) -> np.ndarray:
        """Area-mean displacement (k, 3) in mm of the load surface for displacements U (3 n, k)."""
        fb = self.surface
        u = U.T.reshape(U.shape[1], -1, 3)[:, fb.facets]  # (k, f, a, 3)
        u_q = np.einsum("qa,kfai->kfqi", fb.N_qa, u)
        return np.einsum("kfqi,fq->ki", u_q, fb.dA_fq) / fb.area_mm2


def load_coefficients(force_N, moment_Nmm) -> np.ndarray:
    """Coefficients (6, k) of the unit loads (Fx, Fy, Fz in N, Mx, My, Mz in N mm) of k frames."""
    return np.hstack([np.atleast_2d(force_N), np.atleast_2d(moment_Nmm)]).T


def construct_stiffness(loads: LoadBasis, respond, force_N: float) -> dict:
    """Axial and dorsal bending stiffness (N/mm) of the construct, as secants: an axial compression of
    `force_N`, then a dorsal force of half that added on top (the second loading step of one sequence,
    so contact and friction see a realistic path). For a bonded model they equal the unit compliances.
    Under finite strain a step whose path ends at a limit point (the segment buckles or folds) leaves its
    stiffness NaN and records the force reached: axial_limit_force_N (the compression), or
    bending_limit_force_N (the dorsal force on top of the whole compression); NaN when not limited;
    stiffness_probe_end: how the path ended (limit_points.path_end: '', 'limit point', 'not converged').
    respond(force_N (k, 3), moment_Nmm (k, 3)) answers load frames (sim/experiment/response.py)."""
    forces = np.array([[-force_N, 0, 0], [-force_N, 0, 0.5 * force_N]])
    frames = respond(forces, np.zeros((2, 3)))
    d = loads.surface_displacement(frames.u_mm)
    limit = getattr(frames, "limit", None)
    reached = limit.reached(forces) if limit is not None else None
    return {"construct_stiffness_axial_N_per_mm": force_N / abs(d[0, 0]),
            "construct_stiffness_bending_N_per_mm": 0.5 * force_N / abs(d[1, 2] - d[0, 2]),
            "axial_limit_force_N": abs(reached[0]) if limit is not None and limit.frame == 0 else float("nan"),
            "bending_limit_force_N": reached[2] if limit is not None and limit.frame == 1 else float("nan"),
            "stiffness_probe_end": path_end(limit)}


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
        if cement_nodes.any():  # a split interface gives the cement its own nodes: find the bone's by position
            scale = float(np.ptp(mesh.nodes_mm, axis=0).max())
            dist, _ = cKDTree(mesh.nodes_mm[cement_nodes]).query(mesh.nodes_mm, distance_upper_bound=1e-9 * scale)
            cement_nodes = np.isfinite(dist)
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

    def section_forces(self, strain, stress) -> np.ndarray:
        """Axial force (N, signed) through cement and through soft tissue in each slice of the void,
        (slices, 2), from a stress field (c, q, 6); linear in the field."""
        force = stress[..., 0] * self.basis.dV_cq
        return np.array([[force[sec & self.cement[:, None]].sum(), force[sec & self.soft[:, None]].sum()]
                         for sec in self.sections]).reshape(-1, 2)

    def gauge_strain(self, strain, stress) -> float:
        """Axial strain (-) averaged over the dorsal shaft gauge window; linear in the field."""
        if not self.gauge.any():
            return float("nan")
        return float(np.average(strain[..., 0][self.gauge], weights=self.basis.dV_cq[self.gauge]))

    @staticmethod
    def load_share_cement(section_forces: np.ndarray) -> tuple[float, float]:
        """Share of the axial force crossing the void that goes through cement, per slice of the void:
        its mean along the void (the part of the load path the cement carries) and its minimum (the
        weakest link: 0 where only soft tissue bridges a slice). section_forces: (slices, 2) in N."""
        f_cement, f_soft = np.abs(section_forces).T
        carried = f_cement + f_soft > 0
        if not carried.any():
            return float("nan"), float("nan")
        shares = f_cement[carried] / (f_cement[carried] + f_soft[carried])
        return float(np.mean(shares)), float(shares.min())


def frame_table(regions: Regions, cement: MaterialCard | None, frames, n_frames: int,
                percentile: float) -> tuple[list[dict], np.ndarray]:
    """Metrics of every frame of a response (sim/experiment/response.py), a block of frames at a time:
    one row per frame (frame_metrics), and the cement's maximum principal stress (frames, n, q) in MPa
    (empty without cement)."""
    rows, cement_max_principal = [], []
    for start in range(0, n_frames, frames.block_size):
        block = frames.block(np.arange(start, min(start + frames.block_size, n_frames)))
        vm = block.von_mises()
        sections = block.linear(regions.section_forces)
        gauge = block.linear(regions.gauge_strain)
        principal = post.principal(block.stress_at(regions.cement))
        for i in range(len(vm)):
            rows.append(frame_metrics(regions, cement, vm[i], sections[i], gauge[i], principal[i], percentile))
        if regions.cement.any():
            cement_max_principal.extend(principal[..., 2])
    return rows, np.array(cement_max_principal)


def frame_metrics(regions: Regions, cement: MaterialCard | None, vm, section_forces, gauge_strain,
                  cement_principal, percentile: float) -> dict:
    """One frame: robust peak von Mises per region (vm (c, q), MPa), load share (section_forces, see
    Regions), cement safety factors (principal stresses (n, q, 3) at the cement's quadrature points,
    MPa), dorsal shaft strain (gauge_strain, -> microstrain)."""
    basis = regions.basis
    row = {}
    for name, cells in regions.cells.items():
        row[f"peak_von_mises_{name}_MPa"] = post.weighted_percentile(vm[cells], basis.dV_cq[cells], percentile)
    row["load_share_cement"], row["load_share_cement_min"] = regions.load_share_cement(section_forces)
    row["bone_interface_peak_von_mises_MPa"] = (
        post.weighted_percentile(vm[regions.bone_interface], basis.dV_cq[regions.bone_interface], percentile)
        if regions.bone_interface.any() else float("nan"))
    row.update(cement_stress(cement, cement_principal, basis.dV_cq[regions.cement], percentile))
    row["dorsal_shaft_strain_microstrain"] = float(1e6 * gauge_strain)
    return row


def cement_stress(card: MaterialCard | None, p: np.ndarray, dV: np.ndarray, percentile: float) -> dict:
    """Robust peak (percentile, % by volume) tension and compression in the cement (principal stresses p,
    (n, q, 3) MPa, at points of volume dV (n, q) mm^3) and the safety factors against its strengths."""
    keys = ("cement_peak_tension_MPa", "cement_peak_compression_MPa", "cement_safety_factor_tension",
            "cement_safety_factor_compression")
    if card is None or not dV.size:
        return dict.fromkeys(keys, float("nan"))
    tension = max(post.weighted_percentile(p[..., 2], dV, percentile), 0.0)
    compression = min(post.weighted_percentile(p[..., 0], dV, 100.0 - percentile), 0.0)
    sf = safety_factors(card, tension, compression)
    return dict(zip(keys, (tension, -compression, float(sf.tensile), float(sf.compressive))))


def cement_fatigue(card: MaterialCard | None, max_principal_fp: np.ndarray, dV: np.ndarray, percentile: float,
                   cycles_per_year: float) -> dict:
    """Fatigue of the cement over one gait cycle: the amplitude of the maximum principal stress at each
    point (max_principal_fp: frames f, points (n, q), MPa), (max - min) / 2 over the frames, its robust peak
    (percentile, % by the points' volume dV (n, q) mm^3), and the card's Basquin life (cycles, years);
    NaN when a frame was not reached (the gait path ended at a limit point: no whole cycle)."""
    if (card is None or card.fatigue is None or max_principal_fp.size == 0
            or not np.isfinite(max_principal_fp).all()):
        return {"cement_stress_amplitude_MPa": float("nan"), "cement_fatigue_life_cycles": float("nan"),
                "cement_fatigue_life_years": float("nan")}
    amplitude = 0.5 * (max_principal_fp.max(axis=0) - max_principal_fp.min(axis=0))
    peak = post.weighted_percentile(amplitude, dV, percentile)
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
