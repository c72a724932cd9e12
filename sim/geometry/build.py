"""build_mesh: a geometry config -> conforming gmsh model -> mesh.msh + mesh.vtu, volumes and quality.

The cement is sized on OCC volumes, then measured on the finished (faceted) mesh; if the mesh's cement
fraction is off by more than TARGET_RTOL, the OCC target is rescaled by the measured error and the case
rebuilt (at most MAX_ATTEMPTS times). A fraction still off by more than ACCEPT_RTOL raises InputError.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

import gmsh

from ..errors import InputError
from ..mesh import Mesh, read_mesh, write_vtu
from . import occ_tools as occ
from .assemble import EMPTY, add_physical_groups, fragment_regions, surface_groups
from .config import DEFAULT_SIZE_MM, GeometryConfig, parse_geometry, parse_mesh
from .measure import cell_volumes_mm3, centroids_mm, region_volumes_mm3
from .meshing import generate, gmsh_session, quality, refine_near, set_options
from .ray import build_ray
from .resection import cut_plane, make_void, round_cut_edge
from .spacer import cement_in_void, stem
from .surface import surface_bone

TARGET_RTOL = 0.005
ACCEPT_RTOL = 0.01
MAX_ATTEMPTS = 4


@dataclass
class MeshResult:
    """What build_mesh made: file paths, the mesh, volumes (mm^3), quality and the physical groups."""

    msh_path: Path
    mesh: Mesh
    void_volume_mm3: float
    cement_volume_mm3: float
    stem_volume_mm3: float
    region_volumes_mm3: dict
    quality: dict
    groups: dict = field(default_factory=dict)
    frame: dict = field(default_factory=dict)

    @property
    def vtu_path(self) -> Path:
        return self.msh_path.with_suffix(".vtu")

    @property
    def fill_fraction(self) -> float:
        """Cement inside the void / void volume, as meshed (0 for an intact ray)."""
        return self.cement_volume_mm3 / self.void_volume_mm3 if self.void_volume_mm3 else 0.0

    def report(self) -> dict:
        """JSON-ready summary (volumes in mm^3)."""
        return {"quality": self.quality, "void_volume_mm3": self.void_volume_mm3,
                "cement_volume_mm3": self.cement_volume_mm3, "stem_volume_mm3": self.stem_volume_mm3,
                "fill_fraction": self.fill_fraction, "region_volumes_mm3": self.region_volumes_mm3,
                "physical_groups": self.groups, **({"surface_frame": self.frame} if self.frame else {})}


def build_mesh(config, out_dir, size_mm: float = DEFAULT_SIZE_MM, order: int = 2, base_dir=None,
               bone_builder=None) -> MeshResult:
    """Mesh one geometry case (a `[geometry]` dict or a GeometryConfig) into out_dir/mesh.msh and mesh.vtu.

    size_mm is the global element size (interfaces get meshing.REFINE of it), order 1 (tet4) or 2 (tet10);
    relative surface paths are taken from base_dir. bone_builder, if given, replaces the parametric
    ray or the surface: called inside the gmsh session, it returns (BoneSet, surface.Frame or None).
    """
    cfg = config if isinstance(config, GeometryConfig) else parse_geometry(config, base_dir)
    parse_mesh({"size_mm": size_mm, "order": order})
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    msh = out_dir / "mesh.msh"
    fill = cfg.spacer.fill_fraction if cfg.resection else 0.0
    target, start = fill, time.perf_counter()
    with gmsh_session("ray"):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            case = _mesh_case(cfg, target, size_mm, order, bone_builder or (lambda: _bones(cfg)))
            gmsh.write(str(msh))
            result = _measure(cfg, case, msh)
            if not 0 < fill < 1 or abs(result.fill_fraction - fill) <= TARGET_RTOL * fill:
                break
            target *= fill / result.fill_fraction
            gmsh.model.remove()
            gmsh.model.add("ray")
    if 0 < fill < 1 and abs(result.fill_fraction - fill) > ACCEPT_RTOL * fill:
        raise InputError(f"the meshed cement fills {result.fill_fraction:.4f} of the void instead of {fill}; "
                         f"use a smaller mesh size_mm than {size_mm}")
    result.quality.update(seconds=round(time.perf_counter() - start, 2), attempts=attempt)
    write_vtu(result.vtu_path, result.mesh)
    return result


@dataclass
class _Case:
    """One meshed gmsh model: the cut plane, OCC void volume, group tags, quality, surface frame."""

    plane: object
    void_mm3: float
    groups: dict
    quality: dict
    frame: dict


def _bones(cfg: GeometryConfig):
    """The config's bones: a patient surface with its frame, or the parametric ray (no frame)."""
    if cfg.surface is not None:
        return surface_bone(cfg.surface)
    return build_ray(cfg.metatarsal, cfg.phalanx, cfg.cartilage_mm), None


def _mesh_case(cfg: GeometryConfig, target: float, size_mm: float, order: int, bone_builder) -> _Case:
    """Build the solids, fragment, name the groups, mesh; leaves the mesh in the current gmsh model."""
    bones, frame = bone_builder()
    to_frame = frame.to_frame if frame is not None else None
    frame_info = {"origin_mm": frame.origin_mm.tolist(), "axes": frame.axes.tolist()} if frame is not None else {}
    cut = resect(cfg, bones, target, to_frame)
    regions = fragment_regions([p for p in cut.parts + ray_parts(bones) if p[1]])
    surfaces = surface_groups(regions, cut.stump, cut.side, bones.x_base_mm, bones.x_tip_mm)
    _check_groups(cfg, bones, regions, surfaces)
    add_physical_groups(regions, surfaces)
    set_options(size_mm, order)
    refine_near(_interfaces(regions), size_mm)
    generate(order)
    return _Case(cut.plane, cut.void_mm3, {"volumes": sorted(regions), "surfaces": sorted(surfaces)}, quality(),
                 frame_info)


@dataclass
class Resected:
    """What a resection adds to a ray: [(region, dimtags)] of cement and void contents (priority order),
    the cut plane (None if intact), the OCC void volume (mm^3), the stump regions and the other side."""

    parts: list
    plane: object = None
    void_mm3: float = 0.0
    stump: tuple = ()
    side: str = "distal"


def resect(cfg: GeometryConfig, bones, target: float, to_frame=None) -> Resected:
    """Cut the config's resection out of `bones` (in place: the resected bone keeps its stump) and size
    the cement to `target` x the void volume; an intact config returns no parts."""
    if cfg.resection is None:
        return Resected([])
    res, spacer = cfg.resection, cfg.spacer
    bone = bones.bones[res.bone]
    plane = cut_plane(res, bone, to_frame)
    void = make_void(bone, plane, res.total)
    void_mm3 = occ.volume_mm3(void)
    cement = cement_in_void(void, bone, plane, spacer.shape, target * void_mm3, spacer.conform_to_cut)
    if spacer.shape == "stemmed" and cement:
        cement = cement + stem(bone, plane, spacer.stem_length_mm)
    parts = [("cement", cement), (EMPTY if spacer.void_fill == EMPTY else "soft_tissue", void)]
    _keep_stump(bone, plane, res.total)
    if res.edge_radius_mm > 0:
        round_cut_edge(bone, plane, res.edge_radius_mm)
    return Resected(parts, plane, void_mm3, () if res.total else (bone.shell_region, bone.core_region),
                    "distal" if res.bone == "metatarsal" else "proximal")


def ray_parts(bones) -> list:
    """[(region, dimtags)] of the bones and joint layer, in fragment priority order (after void contents)."""
    return ([("joint_cartilage", bones.cartilage)] + [(b.core_region, b.inner) for b in bones.bones.values()]
            + [(b.shell_region, b.outer) for b in bones.bones.values()])


def _keep_stump(bone, plane, total: bool) -> None:
    """Cut the resected bone's solids back to the stump (nothing after a total resection), so that the
    fragments never intersect the cement with the removed part's core."""
    if total:
        gmsh.model.occ.remove(bone.outer + bone.inner, recursive=True)
        bone.outer, bone.inner = [], []
        return
    for attr in ("outer", "inner"):
        setattr(bone, attr, occ.cut(getattr(bone, attr), occ.half_space(plane.point_mm, plane.normal)))


def _interfaces(regions: dict) -> list[int]:
    """Boundary surfaces of the void contents and the cartilage: where the mesh is refined."""
    vols = [(3, t) for name in ("cement", "soft_tissue", "joint_cartilage") for t in regions.get(name, [])]
    return sorted({t for _, t in gmsh.model.getBoundary(vols, combined=False, oriented=False)}) if vols else []


def _check_groups(cfg: GeometryConfig, bones, regions: dict, surfaces: dict) -> None:
    """Raise if a group this configuration must have came out empty."""
    need = {"proximal_base", "distal_load"} | ({"joint_cartilage"} if bones.cartilage else set())
    res, spacer = cfg.resection, cfg.spacer
    removed = bones.bones[res.bone] if res is not None else None
    for bone in bones.bones.values():
        if bone is not removed:
            need |= {bone.shell_region, bone.core_region}
        elif not res.total:
            need.add(bone.shell_region)
    if res is not None:
        cement = spacer.fill_fraction > 0
        soft = spacer.void_fill == "soft_tissue" and spacer.fill_fraction < 1
        wanted = {"cement": cement, "soft_tissue": soft, "cement_stump": cement and not res.total,
                  "cement_soft_tissue": cement and soft}
        need |= {name for name, present in wanted.items() if present}
    missing = sorted(need - set(regions) - set(surfaces))
    if missing:
        raise InputError(f"the geometry has no {', '.join(missing)}: check the resection and spacer "
                         f"(e.g. void_fill = 'empty' leaves nothing at a resected tip to load)")


def _measure(cfg: GeometryConfig, case: _Case, msh: Path) -> MeshResult:
    """Read the written mesh back and measure region, void, cement and stem volumes on it."""
    mesh = read_mesh(msh)
    vol = cell_volumes_mm3(mesh)
    regions = region_volumes_mm3(mesh, vol)
    cement_mm3 = stem_mm3 = 0.0
    if "cement" in regions:
        cells = mesh.cells_in("cement")
        in_void = case.plane.distance_mm(centroids_mm(mesh, cells)) > 0
        cement_mm3, stem_mm3 = float(vol[cells[in_void]].sum()), float(vol[cells[~in_void]].sum())
    void_mm3 = case.void_mm3
    if cfg.resection is not None and cfg.spacer.void_fill == "soft_tissue":
        void_mm3 = cement_mm3 + regions.get("soft_tissue", 0.0)
    q = dict(case.quality, n_nodes=mesh.n_nodes, order=mesh.order)
    return MeshResult(msh, mesh, void_mm3, cement_mm3, stem_mm3, regions, q, case.groups, case.frame)
