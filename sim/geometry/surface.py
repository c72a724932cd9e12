"""A patient metatarsal from a closed surface (STL/OBJ/PLY, mm), rebuilt as a loft in the ray frame.

Simplification for a surface-only input (no density information):
  - the bone axis is the surface's principal axis (area-weighted); x runs from base to head
    (orientation from distal_direction), z is the second principal axis turned towards dorsal_direction;
  - the bone is rebuilt as a loft through N_STATIONS cross-sections perpendicular to that axis, each
    sampled as the outermost radius at profiles.N_ANGLES angles about the section centre; both ends are
    cut flat END_TRIM x length inside the bone's extreme points (the flat base face is x = 0 and is
    fixed; the flat distal face carries the load);
  - the cancellous core is the loft inset by cortical_mm, thinning to EPIPHYSIS_CORTEX_MM over the
    end quarters and stopping EPIPHYSIS_CORTEX_MM short of the distal face, as in the parametric
    bones; no phalanx or cartilage is added.
"""

from dataclasses import dataclass


import numpy as np

from ..errors import InputError
from ..mesh.io import read_meshio
from . import occ_tools as occ
from .anatomy import EPIPHYSIS_CORTEX_MM
from .bones import Bone, BoneSet
from .profiles import THETA, Profile

N_STATIONS = 24
END_TRIM = 0.02
MIN_CORE = 0.3  # the core radius never drops below this fraction of the outer radius


@dataclass(frozen=True)
class Frame:
    """The ray frame in file coordinates: origin_mm (3,) and axes (3, 3), rows = x, y, z unit vectors."""

    origin_mm: np.ndarray
    axes: np.ndarray

    def to_frame(self, point_mm, direction):
        """A point and a direction from file coordinates into the ray frame."""
        return self.axes @ (np.asarray(point_mm) - self.origin_mm), self.axes @ np.asarray(direction)


def read_closed_surface(path) -> tuple[np.ndarray, np.ndarray]:
    """Points (n, 3) in mm and triangles (t, 3) of a closed (watertight) triangulated surface."""
    raw = read_meshio(path, "surface")
    tris = [b.data for b in raw.cells if b.type == "triangle"]
    if not tris:
        raise InputError(f"{path}: no triangles in the surface file")
    points, triangles = _merge_duplicates(raw.points[:, :3].astype(float), np.concatenate(tris))
    edges = np.sort(triangles[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2), axis=1)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    if (counts != 2).any():
        raise InputError(f"{path}: the surface is not closed (watertight): {int((counts != 2).sum())} edges "
                         f"are not shared by exactly two triangles")
    return points, triangles


def surface_bone(surface) -> tuple[BoneSet, Frame]:
    """The metatarsal of a config.Surface as OCC solids in the ray frame, and that frame."""
    points, triangles = read_closed_surface(surface.path)
    frame = principal_frame(points, triangles, surface.distal_direction, surface.dorsal_direction, surface.path)
    local = (points - frame.origin_mm) @ frame.axes.T
    full = local[:, 0].max() - local[:, 0].min()
    trim = END_TRIM * full
    frame = Frame(frame.origin_mm + (local[:, 0].min() + trim) * frame.axes[0], frame.axes)
    local = (points - frame.origin_mm) @ frame.axes.T
    outer = sections(local, triangles, np.linspace(0.0, full - 2 * trim, N_STATIONS))
    pos = outer.x_mm / outer.x_mm[-1]
    ramp = np.clip(np.minimum(pos, 1 - pos) / 0.25, 0.0, 1.0)
    thickness = EPIPHYSIS_CORTEX_MM + ramp * (surface.cortical_mm - EPIPHYSIS_CORTEX_MM)
    inner = outer.inset(thickness, outer.x_mm * (1 - EPIPHYSIS_CORTEX_MM / outer.x_mm[-1]))
    inner = Profile(inner.x_mm, np.maximum(inner.radii_mm, MIN_CORE * outer.radii_mm), inner.centre_mm)
    bone = Bone(occ.loft(outer), occ.loft(inner), -trim, full - trim, "cortical", "cancellous", outer)
    return BoneSet({"metatarsal": bone}, 0.0, float(outer.x_mm[-1])), frame


def principal_frame(points, triangles, distal, dorsal, path) -> Frame:
    """Area-weighted principal axes of the surface, oriented by the distal and dorsal hints."""
    corners = points[triangles]
    area = np.linalg.norm(np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]), axis=1) / 2
    centres = corners.mean(axis=1)
    centroid = area @ centres / area.sum()
    spread = (centres - centroid).T * area @ (centres - centroid)
    _, vectors = np.linalg.eigh(spread)
    x = _oriented(vectors[:, 2], distal, "distal_direction", path)
    z = _oriented(vectors[:, 1], dorsal, "dorsal_direction", path)
    return Frame(centroid, np.array([x, np.cross(z, x), z]))


def _oriented(axis, hint, name, path) -> np.ndarray:
    """The unit axis turned to point along the hint direction."""
    hint = np.asarray(hint, float) / np.linalg.norm(hint)
    if abs(axis @ hint) < 0.1:
        raise InputError(f"{path}: {name} {hint.round(2).tolist()} is nearly perpendicular to the bone's principal "
                         f"axis {np.round(axis, 2).tolist()}; give a direction closer to it")
    return axis * np.sign(axis @ hint)


def sections(local, triangles, x_mm) -> Profile:
    """Outermost section radii of the surface (ray-frame points) at the stations x_mm, about each
    section's centre."""
    radii, centres = [], []
    for x in x_mm:
        seg = _slice(local, triangles, x)
        mid = seg.mean(axis=1)
        length = np.linalg.norm(seg[:, 1] - seg[:, 0], axis=1)
        centre = length @ mid / length.sum()
        radii.append(_ray_hits(seg, centre))
        centres.append(centre)
    return Profile(np.asarray(x_mm, float), np.array(radii), np.array(centres))


def _slice(local, triangles, x):
    """Segments (m, 2, 2) in (y, z) where the plane at x (nudged off vertices) cuts the triangles."""
    x = x + 1e-7 * (1 + abs(x))
    tri = local[triangles]
    d = tri[..., 0] - x
    crossing = (d.min(axis=1) < 0) & (d.max(axis=1) > 0)
    tri, d = tri[crossing], d[crossing]
    a, b = np.array([0, 1, 2]), np.array([1, 2, 0])
    cuts = d[:, a] * d[:, b] < 0
    t = d[:, a] / (d[:, a] - d[:, b])
    pts = tri[:, a, 1:] + t[..., None] * (tri[:, b, 1:] - tri[:, a, 1:])
    return pts[cuts].reshape(-1, 2, 2)


def _ray_hits(seg, centre) -> np.ndarray:
    """Largest distance (k,) from centre to the segments along each direction THETA (from +z to +y)."""
    u = np.stack([np.sin(THETA), np.cos(THETA)], axis=1)
    e = seg[:, 1] - seg[:, 0]
    r = seg[:, 0] - centre

    def cross(p, q):
        return p[..., 0] * q[..., 1] - p[..., 1] * q[..., 0]

    denom = cross(u[:, None], e[None])
    with np.errstate(divide="ignore", invalid="ignore"):
        t = cross(r[None], e[None]) / denom
        w = cross(r[None], u[:, None]) / denom
    hit = (w >= 0) & (w <= 1) & (t > 0)
    return np.where(hit, t, 0.0).max(axis=1)


def _merge_duplicates(points, triangles):
    """STL stores every triangle's corners apart: merge coincident points (to 1e-6 mm)."""
    key = np.round(points / 1e-6).astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return points[first], inverse.reshape(-1)[triangles]
