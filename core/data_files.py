"""Reading the reference data files kept in `data/`, with errors that say where."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

import yaml


class DataFileError(Exception):
    """A reference data file is missing or holds something that cannot be loaded."""


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise DataFileError(f"{path.name}: file not found in {path.parent}") from None
    except (yaml.YAMLError, ValueError) as exc:
        # PyYAML raises ValueError for a date-shaped value that is no date ("2021-13-45").
        reason = " ".join(str(exc).split())
        raise DataFileError(f"{path.name}: cannot be read ({reason})") from None


def read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        raise DataFileError(f"{path.name}: file not found in {path.parent}") from None


def parse_date(value: Any, *, where: str) -> datetime.date | None:
    """A date from YAML (already a date) or CSV (ISO text); blank or null is None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DataFileError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def require(record: dict[str, Any], key: str, *, where: str) -> Any:
    try:
        return record[key]
    except (KeyError, TypeError):
        raise DataFileError(f"{where}: missing {key!r}") from None
