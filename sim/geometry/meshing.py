"""gmsh session, deterministic mesh options, interface refinement, tet generation and quality (mm).

Second-order meshes keep straight edges (Mesh.SecondOrderLinear): midside nodes sit at edge midpoints,
so tet4 and tet10 meshes of one case have the same volumes, and no curved element can invert.
"""

import os
import tempfile
from contextlib import contextmanager

import gmsh
import numpy as np

from ..errors import InputError

REFINE = 0.5  # element size at interfaces / global size
CURVATURE_ELEMENTS = 20  # elements per 2 pi of boundary curvature


def start_gmsh() -> None:
    """gmsh.initialize without touching the user's files: gmsh reads and writes no option files
    (readConfigFiles=False), and its GUI toolkit's preference file (FLTK writes $HOME/.fltk/... at
    start-up) goes to a private temporary HOME that is removed. Every gmsh start goes through here."""
    with _private_home():
        gmsh.initialize(readConfigFiles=False, interruptible=False)


@contextmanager
def gmsh_session(name: str):
    """An initialised gmsh (start_gmsh) with one empty model, finalised on exit (quiet, single-threaded);
    gmsh's own failures become one-line InputErrors."""
    start_gmsh()
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.option.setNumber("Geometry.OCCBoundsUseStl", 1)  # tight bounding boxes of spline solids
        gmsh.model.add(name)
        yield
    except Exception as exc:
        if type(exc) is not Exception:  # gmsh reports its failures as a bare Exception; others are ours
            raise
        raise InputError(f"gmsh could not build the mesh: {str(exc).strip() or 'unknown error'}") from None
    finally:
        gmsh.finalize()


@contextmanager
def _private_home():
    """HOME set to a temporary folder for the duration (then restored and the folder removed)."""
    saved = os.environ.get("HOME")
    with tempfile.TemporaryDirectory(prefix="spacer-gmsh-home-") as home:
        os.environ["HOME"] = home
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop("HOME", None)
            else:
                os.environ["HOME"] = saved


def set_options(size_mm: float, order: int) -> None:
    """Options that make meshing of the same geometry repeatable and sized to size_mm."""
    for key, number in (("General.NumThreads", 1), ("Mesh.MaxNumThreads1D", 1), ("Mesh.MaxNumThreads2D", 1),
                        ("Mesh.MaxNumThreads3D", 1), ("Mesh.RandomSeed", 1), ("Mesh.Algorithm", 6),
                        ("Mesh.Algorithm3D", 1), ("Mesh.MeshSizeMax", size_mm),
                        ("Mesh.MeshSizeMin", REFINE * size_mm / 2), ("Mesh.MeshSizeFromPoints", 0),
                        ("Mesh.MeshSizeExtendFromBoundary", 0),
                        ("Mesh.MeshSizeFromCurvature", CURVATURE_ELEMENTS), ("Mesh.ElementOrder", order),
                        ("Mesh.SecondOrderLinear", 1), ("Mesh.Optimize", 1), ("Mesh.SaveAll", 0),
                        ("Mesh.MshFileVersion", 4.1)):
        gmsh.option.setNumber(key, number)


def refine_near(surfaces: list[int], size_mm: float) -> None:
    """Element size REFINE x size_mm on the given surfaces, growing to size_mm over 3 x size_mm."""
    if not surfaces:
        return
    field = gmsh.model.mesh.field
    distance = field.add("Distance")
    field.setNumbers(distance, "SurfacesList", sorted(surfaces))
    field.setNumber(distance, "Sampling", 10)
    threshold = field.add("Threshold")
    field.setNumber(threshold, "InField", distance)
    field.setNumber(threshold, "SizeMin", REFINE * size_mm)
    field.setNumber(threshold, "SizeMax", size_mm)
    field.setNumber(threshold, "DistMin", 0.5 * size_mm)
    field.setNumber(threshold, "DistMax", 3.0 * size_mm)
    field.setAsBackgroundMesh(threshold)


def generate(order: int) -> None:
    """3D tetrahedra of the given order (1 or 2)."""
    gmsh.model.mesh.generate(3)
    if order == 2:
        gmsh.model.mesh.setOrder(2)


def quality() -> dict:
    """Element quality (gmsh minSICN: 1 = regular tet, <= 0 = inverted) and counts of the 3D mesh."""
    types, tags, _ = gmsh.model.mesh.getElements(3)
    element_tags = np.concatenate(tags)
    sicn = np.asarray(gmsh.model.mesh.getElementQualities(element_tags, "minSICN"))
    return {"min_sicn": float(sicn.min()), "mean_sicn": float(sicn.mean()),
            "poor_elements_sicn_below_0.1": int((sicn < 0.1).sum()), "n_cells": int(len(element_tags))}
