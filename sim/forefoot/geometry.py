"""The forefoot in OCC: five parametric rays placed side by side, a plantar soft-tissue envelope, an optional
insole, and a rigid midfoot slab tied to the metatarsal bases (foot frame and placement: anatomy.py).

Each ray is built, resected and spaced in its own frame exactly as a single ray (sim.geometry.build.resect),
then tilted head-down by its declination and moved so that its head sits at the placement's protrusion and
pad thickness above the unloaded sole (z = 0). The proximal phalanx is built on the metatarsal axis (toes
pointing down by the declination); toe dorsiflexion is a prescribed motion under load (toes.py), not
geometry (a phalanx built turned would sit in stress-free tissue: no windlass; and turning it in OCC breaks
the fragments of the joint's coincident spheres after a resection). Everything proximal to the
midfoot cut (a vertical plane along the tarsometatarsal line, through the bases of the outer rays, LISFRANC_OFFSET_MM distal to the most distal
base) belongs to the rigid midfoot. The envelope is the convex hull of the bones' outlines, MARGIN wider,
extruded from the sole to DORSAL_TISSUE_MM above the highest bone; the insole is the same footprint below
the sole. The midfoot slab starts MIDFOOT_CLEARANCE_MM above the sole, so that it never bears on the ground
itself: everything it carries passes through the rays and the envelope.

Regions: those of the single ray (cortical, cancellous, phalanx_*, joint_cartilage, cement, soft_tissue =
scar in a void), plantar_soft_tissue, insole, midfoot. Facet sets: ground (the sole, or the insole's
underside), midfoot_load (the slab's proximal face), and per resected ray the void contents' interfaces:
cement_stump / soft_tissue_stump (cut faces), cement_distal / soft_tissue_distal (the phalanx's joint
cartilage), cement_soft_tissue; where a void's content touches the envelope it stays bonded to it.
"""

from dataclasses import dataclass, field

import gmsh
import numpy as np
from scipy.spatial import ConvexHull

from ..errors import InputError
from ..geometry import occ_tools as occ
from ..geometry.assemble import fragment_regions, surface_groups
from ..geometry.build import resect, ray_parts
from ..geometry.ray import HEAD_SPHERE, build_ray
from . import anatomy

PLANE_TOL_MM = 1e-3
NO_PLANE_MM = 1e9  # x of the single ray's base/tip planes: none in the forefoot
OUTSIDE_RAYS = ("plantar_soft_tissue", "insole", "midfoot")
# the interfaces of a void's contents with the bones (stump, distal: the phalanx's joint cartilage) and with
# each other, named as in the single ray (sim.experiment.interfaces.NAMES)
VOID_INTERFACES = tuple(f"{c}_{o}" for c in ("cement", "soft_tissue") for o in ("stump", "distal", "soft_tissue")
                        if c != o)


@dataclass(frozen=True)
class RayFrame:
    """Where ray `ray` ended up in the foot frame (mm): base point and head centre on its axis, unit axis
    (base -> head, also the phalanx's), and the cut plane of its resection (point, unit normal into the
    void) or None."""

    ray: int
    base_mm: tuple
    head_centre_mm: tuple
    axis: tuple
    cut_point_mm: tuple | None = None
    cut_normal: tuple | None = None


@dataclass
class ForefootModel:
    """What the builder left in the gmsh model: regions, surfaces, ray frames, midfoot plane, ground z,
    and per resected ray the OCC void volume (mm^3)."""

    regions: dict
    surfaces: dict
    rays: list
    midfoot_point_mm: tuple
    midfoot_normal: tuple
    ground_z_mm: float
    void_mm3: dict = field(default_factory=dict)


def _rot_y(angle_rad: float) -> np.ndarray:
    """Rotation matrix of gmsh's rotate about +y by angle (x -> (cos, 0, -sin))."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _transform(dimtags, decl_rad: float, shift_mm) -> None:
    if dimtags:
        gmsh.model.occ.rotate(dimtags, 0, 0, 0, 0, 1, 0, decl_rad)
        gmsh.model.occ.translate(dimtags, *shift_mm)


def _box(dimtags):
    boxes = np.array([gmsh.model.occ.getBoundingBox(d, t) for d, t in dimtags])
    return boxes[:, :3].min(axis=0), boxes[:, 3:].max(axis=0)


def build_ray_in_foot(ray: int, cfg, target: float, arch_mm: float):
    """One ray's parts [(region, dimtags)], its RayFrame and its OCC void volume, in the foot frame."""
    place = anatomy.PLACEMENT[ray]
    decl = np.radians(place.declination_deg)
    bones = build_ray(cfg.metatarsal, cfg.phalanx, cfg.cartilage_mm)
    radius = HEAD_SPHERE * cfg.metatarsal.head_height_mm / 2
    centre = np.array([cfg.metatarsal.length_mm - radius, 0.0, 0.0])
    probe = occ.copy(bones.bones["metatarsal"].outer)  # the intact metatarsal places the ray
    gmsh.model.occ.rotate(probe, 0, 0, 0, 0, 1, 0, decl)
    low, high = _box(probe)
    gmsh.model.occ.remove(probe, recursive=True)
    shift = np.array([place.protrusion_mm - high[0], place.head_y_mm, place.pad_mm + arch_mm - low[2]])
    cut = resect(cfg, bones, target)
    parts = [p for p in cut.parts + ray_parts(bones) if p[1]]
    for _, dimtags in parts:
        _transform(dimtags, decl, shift)
    R = _rot_y(decl)
    frame = dict(ray=ray, base_mm=tuple(shift), head_centre_mm=tuple(R @ centre + shift),
                 axis=tuple(R @ np.array([1.0, 0.0, 0.0])))
    if cut.plane is not None:
        frame.update(cut_point_mm=tuple(R @ cut.plane.point_mm + shift), cut_normal=tuple(R @ cut.plane.normal))
    return parts, RayFrame(**frame), cut.void_mm3


def _midfoot_plane(frames: list[RayFrame]) -> tuple[np.ndarray, np.ndarray]:
    """Vertical plane along the line through the bases of the outer rays, LISFRANC_OFFSET_MM distal to the
    most distal base; normal pointing distally."""
    a, b = np.array(frames[0].base_mm), np.array(frames[-1].base_mm)
    along = (b - a)[:2] if len(frames) > 1 else np.array([0.0, 1.0])
    normal = np.array([along[1], -along[0], 0.0])
    normal /= np.linalg.norm(normal)
    if normal[0] < 0:
        normal = -normal
    reach = max(np.dot(np.array(f.base_mm), normal) for f in frames)
    return (reach + anatomy.LISFRANC_OFFSET_MM) * normal, normal


def _prism(points_xy: np.ndarray, z0: float, z1: float) -> list:
    """The convex hull of points (p, 2), extruded from z0 to z1 (mm)."""
    hull = points_xy[ConvexHull(points_xy).vertices]
    o = gmsh.model.occ
    pts = [o.addPoint(x, y, z0) for x, y in hull]
    lines = [o.addLine(pts[i], pts[(i + 1) % len(pts)]) for i in range(len(pts))]
    face = o.addPlaneSurface([o.addCurveLoop(lines)])
    return [dt for dt in o.extrude([(2, face)], 0, 0, z1 - z0) if dt[0] == 3]


def _footprint(parts) -> tuple[np.ndarray, float]:
    """Corners (p, 2) of every bone's bounding box widened by the envelope margin, and the top z (mm)."""
    m = anatomy.ENVELOPE_MARGIN_MM
    corners, top = [], -np.inf
    for _, dimtags in parts:
        low, high = _box(dimtags)
        corners += [(x, y) for x in (low[0] - m, high[0] + m) for y in (low[1] - m, high[1] + m)]
        top = max(top, high[2])
    return np.array(corners), top + anatomy.DORSAL_TISSUE_MM


def build_forefoot(ray_cfgs: dict, targets: dict, insole_mm: float, arch_mm: float) -> ForefootModel:
    """Build and fragment the forefoot in the open gmsh model. ray_cfgs: ray -> GeometryConfig (resection
    and spacer per ray), targets: ray -> OCC cement fraction to aim at, insole_mm: 0 = barefoot,
    arch_mm: extra height of the middle heads (transverse arch). Returns the regions, surfaces and frames."""
    rays = sorted(ray_cfgs)
    frames, parts_by_ray, void = [], {}, {}
    lateral = [anatomy.PLACEMENT[r].head_y_mm for r in rays]
    mid_y, half = (max(lateral) + min(lateral)) / 2, max((max(lateral) - min(lateral)) / 2, 1e-9)
    for r in rays:
        arch = arch_mm * max(0.0, 1.0 - ((anatomy.PLACEMENT[r].head_y_mm - mid_y) / half) ** 2)
        parts, frame, v = build_ray_in_foot(r, ray_cfgs[r], targets[r], arch)
        parts_by_ray[r], void[r] = parts, v
        frames.append(frame)
    point, normal = _midfoot_plane(frames)
    for r in rays:
        kept = []
        for name, dimtags in parts_by_ray[r]:
            piece = occ.intersect(dimtags, occ.half_space(point, normal))
            if piece:
                kept.append((name, piece))
        parts_by_ray[r] = kept
    all_parts = [p for r in rays for p in parts_by_ray[r]]
    corners, top = _footprint(all_parts)
    corners = np.vstack([corners, _plane_corners(point, normal, corners)])
    envelope = occ.intersect(_prism(corners, 0.0, top), occ.half_space(point, normal))
    midfoot = occ.intersect(_prism(corners, anatomy.MIDFOOT_CLEARANCE_MM, top),
                            occ.half_space(point - anatomy.MIDFOOT_MM * normal, normal))
    midfoot = occ.intersect(midfoot, occ.half_space(point, -normal))
    layers = [("midfoot", midfoot), ("plantar_soft_tissue", envelope)]
    if insole_mm > 0:
        insole = occ.intersect(_prism(corners, -insole_mm, 0.0), occ.half_space(point, normal))
        layers.append(("insole", insole))
    priority = _by_priority(all_parts) + layers
    regions = fragment_regions(priority)
    ground_z = -insole_mm if insole_mm > 0 else 0.0
    stump = ("cortical", "cancellous", "phalanx_cortical", "phalanx_cancellous")
    in_rays = {k: v for k, v in regions.items() if k not in OUTSIDE_RAYS}  # a void touching the envelope: bonded
    inner = {k: v for k, v in surface_groups(in_rays, stump, "distal", NO_PLANE_MM, NO_PLANE_MM).items()
             if k in VOID_INTERFACES}
    surfaces = {**inner, **_outer_planes(regions, ground_z, point - anatomy.MIDFOOT_MM * normal, normal)}
    if "ground" not in surfaces or "midfoot_load" not in surfaces:
        raise InputError("the forefoot geometry has no sole or no midfoot face: check the placement")
    return ForefootModel(regions, surfaces, frames, tuple(point), tuple(normal), ground_z, void)


def _plane_corners(point, normal, corners) -> np.ndarray:
    """Two points behind the midfoot cut (MIDFOOT_MM + 1 mm) at the footprint's medial and lateral
    limits, so that the prism reaches behind the cut along its whole width."""
    along = np.array([-normal[1], normal[0]])
    back = point[:2] - (anatomy.MIDFOOT_MM + 1.0) * normal[:2]
    ys = np.array([corners[:, 1].min(), corners[:, 1].max()])
    return back + ((ys - back[1]) / along[1])[:, None] * along


def _by_priority(parts) -> list:
    """Ray parts of all rays grouped in the single ray's priority: cement, void contents, joint layer,
    cores, shells (a region keeps its name across rays)."""
    order = ["cement", "soft_tissue", "empty", "joint_cartilage", "cancellous", "phalanx_cancellous",
             "cortical", "phalanx_cortical"]
    return sorted(parts, key=lambda p: order.index(p[0]))


def _outer_planes(regions: dict, ground_z: float, load_point, normal) -> dict:
    """'ground': outer faces of the envelope or insole in the plane z = ground_z; 'midfoot_load': outer
    faces of the midfoot in the plane through load_point with the given normal."""
    owner = {t: name for name, tags in regions.items() for t in tags}
    groups = {"ground": [], "midfoot_load": []}
    for _, surface in gmsh.model.getEntities(2):
        up, _ = gmsh.model.getAdjacencies(2, surface)
        names = [owner[v] for v in up if v in owner]
        if len(names) != 1:
            continue
        if names[0] in ("plantar_soft_tissue", "insole") and _in_plane(surface, (0, 0, ground_z), (0, 0, 1)):
            groups["ground"].append(surface)
        if names[0] == "midfoot" and _in_plane(surface, load_point, normal):
            groups["midfoot_load"].append(surface)
    return {k: v for k, v in groups.items() if v}


def _in_plane(surface: int, point, normal) -> bool:
    """Whether a face lies in the plane (its centre of mass on it, its normal along the plane's)."""
    centre = np.array(gmsh.model.occ.getCenterOfMass(2, surface))
    (umin, vmin), (umax, vmax) = np.array(gmsh.model.getParametrizationBounds(2, surface)).T
    n = np.array(gmsh.model.getNormal(surface, [(umin + umax) / 2, (vmin + vmax) / 2]))
    return abs((centre - np.asarray(point)) @ np.asarray(normal)) < PLANE_TOL_MM and abs(abs(n @ normal) - 1) < 1e-6
