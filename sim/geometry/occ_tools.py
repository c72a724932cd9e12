"""Small OpenCASCADE (gmsh.model.occ) building blocks in mm: lofts, balls, half-spaces, fillets, volumes.

Solids are passed around as lists of (3, tag) pairs ("dimtags"). A gmsh session must be open.
"""

import gmsh
import numpy as np

from .profiles import Profile

BIG_MM = 300.0  # half-space boxes reach this far: beyond any foot bone


def loft(profile: Profile) -> list:
    """A solid through the closed spline sections of `profile` (flat end faces; surface degree <= 3,
    which keeps the booleans on it fast)."""
    occ = gmsh.model.occ
    wires = []
    for section in profile.points_mm():
        pts = [occ.addPoint(*p) for p in section]
        curve = occ.addSpline(pts + pts[:1])
        wires.append(occ.addWire([curve]))
    return occ.addThruSections(wires, makeSolid=True, makeRuled=False, maxDegree=3)


def ball(centre_mm, radius_mm: float) -> list:
    """A sphere with its poles on the x axis (so that planes x = const never cut through a pole)."""
    sphere = [(3, gmsh.model.occ.addSphere(*centre_mm, radius_mm))]
    gmsh.model.occ.rotate(sphere, *centre_mm, 0, 1, 0, np.pi / 2)
    return sphere


def half_space(point_mm, normal) -> list:
    """The (large) box of points q with (q - point) . normal >= 0."""
    occ = gmsh.model.occ
    n = np.asarray(normal, float) / np.linalg.norm(normal)
    box = [(3, occ.addBox(-BIG_MM, -BIG_MM, 0.0, 2 * BIG_MM, 2 * BIG_MM, BIG_MM))]
    axis = np.cross([0.0, 0.0, 1.0], n)
    if np.linalg.norm(axis) > 1e-12:
        occ.rotate(box, 0, 0, 0, *axis, np.arccos(np.clip(n[2], -1.0, 1.0)))
    elif n[2] < 0:
        occ.rotate(box, 0, 0, 0, 1, 0, 0, np.pi)
    occ.translate(box, *point_mm)
    return box


def copy(dimtags) -> list:
    return gmsh.model.occ.copy(dimtags)


def intersect(a, b, keep_a=False, keep_b=False) -> list:
    """a and b (solids); the inputs are consumed unless kept."""
    out, _ = gmsh.model.occ.intersect(a, b, removeObject=not keep_a, removeTool=not keep_b)
    return out


def cut(a, b, keep_b=False) -> list:
    """a minus b; a is consumed, b unless kept."""
    out, _ = gmsh.model.occ.cut(a, b, removeTool=not keep_b)
    return out


def fuse(a, b) -> list:
    out, _ = gmsh.model.occ.fuse(a, b)
    return out


def fillet(dimtags, curves: list[int], radius_mm: float) -> list:
    """The solids rounded along the given curves (edges of theirs) with radius_mm; the inputs are consumed."""
    return gmsh.model.occ.fillet([t for d, t in dimtags if d == 3], curves, [radius_mm])


def faces_in_plane(dimtags, point_mm, normal, tol_mm: float = 1e-6) -> list[int]:
    """Boundary surfaces of the solids that lie in the plane through point_mm with the given normal
    (checked on a 5 x 5 grid of each face's parameters); synchronizes the model."""
    gmsh.model.occ.synchronize()
    n = np.asarray(normal, float) / np.linalg.norm(normal)
    faces = []
    for _, face in gmsh.model.getBoundary(dimtags, combined=False, oriented=False):
        lo, hi = gmsh.model.getParametrizationBounds(2, face)
        uv = np.stack(np.meshgrid(*(np.linspace(a, b, 5) for a, b in zip(lo, hi))), axis=-1).ravel()
        points = np.reshape(gmsh.model.getValue(2, face, uv), (-1, 3))
        if np.abs((points - point_mm) @ n).max() < tol_mm:
            faces.append(face)
    return faces


def boundary_curves(faces: list[int]) -> list[int]:
    """The curves bounding the given surfaces (synchronized model)."""
    return sorted({c for _, c in gmsh.model.getBoundary([(2, f) for f in faces], combined=False,
                                                        oriented=False)})


def curve_points_mm(curves: list[int], n: int = 64) -> np.ndarray:
    """n points (len(curves) * n, 3) evenly in parameter along each curve (synchronized model)."""
    points = []
    for curve in curves:
        lo, hi = gmsh.model.getParametrizationBounds(1, curve)
        points.append(np.reshape(gmsh.model.getValue(1, curve, np.linspace(lo[0], hi[0], n)), (-1, 3)))
    return np.concatenate(points)


def inside(dimtags, points_mm) -> np.ndarray:
    """Whether each point (p, 3) lies inside one of the solids (synchronizes the model)."""
    gmsh.model.occ.synchronize()
    return np.array([any(gmsh.model.isInside(3, t, list(p)) for d, t in dimtags if d == 3) for p in points_mm])


def length_mm(curves: list[int]) -> float:
    """Total length of curves, in mm."""
    return sum(gmsh.model.occ.getMass(1, c) for c in curves)


def volume_mm3(dimtags) -> float:
    """Total volume of solids, in mm^3."""
    return sum(gmsh.model.occ.getMass(d, t) for d, t in dimtags if d == 3)


def trial_volume_mm3(build) -> float:
    """Volume of a temporary solid made by `build()`, which is removed afterwards."""
    shape = build()
    vol = volume_mm3(shape)
    gmsh.model.occ.remove(shape, recursive=True)
    return vol
