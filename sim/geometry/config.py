"""The `[geometry]` and `[mesh]` config tables, read strictly into frozen dataclasses.

[geometry]                      (every key optional; lengths in mm)
  ray = 2                       1..5, picks the anatomy.py defaults
  joint_cartilage_mm = 1.0      metatarsal head - phalanx base layer
  [geometry.metatarsal]         overrides of anatomy.BoneDims fields (length_mm, shaft_height_mm, ...)
  [geometry.phalanx]            the same for the proximal phalanx
  [geometry.resection]          absent = intact ray
    bone = "metatarsal"         or "phalanx"
    one of: resection_length_mm = L          bone removed from its distal end
            lesion_extent_mm = E (+ margin_mm = 10)   removes E + margin (the protocol's 1 cm)
            total = true                     the whole bone
            plane_point_mm = [x, y, z], plane_normal = [nx, ny, nz]   (surface input only)
    edge_radius_mm = 0.0        rim of the stump's cut face rounded by a fillet of this radius (a rasped
                                cut; 0 = the saw's sharp edge); less than the cortex at the cut
  [geometry.spacer]             absent = no cement (fill 0)
    shape = "plug"              "bead" | "plug" | "stemmed"
    fill_fraction = 0.5         cement volume / void volume, in [0, 1] (the protocol's half)
    stem_length_mm = 15         "stemmed" only: stem length into the stump canal
    void_fill = "soft_tissue"   or "empty": what fills the rest of the void
    conform_to_cut = false      true: the cement covers the stump's whole cut face, as doughy cement
                                moulded onto it (a bead gets a 2 mm layer over the cut face, spacer.py;
                                plug and stemmed cover it anyway); needs a stump
  [geometry.surface]            a patient metatarsal instead of the parametric ray (see surface.py)
    path = "bone.stl"           closed surface (STL/OBJ/PLY), mm
    distal_direction = [1, 0, 0]   roughly base -> head in the file's frame
    dorsal_direction = [0, 0, 1]   roughly plantar -> dorsal in the file's frame
    cortical_mm = 2.0           cortical shell thickness used for the surface bone
[mesh]
  size_mm = 1.5                 global element size; interfaces get half of it
  order = 2                     1 (tet4) or 2 (tet10)
"""

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, nearest
from ..schema import check_keys, value, vector3
from .anatomy import DIM_NAMES, JOINT_CARTILAGE_MM, METATARSAL, PHALANX, BoneDims

SHAPES = ("bead", "plug", "stemmed")
VOID_FILLS = ("soft_tissue", "empty")
BONES = ("metatarsal", "phalanx")
DEFAULT_MARGIN_MM = 10.0  # protocol: resect 1 cm beyond MRI enhancement
DEFAULT_STEM_MM = 15.0  # [est]
DEFAULT_SIZE_MM = 1.5
SURFACE_CORTICAL_MM = 2.0  # the ray-2 shaft cortex of anatomy.py


@dataclass(frozen=True)
class Resection:
    """Which bone, and either length_mm from its distal end, the whole bone, or a cut plane."""

    bone: str
    length_mm: float | None = None
    total: bool = False
    plane_point_mm: tuple | None = None
    plane_normal: tuple | None = None
    edge_radius_mm: float = 0.0


@dataclass(frozen=True)
class Spacer:
    shape: str = "plug"
    fill_fraction: float = 0.5
    stem_length_mm: float = 0.0
    void_fill: str = "soft_tissue"
    conform_to_cut: bool = False


@dataclass(frozen=True)
class Surface:
    path: Path
    distal_direction: tuple = (1.0, 0.0, 0.0)
    dorsal_direction: tuple = (0.0, 0.0, 1.0)
    cortical_mm: float = SURFACE_CORTICAL_MM


@dataclass(frozen=True)
class GeometryConfig:
    """A whole geometry case: anatomy, resection (None = intact), spacer, or a patient surface."""

    ray: int = 2
    metatarsal: BoneDims = METATARSAL[2]
    phalanx: BoneDims = PHALANX[2]
    cartilage_mm: float = JOINT_CARTILAGE_MM
    resection: Resection | None = None
    spacer: Spacer = Spacer(fill_fraction=0.0)
    surface: Surface | None = None


@dataclass(frozen=True)
class MeshOptions:
    size_mm: float = DEFAULT_SIZE_MM
    order: int = 2


def _choice(table, key, choices, where, default):
    v = value(table, key, str, where, default)
    if v not in choices:
        raise InputError(f"{where}.{key} = '{v}' is not one of: {', '.join(choices)}{nearest(v, choices)}")
    return v


def _positive(table, key, where, default=...):
    v = value(table, key, float, where, default)
    if v is not None and v <= 0:
        raise InputError(f"{where}.{key} must be > 0 mm, got {v}")
    return v


def _dims(base: BoneDims, table: dict, where: str) -> BoneDims:
    check_keys(table, DIM_NAMES, where)
    return base.with_overrides({k: value(table, k, float, where) for k in table}, where)


def parse_resection(table: dict, where="geometry.resection") -> Resection:
    keys = ("bone", "resection_length_mm", "lesion_extent_mm", "margin_mm", "total", "plane_point_mm",
            "plane_normal", "edge_radius_mm")
    check_keys(table, keys, where)
    bone = _choice(table, "bone", BONES, where, "metatarsal")
    edge = value(table, "edge_radius_mm", float, where, 0.0)
    if edge < 0:
        raise InputError(f"{where}.edge_radius_mm must be >= 0 mm, got {edge:g}")
    given = [k for k in ("resection_length_mm", "lesion_extent_mm", "total", "plane_point_mm") if k in table]
    if len(given) != 1:
        raise InputError(f"{where}: give exactly one of resection_length_mm, lesion_extent_mm, total = true "
                         f"or plane_point_mm (got {', '.join(given) or 'none'})")
    if "margin_mm" in table and "lesion_extent_mm" not in table:
        raise InputError(f"{where}.margin_mm applies only with lesion_extent_mm")
    if ("plane_normal" in table) != ("plane_point_mm" in table):
        raise InputError(f"{where}: plane_point_mm and plane_normal go together")
    kind = given[0]
    if kind == "total":
        if not value(table, "total", bool, where):
            raise InputError(f"{where}.total = false: give a resection length instead, or drop the table")
        if edge > 0:
            raise InputError(f"{where}.edge_radius_mm applies to a cut bone: total = true leaves no stump")
        return Resection(bone, total=True)
    if kind == "plane_point_mm":
        normal = vector3(table, "plane_normal", where)
        if sum(c * c for c in normal) == 0:
            raise InputError(f"{where}.plane_normal must not be zero")
        return Resection(bone, plane_point_mm=tuple(vector3(table, "plane_point_mm", where)),
                         plane_normal=tuple(normal), edge_radius_mm=edge)
    if kind == "lesion_extent_mm":
        margin = value(table, "margin_mm", float, where, DEFAULT_MARGIN_MM)
        if margin < 0:
            raise InputError(f"{where}.margin_mm must be >= 0 mm, got {margin:g}")
        length = _positive(table, "lesion_extent_mm", where) + margin
        return Resection(bone, length_mm=length, edge_radius_mm=edge)
    return Resection(bone, length_mm=_positive(table, "resection_length_mm", where), edge_radius_mm=edge)


def parse_spacer(table: dict, where="geometry.spacer") -> Spacer:
    check_keys(table, ("shape", "fill_fraction", "stem_length_mm", "void_fill", "conform_to_cut"), where)
    shape = _choice(table, "shape", SHAPES, where, "plug")
    fill = value(table, "fill_fraction", float, where, 0.5)
    if not 0.0 <= fill <= 1.0:
        raise InputError(f"{where}.fill_fraction must be in [0, 1], got {fill}")
    if "stem_length_mm" in table and shape != "stemmed":
        raise InputError(f"{where}.stem_length_mm applies only to shape = 'stemmed' (shape is '{shape}')")
    stem = _positive(table, "stem_length_mm", where, DEFAULT_STEM_MM) if shape == "stemmed" else 0.0
    return Spacer(shape, fill, stem, _choice(table, "void_fill", VOID_FILLS, where, "soft_tissue"),
                  value(table, "conform_to_cut", bool, where, False))


def parse_surface(table: dict, base_dir=None, where="geometry.surface") -> Surface:
    check_keys(table, ("path", "distal_direction", "dorsal_direction", "cortical_mm"), where)
    path = Path(value(table, "path", str, where))
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    return Surface(path, tuple(vector3(table, "distal_direction", where, [1.0, 0.0, 0.0])),
                   tuple(vector3(table, "dorsal_direction", where, [0.0, 0.0, 1.0])),
                   _positive(table, "cortical_mm", where, SURFACE_CORTICAL_MM))


def parse_geometry(table: dict, base_dir=None, where="geometry") -> GeometryConfig:
    """Read a `[geometry]` table; relative surface paths are taken from base_dir (default: cwd)."""
    check_keys(table, ("ray", "joint_cartilage_mm", "metatarsal", "phalanx", "resection", "spacer",
                       "surface"), where)
    resection = parse_resection(value(table, "resection", dict, where), f"{where}.resection") \
        if "resection" in table else None
    if "spacer" in table and resection is None:
        raise InputError(f"{where}.spacer needs a [{where}.resection]: an intact ray has no void to fill")
    spacer = parse_spacer(value(table, "spacer", dict, where), f"{where}.spacer") if "spacer" in table \
        else Spacer(fill_fraction=0.0)
    if resection is not None and resection.total and spacer.shape == "stemmed":
        raise InputError(f"{where}.spacer.shape = 'stemmed' needs a stump: not possible with total = true")
    if resection is not None and resection.total and spacer.conform_to_cut:
        raise InputError(f"{where}.spacer.conform_to_cut needs a stump's cut face: not possible with total = true")
    if "surface" in table:
        ray_keys = [k for k in ("ray", "joint_cartilage_mm", "metatarsal", "phalanx") if k in table]
        if ray_keys:
            raise InputError(f"{where}.{ray_keys[0]} does not apply to a [{where}.surface] bone")
        if resection is not None and resection.bone != "metatarsal":
            raise InputError(f"{where}.resection.bone must be 'metatarsal' for a surface bone")
        surface = parse_surface(value(table, "surface", dict, where), base_dir, f"{where}.surface")
        if resection is not None:
            check_edge_radius(resection, surface.cortical_mm, f"{where}.resection")
        return GeometryConfig(resection=resection, spacer=spacer, surface=surface)
    if resection is not None and resection.plane_point_mm is not None:
        raise InputError(f"{where}.resection.plane_point_mm applies only to a [{where}.surface] bone; "
                         f"use resection_length_mm")
    ray = value(table, "ray", int, where, 2)
    if ray not in METATARSAL:
        raise InputError(f"{where}.ray must be 1 to 5, got {ray}")
    metatarsal = _dims(METATARSAL[ray], value(table, "metatarsal", dict, where, {}), f"{where}.metatarsal")
    if metatarsal.head_width_mm > metatarsal.head_height_mm:
        raise InputError(f"{where}.metatarsal.head_width_mm ({metatarsal.head_width_mm}) must not exceed "
                         f"head_height_mm ({metatarsal.head_height_mm}), the articular sphere's diameter")
    phalanx = _dims(PHALANX[ray], value(table, "phalanx", dict, where, {}), f"{where}.phalanx")
    if resection is not None and resection.length_mm is not None:
        dims = metatarsal if resection.bone == "metatarsal" else phalanx
        check_resection_length(resection, dims.length_mm)
        check_edge_radius(resection, dims.cortical_mm, f"{where}.resection")
    return GeometryConfig(
        ray=ray,
        metatarsal=metatarsal,
        phalanx=phalanx,
        cartilage_mm=_positive(table, "joint_cartilage_mm", where, JOINT_CARTILAGE_MM),
        resection=resection, spacer=spacer)


def check_resection_length(res: Resection, bone_length_mm: float) -> None:
    """A partial resection must leave some of the bone (length in mm)."""
    if res.length_mm >= bone_length_mm:
        raise InputError(f"a resection of {res.length_mm:g} mm is not shorter than the {res.bone} "
                         f"({bone_length_mm:.1f} mm long); use total = true to remove the whole bone")


def check_edge_radius(res: Resection, cortical_mm: float, where: str) -> None:
    """The cut edge's rounding must stay inside the bone's cortex (cortical_mm thick along the shaft; near the
    ends the cortex is thinner, which the build checks on the solids: resection.round_cut_edge)."""
    if res.edge_radius_mm >= cortical_mm:
        raise InputError(f"{where}.edge_radius_mm = {res.edge_radius_mm:g} is not smaller than the "
                         f"{res.bone}'s cortex ({cortical_mm:g} mm): the rounding would reach the cancellous core")


def parse_mesh(table: dict, where="mesh") -> MeshOptions:
    """Read a `[mesh]` table: size_mm (> 0) and order (1 or 2)."""
    check_keys(table, ("size_mm", "order"), where)
    order = value(table, "order", int, where, 2)
    if order not in (1, 2):
        raise InputError(f"{where}.order must be 1 or 2, got {order}")
    return MeshOptions(_positive(table, "size_mm", where, DEFAULT_SIZE_MM), order)
