"""Hertz sphere-on-flat with tet10 at several mesh sizes near the contact (the fine end of
sim/verify/hertz.py): contact radius and peak pressure against Johnson's formulas, and the time.

Run:  python bench/bench_hertz.py [h1 h2 ...]   (mesh sizes at the contact in mm; default 0.025 0.0125 0.00625)
"""

import sys
import tempfile
import time
from pathlib import Path

from sim.verify.hertz import A_HERTZ, F, P0_HERTZ, solve_hertz


def main(sizes):
    print(f"Hertz: a = {A_HERTZ} mm, p0 = {P0_HERTZ:.4g} MPa, F = {F:g} N (quarter model, tet10)")
    print(f"{'h_contact mm':>12} {'cells':>7} {'a mm':>8} {'err a':>7} {'p0 MPa':>10} {'err p0':>7} {'time s':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for h in sizes:
            start = time.perf_counter()
            out = solve_hertz(Path(tmp) / "cap.msh", h_contact=h)
            elapsed = time.perf_counter() - start
            print(f"{h:>12.5g} {out['cells']:>7} {out['a']:>8.5f} {out['a'] / A_HERTZ - 1:>+7.2%} "
                  f"{out['p0']:>10.4g} {out['p0'] / P0_HERTZ - 1:>+7.2%} {elapsed:>7.1f}")


if __name__ == "__main__":
    main([float(h) for h in sys.argv[1:]] or [0.025, 0.0125, 0.00625])
