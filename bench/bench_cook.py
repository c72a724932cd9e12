"""Cook's membrane at finite strain (sim/verify/cook.py) under mesh refinement: tip displacement against the
published converged value (14.74 mm; Pelteret & McBride 2016, problem of Miehe 1994).

    python bench/bench_cook.py              # 2, 4, 8, 16 hexes per edge (6 tet10 each, one layer)
    python bench/bench_cook.py --n 32       # finer (about 3 min on 2 cores)
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.verify.cook import TIP_DISPLACEMENT_MM, membrane_mesh, tip_displacement_mm  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, nargs="+", default=[2, 4, 8, 16], help="hexes per edge (even)")
    a = p.parse_args()
    print(f"Cook's membrane, tet10; published tip displacement {TIP_DISPLACEMENT_MM} mm")
    print(f"{'n':>4} {'cells':>6} {'DOFs':>7} {'u_tip (mm)':>11} {'error (%)':>10} {'time (s)':>9}")
    for n in a.n:
        mesh = membrane_mesh(n)
        t0 = time.perf_counter()
        u = tip_displacement_mm(n)
        print(f"{n:>4} {mesh.n_cells:>6} {3 * mesh.n_nodes:>7} {u:>11.4f} "
              f"{100 * (u - TIP_DISPLACEMENT_MM) / TIP_DISPLACEMENT_MM:>10.2f} {time.perf_counter() - t0:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
