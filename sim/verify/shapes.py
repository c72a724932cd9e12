"""Small gmsh geometries of the verification cases (tube, thick cylinder quarter, NAFEMS LE10 plate), as .msh
files, and the pieces every such geometry uses: a quiet model, faces found by plane, uniform or graded sizes."""

import math
from contextlib import contextmanager

import gmsh

from ..geometry.meshing import start_gmsh


@contextmanager
def gmsh_model():
    """A fresh, quiet, single-threaded gmsh model (yields its OCC kernel); gmsh is finalized on leaving."""
    start_gmsh()
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.option.setNumber("General.NumThreads", 1)
        gmsh.model.add("shape")
        yield gmsh.model.occ
    finally:
        gmsh.finalize()


def write_uniform(path, size, order):
    """Mesh the model at one element size (mm) and write it."""
    gmsh.option.setNumber("Mesh.MeshSizeMin", size)
    gmsh.option.setNumber("Mesh.MeshSizeMax", size)
    _write(path, order)


def write_graded(path, points, size_min, size_max, dist_min, dist_max, order=2):
    """Mesh the model with size_min within dist_min of the point entities `points`, growing to size_max at
    dist_max (a gmsh Distance + Threshold field; other size sources off), and write it."""
    field = gmsh.model.mesh.field
    field.add("Distance", 1)
    field.setNumbers(1, "PointsList", list(points))
    field.add("Threshold", 2)
    field.setNumber(2, "InField", 1)
    for key, value in (("SizeMin", size_min), ("SizeMax", size_max), ("DistMin", dist_min), ("DistMax", dist_max)):
        field.setNumber(2, key, value)
    field.setAsBackgroundMesh(2)
    for key in ("MeshSizeExtendFromBoundary", "MeshSizeFromPoints", "MeshSizeFromCurvature"):
        gmsh.option.setNumber("Mesh." + key, 0)
    _write(path, order)


def _write(path, order):
    gmsh.model.mesh.generate(3)
    gmsh.model.mesh.setOrder(order)
    gmsh.option.setNumber("Mesh.SaveAll", 0)
    gmsh.write(str(path))


def faces_at(axis, value, tol=1e-6):
    """Surfaces whose bounding box lies in the plane coordinate[axis] == value."""
    out = []
    for dim, tag in gmsh.model.getEntities(2):
        box = gmsh.model.getBoundingBox(dim, tag)
        if abs(box[axis] - value) < tol and abs(box[axis + 3] - value) < tol:
            out.append(tag)
    return out


def tube(path, length=60.0, r_out=5.0, r_in=2.5, size=1.0, order=2):
    """Hollow tube along z from 0 to length; groups: 'tube' (volume), 'base', 'tip' (surfaces)."""
    with gmsh_model() as occ:
        outer = occ.addCylinder(0, 0, 0, 0, 0, length, r_out)
        inner = occ.addCylinder(0, 0, 0, 0, 0, length, r_in)
        vol, _ = occ.cut([(3, outer)], [(3, inner)])
        occ.synchronize()
        gmsh.model.addPhysicalGroup(3, [vol[0][1]], name="tube")
        gmsh.model.addPhysicalGroup(2, faces_at(2, 0.0), name="base")
        gmsh.model.addPhysicalGroup(2, faces_at(2, length), name="tip")
        write_uniform(path, size, order)


def thick_cylinder_quarter(path, a=1.0, b=2.0, height=0.5, size=0.15, order=2):
    """Quarter of a thick-walled cylinder (x, y >= 0); groups: 'wall', 'inner', 'sym_x' (x=0),
    'sym_y' (y=0), 'ends' (z=0 and z=height)."""
    with gmsh_model() as occ:
        outer = occ.addCylinder(0, 0, 0, 0, 0, height, b, angle=math.pi / 2)
        inner = occ.addCylinder(0, 0, 0, 0, 0, height, a, angle=math.pi / 2)
        vol, _ = occ.cut([(3, outer)], [(3, inner)])
        occ.synchronize()
        gmsh.model.addPhysicalGroup(3, [vol[0][1]], name="wall")
        planar = set(faces_at(0, 0.0) + faces_at(1, 0.0) + faces_at(2, 0.0) + faces_at(2, height))
        inner_faces = [t for _, t in gmsh.model.getEntities(2)
                       if t not in planar and gmsh.model.getBoundingBox(2, t)[3] < a + 1e-6]
        gmsh.model.addPhysicalGroup(2, inner_faces, name="inner")
        gmsh.model.addPhysicalGroup(2, faces_at(0, 0.0), name="sym_x")
        gmsh.model.addPhysicalGroup(2, faces_at(1, 0.0), name="sym_y")
        gmsh.model.addPhysicalGroup(2, faces_at(2, 0.0) + faces_at(2, height), name="ends")
        write_uniform(path, size, order)


def le10_plate(path, size=250.0, size_at_d=50.0, order=2):
    """NAFEMS LE10 thick elliptic plate, quarter (x, y >= 0), in mm: inner ellipse semi-axes 2000 x 1000,
    outer 3250 x 2750, thickness 600 (z from -300 to 300) in two layers so that the outer mid-plane line
    exists. Groups: 'plate'; 'sym_x' (x = 0), 'sym_y' (y = 0), 'outer' (outer curved face), 'top'
    (z = 300); 'outer_mid' (outer edge at z = 0); 'D' (point D = (2000, 0, 300)). Refined towards D."""
    with gmsh_model() as occ:
        ring, _ = occ.cut([(2, occ.addDisk(0, 0, -300, 3250, 2750))], [(2, occ.addDisk(0, 0, -300, 2000, 1000))])
        quarter, _ = occ.intersect(ring, [(2, occ.addRectangle(0, 0, -300, 4000, 4000))])
        lower = occ.extrude(quarter, 0, 0, 300)
        upper = occ.extrude([lower[0]], 0, 0, 300)
        occ.synchronize()
        gmsh.model.addPhysicalGroup(3, [lower[1][1], upper[1][1]], name="plate")
        gmsh.model.addPhysicalGroup(2, faces_at(0, 0.0), name="sym_x")
        gmsh.model.addPhysicalGroup(2, faces_at(1, 0.0), name="sym_y")
        gmsh.model.addPhysicalGroup(2, faces_at(2, 300.0), name="top")
        box = lambda dim, tag: gmsh.model.getBoundingBox(dim, tag)
        outer = [t for _, t in gmsh.model.getEntities(2) if abs(box(2, t)[3] - 3250) < 1e-3 and box(2, t)[4] > 1
                 and box(2, t)[5] - box(2, t)[2] > 1]
        gmsh.model.addPhysicalGroup(2, outer, name="outer")
        mid = [t for _, t in gmsh.model.getEntities(1) if abs(box(1, t)[2]) < 1e-6 and abs(box(1, t)[5]) < 1e-6
               and abs(box(1, t)[3] - 3250) < 1e-3 and box(1, t)[4] > 1]
        gmsh.model.addPhysicalGroup(1, mid, name="outer_mid")
        d = [t for _, t in gmsh.model.getEntitiesInBoundingBox(1999, -1, 299, 2001, 1, 301, 0)]
        gmsh.model.addPhysicalGroup(0, d, name="D")
        write_graded(path, d, size_at_d, size, 2 * size_at_d, 1500.0, order)
