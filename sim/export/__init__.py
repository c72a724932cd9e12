"""Export a model or one experiment case (at one gait frame) as CalculiX/Abaqus .inp or FEBio .feb input."""

from pathlib import Path

from ..atomic import write_text
from ..errors import InputError
from .feb import feb_text
from .inp import inp_text
from .model import ExportModel, from_experiment, from_model_file, is_model_file

FORMATS = {"inp": inp_text, "feb": feb_text}


def export(source, fmt: str, out_dir, case: str | None = None, frame: int | None = None) -> Path:
    """Write <out_dir>/<name>.<fmt> for a model file or an experiment case; returns the file written.
    Everything is checked (format, case, frame, features the format cannot express) before writing."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format '{fmt}'; formats are: {', '.join(FORMATS)}")
    source = Path(source)
    if is_model_file(source):
        if case is not None or frame is not None:
            raise InputError(f"{source}: --case and --frame apply to experiment files, this is a model file")
        model = from_model_file(source)
    else:
        model = from_experiment(source, case, frame, fmt)
    text = FORMATS[fmt](model)
    path = Path(out_dir) / f"{model.name}.{fmt}"
    write_text(path, text)
    return path


__all__ = ["ExportModel", "FORMATS", "export", "feb_text", "inp_text"]
