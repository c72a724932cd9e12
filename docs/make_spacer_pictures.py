"""Write docs/spacer_plug_50.png and docs/spacer_bead_50.png: ray 2, distal 25 mm of the metatarsal
resected, half of the void filled with cement, meshed at the default size. Run from the repository root:
    python docs/make_spacer_pictures.py
"""

import tempfile
from pathlib import Path

from sim.geometry import build_mesh, render_mesh_png

HERE = Path(__file__).parent
RESECTION_MM = 25.0


def main() -> None:
    for shape in ("plug", "bead"):
        config = {"ray": 2, "resection": {"resection_length_mm": RESECTION_MM},
                  "spacer": {"shape": shape, "fill_fraction": 0.5}}
        with tempfile.TemporaryDirectory() as tmp:
            result = build_mesh(config, tmp)
        title = (f"Ray 2: distal {RESECTION_MM:g} mm of the metatarsal resected, {shape} spacer filling "
                 f"{100 * result.fill_fraction:.0f} % of the void ({result.cement_volume_mm3:,.0f} of "
                 f"{result.void_volume_mm3:,.0f} mm³), rest scar tissue")
        out = HERE / f"spacer_{shape}_50.png"
        render_mesh_png(result.mesh, out, title)
        print(f"wrote {out}: {result.mesh.n_cells} tet10, {result.quality['seconds']} s")


if __name__ == "__main__":
    main()
