"""Finer elements in and around the cement of the spaced rays (`[forefoot] spacer_size_mm`): the foot's 8 mm
mesh puts a bead of about 6 mm radius into a few hundred tet4 cells; its stresses and the contact at the stump
need more. Used inside the forefoot's gmsh session (sim/forefoot/mesh.py), before meshing."""

import gmsh

GROW_OVER = 2.0  # the size grows from spacer_size_mm to the global size over this many global sizes (mm / mm)


def refine_cement(regions: dict, spacer_mm: float, size_mm: float) -> None:
    """Element size spacer_mm (mm) inside the cement volumes (regions['cement']) and on their surfaces, growing
    linearly to size_mm (mm) over GROW_OVER x size_mm from them; lowers the mesh's minimum size to match.
    Nothing without cement."""
    volumes = regions.get("cement", [])
    if not volumes:
        return
    surfaces = sorted({abs(t) for v in volumes for _, t in gmsh.model.getBoundary([(3, v)], oriented=False)})
    field = gmsh.model.mesh.field
    distance = field.add("Distance")
    field.setNumbers(distance, "SurfacesList", surfaces)
    field.setNumber(distance, "Sampling", 20)
    threshold = field.add("Threshold")
    field.setNumber(threshold, "InField", distance)
    field.setNumber(threshold, "SizeMin", spacer_mm)
    field.setNumber(threshold, "SizeMax", size_mm)
    field.setNumber(threshold, "DistMin", 0.0)
    field.setNumber(threshold, "DistMax", GROW_OVER * size_mm)
    inside = field.add("Constant")
    field.setNumbers(inside, "VolumesList", sorted(volumes))
    field.setNumber(inside, "VIn", spacer_mm)
    field.setNumber(inside, "VOut", size_mm)
    smallest = field.add("Min")
    field.setNumbers(smallest, "FieldsList", [threshold, inside])
    field.setAsBackgroundMesh(smallest)
    gmsh.option.setNumber("Mesh.MeshSizeMin", min(gmsh.option.getNumber("Mesh.MeshSizeMin"), spacer_mm / 2))
