"""Results tables as CSV, as the plots read them: a text cell with a comma, a quote or a line break (a
solver's message such as "rotation, a mechanism") comes back as one cell, read by Python's csv module and
by the plots' reader; a gait curve that stops early says why."""

import csv
import io

from sim.plots.experiment import read_rows
from sim.table import csv_text


def test_text_cells_with_commas_quotes_and_line_breaks_round_trip(tmp_path):
    rows = [{"case": "c00", "end": "rotation, a mechanism", "x": 1.5, "ok": True},
            {"case": "c01", "end": 'said "no"\nthen stopped', "x": float("nan")},
            {"case": "c02", "y": 2}]
    text = csv_text(rows)
    back = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["end"] for r in back] == ["rotation, a mechanism", 'said "no"\nthen stopped', ""]
    assert back[0]["x"] == "1.5" and back[0]["ok"] == "true" and back[2]["y"] == "2" and back[0]["y"] == ""
    (tmp_path / "summary.csv").write_text(text)
    read = read_rows(tmp_path / "summary.csv")
    assert read[0]["end"] == "rotation, a mechanism" and read[1]["end"] == 'said "no"\nthen stopped'
    assert read[0]["x"] == 1.5 and read[0]["ok"] is True and read[2]["y"] == 2.0


def test_a_gait_curve_that_stops_early_says_why_in_its_legend():
    from sim.plots.experiment import _path_end

    assert _path_end({"gait_end": "limit point"}, "50 % fill") == "50 % fill (gait path ended: limit point)"
    assert _path_end({"gait_end": ""}, "50 % fill") == "50 % fill"
    assert _path_end({}, "50 % fill") == "50 % fill"
