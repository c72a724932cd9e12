"""Load-curve CSV files: '#' comment lines, one header row of column names, numeric rows."""

import math
from pathlib import Path

import numpy as np

from ..errors import InputError, nearest
from ..textio import read_text

REQUIRED = ("stance_percent", "Fx_per_BW", "Fz_per_BW")
OPTIONAL = ("ray", "Fy_per_BW", "Mx_Nmm_per_BW", "My_Nmm_per_BW", "Mz_Nmm_per_BW")
COLUMNS = REQUIRED + OPTIONAL


def read_curve_csv(path) -> tuple[list[str], dict[str, np.ndarray], np.ndarray]:
    """(comment lines without '#', column name -> values, file line number of each row).

    Errors name the file and line."""
    path = Path(path)
    lines = read_text(path, "load curve").splitlines()
    comments, names, rows, row_lines = [], None, [], []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append(stripped[1:].strip())
        elif stripped and names is None:
            names = _header(path, number, stripped)
        elif stripped:
            rows.append(_row(path, number, stripped, names))
            row_lines.append(number)
    if names is None or not rows:
        raise InputError(f"{path}: no {'header row' if names is None else 'data rows'} found")
    return comments, dict(zip(names, np.array(rows).T)), np.array(row_lines)


def _header(path, number, line) -> list[str]:
    names = [name.strip() for name in line.split(",")]
    for name in names:
        if name not in COLUMNS:
            raise InputError(f"{path}:{number}: unknown column '{name}'{nearest(name, COLUMNS)}; "
                             f"allowed: {', '.join(COLUMNS)}")
    missing = [name for name in REQUIRED if name not in names]
    if missing or len(set(names)) != len(names):
        raise InputError(f"{path}:{number}: header needs each of {', '.join(REQUIRED)} once "
                         f"(missing: {', '.join(missing) or 'none'}; got {', '.join(names)})")
    return names


def _row(path, number, line, names) -> list[float]:
    fields = line.split(",")
    if len(fields) != len(names):
        raise InputError(f"{path}:{number}: expected {len(names)} values ({', '.join(names)}), "
                         f"got {len(fields)}")
    values = []
    for name, field in zip(names, fields):
        try:
            value = float(field)
        except ValueError:
            raise InputError(f"{path}:{number}: column {name}: '{field.strip()}' is not a number") from None
        if not math.isfinite(value):
            raise InputError(f"{path}:{number}: column {name}: value must be finite, got {field.strip()}")
        values.append(value)
    return values


def write_curve_csv(path, comments: list[str], columns: dict[str, np.ndarray]):
    """Write comments as '# ' lines, then the columns (6 decimals; 'ray' as integers)."""
    names = list(columns)
    table = np.column_stack([np.asarray(columns[n], dtype=float) for n in names])
    lines = [f"# {c}".rstrip() for c in comments] + [",".join(names)]
    for row in table:
        lines.append(",".join(f"{int(v)}" if n == "ray" else f"{v:.6f}" for n, v in zip(names, row)))
    Path(path).write_text("\n".join(lines) + "\n")
