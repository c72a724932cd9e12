"""Write meshes/metatarsal_ray2.stl: the parametric second metatarsal's outer surface, moved off the ray frame.

The bone is sim.geometry's default ray-2 metatarsal (anatomy.METATARSAL[2]); it is turned 20 degrees
about z, then 10 degrees about x, and shifted by (30, -12, 5) mm, so that reading it back exercises the
principal-axis frame of sim/geometry/surface.py. Run from the repository root:
    python meshes/make_sample_surface.py
"""

from pathlib import Path

import gmsh
import numpy as np

from sim.geometry.anatomy import METATARSAL, PHALANX
from sim.geometry.meshing import gmsh_session
from sim.geometry.ray import build_ray

OUT = Path(__file__).with_name("metatarsal_ray2.stl")
TRIANGLE_MM = 1.5


def main() -> None:
    with gmsh_session("sample"):
        occ = gmsh.model.occ
        bones = build_ray(METATARSAL[2], PHALANX[2], 1.0)
        keep = bones.bones["metatarsal"].outer
        occ.remove([dt for dt in occ.getEntities(3) if dt not in keep], recursive=True)
        occ.rotate(keep, 0, 0, 0, 0, 0, 1, np.radians(20))
        occ.rotate(keep, 0, 0, 0, 1, 0, 0, np.radians(10))
        occ.translate(keep, 30, -12, 5)
        occ.synchronize()
        gmsh.option.setNumber("Mesh.MeshSizeMax", TRIANGLE_MM)
        gmsh.option.setNumber("Mesh.Binary", 1)
        gmsh.model.mesh.generate(2)
        gmsh.write(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
