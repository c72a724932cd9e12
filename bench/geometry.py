"""Benchmark geometries meshed with gmsh: a hollow tube (metatarsal-shaft-like beam) and a cube.

Both carry the physical groups 'solid' (volume), 'base' (face z = 0) and 'tip' (face z = top).
Run as a script to mesh into a .msh file in a child process, so that gmsh's own memory does not
count towards the peak RSS of the finite-element model:

    python bench/geometry.py out.msh --shape tube --size 1.0 --order 2
"""

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

TUBE = {"length": 60.0, "r_out": 5.0, "r_in": 2.5}
CUBE_SIDE = 20.0
# Measured with gmsh 4.15 (MeshSizeMin = MeshSizeMax = h): elements ~ DENSITY * volume / h^3
# (tube: 17105 tets at h = 1.0 mm). Used only to turn a target element count into a size.
DENSITY = 4.84


def volume_mm3(shape: str) -> float:
    if shape == "tube":
        return 3.141592653589793 * (TUBE["r_out"] ** 2 - TUBE["r_in"] ** 2) * TUBE["length"]
    return CUBE_SIDE ** 3


def size_for(shape: str, n_elements: float) -> float:
    """Mesh size (mm) expected to give about n_elements tets."""
    return (DENSITY * volume_mm3(shape) / n_elements) ** (1.0 / 3.0)


def mesh(path, shape="tube", size=1.0, order=2, threads=1):
    """Mesh `shape` with uniform size `size` (mm) and element order 1 (tet4) or 2 (tet10) into `path`.

    One gmsh thread by default: the 3D mesher gives the same mesh on every run only then.
    """
    import gmsh

    from sim.geometry.meshing import start_gmsh

    start_gmsh()
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.option.setNumber("General.NumThreads", threads)
        gmsh.model.add(shape)
        occ = gmsh.model.occ
        if shape == "tube":
            top = TUBE["length"]
            outer = occ.addCylinder(0, 0, 0, 0, 0, top, TUBE["r_out"])
            inner = occ.addCylinder(0, 0, 0, 0, 0, top, TUBE["r_in"])
            vol, _ = occ.cut([(3, outer)], [(3, inner)])
        elif shape == "cube":
            top = CUBE_SIDE
            vol = [(3, occ.addBox(-top / 2, -top / 2, 0, top, top, top))]
        else:
            raise ValueError(f"unknown shape '{shape}'")
        occ.synchronize()
        gmsh.model.addPhysicalGroup(3, [vol[0][1]], name="solid")
        gmsh.model.addPhysicalGroup(2, _faces_at(gmsh, 0.0), name="base")
        gmsh.model.addPhysicalGroup(2, _faces_at(gmsh, top), name="tip")
        gmsh.option.setNumber("Mesh.MeshSizeMin", size)
        gmsh.option.setNumber("Mesh.MeshSizeMax", size)
        gmsh.model.mesh.generate(3)
        gmsh.model.mesh.setOrder(order)  # edge nodes of tet10 placed on the curved geometry
        gmsh.option.setNumber("Mesh.SaveAll", 0)
        gmsh.option.setNumber("Mesh.Binary", 1)
        gmsh.write(str(path))
    finally:
        gmsh.finalize()


def _faces_at(gmsh, z, tol=1e-6):
    out = []
    for dim, tag in gmsh.model.getEntities(2):
        box = gmsh.model.getBoundingBox(dim, tag)
        if abs(box[2] - z) < tol and abs(box[5] - z) < tol:
            out.append(tag)
    return out


def mesh_in_child(path, shape, size, order) -> tuple[float, float]:
    """Mesh in a child process; returns (wall time s, peak RSS of the child in MB)."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(Path(__file__).resolve()), str(path), "--shape", shape,
                    "--size", repr(size), "--order", str(order)], check=True)
    return time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--shape", choices=("tube", "cube"), default="tube")
    ap.add_argument("--size", type=float, default=1.0)
    ap.add_argument("--order", type=int, choices=(1, 2), default=2)
    a = ap.parse_args()
    mesh(a.path, a.shape, a.size, a.order)
