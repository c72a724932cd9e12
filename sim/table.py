"""Rows of results (dicts) as CSV text: header = union of keys in first-seen order, full precision."""

import numpy as np


def csv_text(rows: list[dict]) -> str:
    """CSV for rows of numbers, strings and booleans; missing values are left empty."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    lines = [",".join(keys)]
    for row in rows:
        lines.append(",".join(_cell(row.get(k, "")) for k in keys))
    return "\n".join(lines) + "\n"


def _cell(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v)).lower()
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.10g}"
    return str(v)
