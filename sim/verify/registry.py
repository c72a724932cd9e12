"""The registry of verification cases and the checks they return.

A case is a function (work_dir: Path) -> list[Check], registered under a name with @case("name"); adding
a case is one decorated function (or one `register(name, function)` line). `spacer-sim verify` runs them
all and prints one table; the tests call them one by one.
"""

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

CASES: dict[str, Callable[[Path], list]] = {}


@dataclass(frozen=True)
class Check:
    """One computed quantity against its reference. The error is relative to |reference| when `relative`,
    else absolute (in the quantity's unit, which the quantity's name carries)."""

    case: str
    quantity: str
    reference: float
    computed: float
    tolerance: float
    relative: bool = True

    @property
    def error(self) -> float:
        diff = abs(self.computed - self.reference)
        return diff / abs(self.reference) if self.relative else diff

    @property
    def passed(self) -> bool:
        return bool(math.isfinite(self.error) and self.error <= self.tolerance)


def register(name: str, function: Callable[[Path], list]) -> None:
    """Add a verification case under a unique name."""
    if name in CASES:
        raise ValueError(f"verification case '{name}' is registered twice")
    CASES[name] = function


def case(name: str):
    """Decorator form of register."""
    def decorate(function):
        register(name, function)
        return function
    return decorate


def table(checks: list[Check]) -> str:
    """Plain-text table: case, quantity, reference, computed, error, tolerance, pass."""
    head = ("case", "quantity", "reference", "computed", "error", "tolerance", "pass")
    rows = [(c.case, c.quantity, f"{c.reference:.6g}", f"{c.computed:.6g}",
             f"{c.error:.2e}" + (" rel" if c.relative else " abs"), f"{c.tolerance:.2g}", "yes" if c.passed else "NO")
            for c in checks]
    widths = [max(len(r[k]) for r in rows + [head]) for k in range(len(head))]
    line = lambda r: "  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip()
    return "\n".join([line(head), line(tuple("-" * w for w in widths))] + [line(r) for r in rows])
