"""Reading the user's text files (TOML, CSV, JSON): any failure is one InputError naming the file.

Covers a missing or unreadable file, a name too long for the file system, a folder where a file was
expected, bytes that are not UTF-8, malformed TOML or JSON, and TOML nested deeper than Python's
recursion limit.
"""

import json
import tomllib
from pathlib import Path

from .errors import InputError


def read_text(path, what: str = "file") -> str:
    """The file's text (UTF-8)."""
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what} ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: {what} is not UTF-8 text (byte {exc.start})") from None


def read_toml(path, what: str = "file") -> dict:
    """The parsed TOML document."""
    text = read_text(path, what)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise InputError(f"{path}: not valid TOML (nested too deeply)") from None


def read_json(path, what: str = "file"):
    """The parsed JSON document."""
    text = read_text(path, what)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{path}: {what} is damaged (not valid JSON: {exc})") from None
