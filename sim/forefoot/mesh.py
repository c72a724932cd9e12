"""Mesh one forefoot case: build it in gmsh (geometry.py), mesh, read back, label cells by ray (mm, mm^3)."""

import time
from dataclasses import dataclass
from pathlib import Path

import gmsh
import numpy as np

from ..geometry.assemble import add_physical_groups
from ..geometry.measure import cell_volumes_mm3, centroids_mm
from ..geometry.meshing import generate, gmsh_session, quality, set_options
from ..limits import BYTES_PER_DOF_SOLVE, NODES_PER_CELL, Estimate
from ..mesh import Mesh, read_mesh
from .config import ForefootConfig
from .geometry import ForefootModel, RayFrame, build_forefoot
from .spacer_mesh import refine_cement

CURVATURE_ELEMENTS = 8  # elements per 2 pi of curvature: coarser than a single ray's 20, to fit 2 cores
# measured: five rays at 8 mm, tet10: 23 000 cells, 32 000 nodes, 1 821 frictional contact rows, peak 3 GB
CELLS_AT_8MM = 23000.0
SOLE_AREA_MM2 = 9000.0  # about the meshed sole's area
TOE_REACH_MM = 60.0  # beyond any proximal phalanx
BONE_REGIONS = ("cortical", "cancellous", "phalanx_cortical", "phalanx_cancellous", "joint_cartilage",
                "cement", "soft_tissue")


@dataclass
class ForefootMesh:
    """The mesh, the ray each cell belongs to (ray number, 0 for envelope, insole and midfoot), the ray
    frames, midfoot plane, ground height (mm), per resected ray its void and cement volumes (mm^3), quality."""

    mesh: Mesh
    cell_ray: np.ndarray
    rays: list
    model: ForefootModel
    void_mm3: dict
    cement_mm3: dict
    quality: dict

    def frame(self, ray: int) -> RayFrame:
        return next(f for f in self.rays if f.ray == ray)


def build_forefoot_mesh(cfg: ForefootConfig, out_dir) -> ForefootMesh:
    """Mesh the case into out_dir/mesh.msh and read it back."""
    start = time.perf_counter()
    targets = {r: (c.spacer.fill_fraction if c.resection else 0.0) for r, c in cfg.rays.items()}
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    path = Path(out_dir) / "mesh.msh"
    with gmsh_session("forefoot"):
        model = build_forefoot(cfg.rays, targets, cfg.insole_mm, cfg.arch_mm)
        add_physical_groups(model.regions, model.surfaces)
        set_options(cfg.mesh.size_mm, cfg.mesh.order)
        if cfg.spacer_mm is not None:
            refine_cement(model.regions, cfg.spacer_mm, cfg.mesh.size_mm)
        gmsh.option.setNumber("Mesh.MeshSizeFromCurvature", CURVATURE_ELEMENTS)
        generate(cfg.mesh.order)
        q = quality()
        gmsh.write(str(path))
    mesh = read_mesh(path)
    cell_ray = label_cells(mesh, model.rays)
    vol = cell_volumes_mm3(mesh)
    cement, void = {}, {}
    for r in cfg.resected:
        mine = cell_ray == r
        cement[r] = _volume(mesh, vol, mine, "cement")
        void[r] = cement[r] + _volume(mesh, vol, mine, "soft_tissue") if cfg.rays[r].spacer.void_fill != "empty" \
            else model.void_mm3[r]
    q.update(seconds=round(time.perf_counter() - start, 2), n_nodes=mesh.n_nodes, order=mesh.order)
    return ForefootMesh(mesh, cell_ray, model.rays, model, void, cement, q)


def _volume(mesh: Mesh, vol: np.ndarray, mine: np.ndarray, region: str) -> float:
    if region not in mesh.region_ids:
        return 0.0
    return float(vol[mine & (mesh.region == mesh.region_ids[region])].sum())


def label_cells(mesh: Mesh, frames: list[RayFrame]) -> np.ndarray:
    """Ray number of each bone, joint, cement or scar cell (nearest ray axis, from the base to beyond the
    toe tip); 0 for the envelope, insole and midfoot."""
    c = centroids_mm(mesh, np.arange(mesh.n_cells))
    dist = [_to_segment(c, np.array(f.base_mm), np.array(f.head_centre_mm) + TOE_REACH_MM * np.array(f.axis))
            for f in frames]
    nearest = np.array([f.ray for f in frames])[np.argmin(np.array(dist), axis=0)]
    ids = [mesh.region_ids[n] for n in BONE_REGIONS if n in mesh.region_ids]
    return np.where(np.isin(mesh.region, ids), nearest, 0)


def _to_segment(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance (p,) of points (p, 3) from the segment a-b (mm)."""
    ab = b - a
    t = np.clip((points - a) @ ab / (ab @ ab), 0.0, 1.0)
    return np.linalg.norm(points - a - t[:, None] * ab, axis=1)


def size_estimate(cfg: ForefootConfig) -> Estimate:
    """Rough size of one forefoot case before meshing: cells scale as size^-3 from the measured 8 mm mesh
    (curvature sizing keeps a floor), the solve as a single ray's per DOF plus the dense contact operator
    (8 bytes per pair of contact rows; 3 rows per sole node with friction)."""
    cells = CELLS_AT_8MM * max(1.0, (8.0 / cfg.mesh.size_mm) ** 3)
    dofs = 3.0 * NODES_PER_CELL[cfg.mesh.order] * cells
    sole_nodes = SOLE_AREA_MM2 / (0.43 * cfg.mesh.size_mm ** 2) * (2 if cfg.mesh.order == 2 else 0.5)
    rows = sole_nodes * (3 if cfg.ground == "frictional" else 1)
    return Estimate(cells, dofs, 1, dofs * BYTES_PER_DOF_SOLVE + 8.0 * rows**2)
