"""Time series of fields as a ParaView collection: <stem>.pvd listing <stem>/frame_NNNN.vtu with a time each
(for gait: the stance percent), so that ParaView plays the frames as an animation."""

import os
import shutil
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..atomic import write_text
from ..mesh import Mesh, write_vtu


def series_paths(folder, stem: str) -> tuple[Path, Path]:
    """The collection file and the folder of its frames."""
    return Path(folder) / f"{stem}.pvd", Path(folder) / stem


def write_series(folder, stem: str, mesh: Mesh, frames) -> Path:
    """Write every (time, point_data, cell_data) of `frames` as one .vtu, then the .pvd listing them in order.
    Frames go to a fresh folder that replaces the old one whole, and the .pvd is written last (atomically),
    so a collection never lists a missing or stale frame."""
    pvd, frame_dir = series_paths(folder, stem)
    partial = frame_dir.with_name(f".{stem}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    entries = []
    for k, (time, point, cell) in enumerate(frames):
        write_vtu(partial / f"frame_{k:04d}.vtu", mesh, point, cell)
        entries.append(f'    <DataSet timestep="{time:.10g}" group="" part="0" '
                       f'file={quoteattr(f"{stem}/frame_{k:04d}.vtu")}/>')
    shutil.rmtree(frame_dir, ignore_errors=True)
    os.replace(partial, frame_dir)
    write_text(pvd, "\n".join(['<?xml version="1.0"?>',
                               '<VTKFile type="Collection" version="0.1" byte_order="LittleEndian">',
                               "  <Collection>", *entries, "  </Collection>", "</VTKFile>"]) + "\n")
    return pvd


def read_series(pvd) -> list[tuple[float, Path]]:
    """(time, .vtu path) of each step of a .pvd collection, in file order."""
    import xml.etree.ElementTree as ET

    pvd = Path(pvd)
    return [(float(d.get("timestep")), pvd.parent / d.get("file")) for d in ET.parse(pvd).getroot().iter("DataSet")]
