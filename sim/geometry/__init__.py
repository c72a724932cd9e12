"""Geometry and meshing of a metatarsal ray after internal pedal amputation (mm, mm^3).

Frame (all geometries, see anatomy.py): x along the ray from the metatarsal base (x = 0) distally,
z plantar -> dorsal, y = z x x. The parametric ray is metatarsal + joint cartilage + proximal phalanx
(rays 1-5, anatomy.py); a patient metatarsal comes from a closed surface (surface.py). A resection
removes bone from the distal end of one bone; its envelope is the void, part cement (spacer.py), the
rest soft tissue or empty. Config keys: config.py. Entry points:

    build_mesh(config: dict, out_dir, size_mm=1.5, order=2) -> MeshResult   mesh.msh + mesh.vtu
    render_mesh_png(mesh, path, title="")                                    cut-away picture

Physical groups (gmsh names; a group exists only if the configuration has it, and a group the
configuration must have but that comes out empty raises InputError):

  kind     name                 what
  volume   cortical             metatarsal cortical shell (the stump's, after a metatarsal resection)
  volume   cancellous           metatarsal cancellous bone and medullary canal
  volume   phalanx_cortical     proximal phalanx cortical shell
  volume   phalanx_cancellous   proximal phalanx core
  volume   joint_cartilage      layer between metatarsal head and phalanx base (parametric ray)
  volume   cement               PMMA spacer, including a stem in the stump's canal
  volume   soft_tissue          the rest of the void (fibrous scar), unless void_fill = "empty"
  surface  proximal_base        outer faces in the plane x = 0 (metatarsal base): to be fixed
  surface  distal_load          outer faces in the distal end plane (phalanx tip; the void's distal
                                face after a phalanx resection, the bone's for a patient surface)
  surface  <content>_<other>    interfaces of the void contents: content is cement or soft_tissue;
                                other is soft_tissue, stump (bone left of the resected bone, cut face,
                                canal, stem surface), distal (whatever lies distal of a metatarsal
                                void: the cartilage) or proximal (whatever lies proximal of a phalanx
                                void after a total phalangectomy: the cartilage). So: cement_stump,
                                cement_soft_tissue, cement_distal, cement_proximal, soft_tissue_stump,
                                soft_tissue_distal, soft_tissue_proximal.
"""

from .build import MeshResult, build_mesh
from .config import SHAPES, GeometryConfig, MeshOptions, parse_geometry, parse_mesh
from .render import render_mesh_png

__all__ = ["MeshResult", "build_mesh", "render_mesh_png", "SHAPES", "GeometryConfig", "MeshOptions",
           "parse_geometry", "parse_mesh"]
