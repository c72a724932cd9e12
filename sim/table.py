"""Rows of results (dicts) as CSV text: header = union of keys in first-seen order, full precision."""

import csv
import io

import numpy as np


def csv_text(rows: list[dict]) -> str:
    """CSV (RFC 4180 quoting: a text with a comma, quote or line break is quoted) for rows of numbers,
    strings and booleans; missing values are left empty."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    writer.writerows([_cell(row.get(k, "")) for k in keys] for row in rows)
    return out.getvalue()


def _cell(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v)).lower()
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.10g}"
    return str(v)
