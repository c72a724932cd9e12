"""Glue overlapping solids into one conforming model (OCC fragments) and name its regions and faces.

Every solid comes with a region name, highest priority first: a fragment piece takes the name of the
first solid that contains it (cement over void contents over cartilage over core over cortical shell),
so a bone's core, the void and the cement need no explicit cutting. Pieces named EMPTY are deleted.
"""

from collections import defaultdict

import gmsh

EMPTY = "empty"
VOID_CONTENTS = ("cement", "soft_tissue")
PLANE_TOL_MM = 1e-3


def fragment_regions(parts) -> dict[str, list[int]]:
    """Fragment [(region, dimtags), ...] (priority order) and return region -> volume tags (synchronized)."""
    inputs = [(name, dt) for name, dimtags in parts for dt in dimtags]
    _, pieces_of = gmsh.model.occ.fragment([inputs[0][1]], [dt for _, dt in inputs[1:]])
    region = {}
    for (name, _), pieces in zip(inputs, pieces_of):
        for dim, tag in pieces:
            if dim == 3:
                region.setdefault(tag, name)
    empty = [(3, t) for t, name in region.items() if name == EMPTY]
    if empty:
        gmsh.model.occ.remove(empty, recursive=True)
    gmsh.model.occ.synchronize()
    out = defaultdict(list)
    for tag, name in sorted(region.items()):
        if name != EMPTY:
            out[name].append(tag)
    return dict(out)


def surface_groups(regions: dict, stump_regions, other_side: str, x_base_mm: float, x_tip_mm: float) -> dict:
    """Named face sets: 'proximal_base' and 'distal_load' (outer faces in the planes x = x_base_mm,
    x = x_tip_mm) and the interfaces of the void contents, '<content>_<neighbour>' with content
    'cement' or 'soft_tissue' and neighbour 'soft_tissue', 'stump' (a region of stump_regions) or
    other_side ('distal' or 'proximal': any other region). Returns name -> surface tags.
    """
    owner = {t: name for name, tags in regions.items() for t in tags}

    def role(name):
        return name if name in VOID_CONTENTS else "stump" if name in stump_regions else other_side

    groups = defaultdict(list)
    for _, surface in gmsh.model.getEntities(2):
        up, _ = gmsh.model.getAdjacencies(2, surface)
        names = [owner[v] for v in up if v in owner]
        if len(names) == 1:
            plane = _plane_x(surface)
            for x, group in ((x_base_mm, "proximal_base"), (x_tip_mm, "distal_load")):
                if plane is not None and abs(plane - x) < PLANE_TOL_MM:
                    groups[group].append(surface)
        elif len(names) == 2 and names[0] != names[1]:
            roles = sorted((role(n) for n in names), key=_content_first)
            if roles[0] in VOID_CONTENTS and roles[0] != roles[1]:
                groups[f"{roles[0]}_{roles[1]}"].append(surface)
    return dict(groups)


def add_physical_groups(regions: dict, surfaces: dict) -> None:
    """One physical volume per region and one physical surface per face set, named."""
    for name, tags in regions.items():
        gmsh.model.addPhysicalGroup(3, tags, name=name)
    for name, tags in surfaces.items():
        gmsh.model.addPhysicalGroup(2, tags, name=name)


def _content_first(role: str) -> int:
    return VOID_CONTENTS.index(role) if role in VOID_CONTENTS else len(VOID_CONTENTS)


def _plane_x(surface: int):
    """x of a surface lying in a plane x = const, else None."""
    xmin, _, _, xmax, _, _ = gmsh.model.getBoundingBox(2, surface)
    return (xmin + xmax) / 2 if xmax - xmin < PLANE_TOL_MM else None
