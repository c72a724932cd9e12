"""Small gmsh geometries for verification tests (tube, thick cylinder quarter), written as .msh files."""

import math

import gmsh


def _start():
    gmsh.initialize(interruptible=False)
    gmsh.option.setNumber("General.Terminal", 0)
    gmsh.option.setNumber("General.NumThreads", 1)
    gmsh.model.add("shape")


def _finish(path, size, order):
    gmsh.option.setNumber("Mesh.MeshSizeMin", size)
    gmsh.option.setNumber("Mesh.MeshSizeMax", size)
    gmsh.model.mesh.generate(3)
    gmsh.model.mesh.setOrder(order)
    gmsh.option.setNumber("Mesh.SaveAll", 0)
    gmsh.write(str(path))
    gmsh.finalize()


def _faces_at(axis, value, tol=1e-6):
    """Surfaces whose bounding box lies in the plane coordinate[axis] == value."""
    out = []
    for dim, tag in gmsh.model.getEntities(2):
        box = gmsh.model.getBoundingBox(dim, tag)
        if abs(box[axis] - value) < tol and abs(box[axis + 3] - value) < tol:
            out.append(tag)
    return out


def tube(path, length=60.0, r_out=5.0, r_in=2.5, size=1.0, order=2):
    """Hollow tube along z from 0 to length; groups: 'tube' (volume), 'base', 'tip' (surfaces)."""
    _start()
    occ = gmsh.model.occ
    outer = occ.addCylinder(0, 0, 0, 0, 0, length, r_out)
    inner = occ.addCylinder(0, 0, 0, 0, 0, length, r_in)
    vol, _ = occ.cut([(3, outer)], [(3, inner)])
    occ.synchronize()
    gmsh.model.addPhysicalGroup(3, [vol[0][1]], name="tube")
    gmsh.model.addPhysicalGroup(2, _faces_at(2, 0.0), name="base")
    gmsh.model.addPhysicalGroup(2, _faces_at(2, length), name="tip")
    _finish(path, size, order)


def thick_cylinder_quarter(path, a=1.0, b=2.0, height=0.5, size=0.15, order=2):
    """Quarter of a thick-walled cylinder (x, y >= 0); groups: 'wall', 'inner', 'sym_x' (x=0),
    'sym_y' (y=0), 'ends' (z=0 and z=height)."""
    _start()
    occ = gmsh.model.occ
    outer = occ.addCylinder(0, 0, 0, 0, 0, height, b, angle=math.pi / 2)
    inner = occ.addCylinder(0, 0, 0, 0, 0, height, a, angle=math.pi / 2)
    vol, _ = occ.cut([(3, outer)], [(3, inner)])
    occ.synchronize()
    gmsh.model.addPhysicalGroup(3, [vol[0][1]], name="wall")
    planar = set(_faces_at(0, 0.0) + _faces_at(1, 0.0) + _faces_at(2, 0.0) + _faces_at(2, height))
    inner_faces = [t for _, t in gmsh.model.getEntities(2)
                   if t not in planar and gmsh.model.getBoundingBox(2, t)[3] < a + 1e-6]
    gmsh.model.addPhysicalGroup(2, inner_faces, name="inner")
    gmsh.model.addPhysicalGroup(2, _faces_at(0, 0.0), name="sym_x")
    gmsh.model.addPhysicalGroup(2, _faces_at(1, 0.0), name="sym_y")
    gmsh.model.addPhysicalGroup(2, _faces_at(2, 0.0) + _faces_at(2, height), name="ends")
    _finish(path, size, order)
