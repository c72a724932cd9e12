"""Size estimates made before any work starts, so that a run that cannot fit this machine is refused at
once, with the estimate, instead of failing after minutes (or gigabytes) of meshing and solving.

The estimates are rough upper figures calibrated on ray meshes (ray 2 at 3 mm: about 20 000 cells, where
curvature sizing dominates; finer, the count grows as volume / size^3), the assembly and solver memory
figures of the README's benchmarks (a direct solve needs about 15 kB per degree of freedom) and the
displacement history of every gait frame (8 bytes per DOF and frame, times 4 for the stresses and
strains derived from it). A user on a bigger machine can pass --ignore-limits.
"""

import os
from dataclasses import dataclass

from .errors import InputError

MIN_CELLS = 20000  # a ray at coarse sizes: curvature sizing and thin layers set the count
CELLS_PER_BOX_VOLUME = 6.0  # cells per (size_mm)^3 of bounding box volume, at fine sizes
NODES_PER_CELL = {1: 0.25, 2: 1.5}
BYTES_PER_DOF_SOLVE = 15e3
BYTES_PER_DOF_FRAME = 32.0
MAX_CELLS = 5_000_000  # gmsh alone needs hours and tens of GB beyond this


@dataclass(frozen=True)
class Estimate:
    cells: float
    dofs: float
    frames: int
    bytes: float

    def text(self) -> str:
        return (f"about {self.cells:.3g} cells, {self.dofs:.3g} DOFs, {self.frames} frames, "
                f"{self.bytes / 1e9:.3g} GB")


def physical_memory_bytes() -> float:
    """This machine's RAM (bytes), or infinity when it cannot be read."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return float("inf")


def box_volume_mm3(geometry) -> float:
    """Bounding box volume (mm^3) of a ray geometry (parametric bones or a surface file)."""
    if geometry.surface is not None:
        from .mesh.io import read_meshio

        points = read_meshio(geometry.surface.path, "surface").points[:, :3]
        return float((points.max(axis=0) - points.min(axis=0)).prod())
    m, p = geometry.metatarsal, geometry.phalanx
    height = max(m.head_height_mm, m.base_height_mm, p.base_height_mm, p.head_height_mm)
    width = max(m.head_width_mm, m.base_width_mm, p.base_width_mm, p.head_width_mm)
    return (m.length_mm + p.length_mm + geometry.cartilage_mm) * height * width


def estimate(geometry, size_mm: float, order: int, frames: int = 1) -> Estimate:
    cells = MIN_CELLS + CELLS_PER_BOX_VOLUME * box_volume_mm3(geometry) / size_mm ** 3
    dofs = 3.0 * NODES_PER_CELL[order] * cells
    return Estimate(cells, dofs, frames, dofs * (BYTES_PER_DOF_SOLVE + BYTES_PER_DOF_FRAME * frames))


def for_mesh(n_cells: int, n_nodes: int) -> Estimate:
    """The estimate of a one-frame solve of a mesh already read (3 DOFs per node)."""
    dofs = 3.0 * n_nodes
    return Estimate(float(n_cells), dofs, 1, dofs * (BYTES_PER_DOF_SOLVE + BYTES_PER_DOF_FRAME))


def check(estimates: list[Estimate], parallel: int, where: str, ignore: bool = False) -> None:
    """Refuse (InputError) a run whose largest case exceeds MAX_CELLS, or whose `parallel` largest cases
    together exceed 80 % of this machine's memory; `ignore` skips the check."""
    if ignore or not estimates:
        return
    largest = max(estimates, key=lambda e: e.bytes)
    if largest.cells > MAX_CELLS:
        raise InputError(f"{where}: too large to mesh here: {largest.text()} (limit {MAX_CELLS:.3g} cells); "
                         f"use a larger mesh size, or --ignore-limits")
    memory = physical_memory_bytes()
    need = largest.bytes * max(1, min(parallel, len(estimates)))
    if need > 0.8 * memory:
        raise InputError(f"{where}: needs about {need / 1e9:.3g} GB ({largest.text()} per case, {parallel} at "
                         f"once), more than this machine's {memory / 1e9:.3g} GB; use a larger mesh size, fewer "
                         f"frames or --jobs 1, or --ignore-limits")
