"""Where ModelRunway keeps its data, and the settings a user may override through the environment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# A CPU has no catalog row, so its power draw and price come from settings. Defaults: a 2-vCPU cloud
# instance (AWS c6i.large on-demand, us-east-1, 0.085 USD/h) drawing about 30 W for its share of the socket.
DEFAULT_CPU_WATTS = 30.0
DEFAULT_CPU_PRICE_PER_HOUR = 0.085


def data_home() -> Path:
    home = Path(os.environ.get("MODELRUNWAY_HOME", PROJECT_ROOT / "data")).expanduser()
    return home.resolve()


def models_dir() -> Path:
    return data_home() / "models"


def allowed_data_dirs() -> list[Path]:
    """Folders a page may read a user-named data file from: the data home, plus those the operator lists in
    MODELRUNWAY_DATA_DIRS (separated by os.pathsep, ":" on Linux and macOS)."""
    folders = [data_home()]
    for entry in os.environ.get("MODELRUNWAY_DATA_DIRS", "").split(os.pathsep):
        if entry.strip():
            folders.append(Path(entry.strip()).expanduser().resolve())
    return folders


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_home() / 'modelrunway.db'}"


def cpu_watts() -> float:
    return _positive_float_env("MODELRUNWAY_CPU_WATTS", DEFAULT_CPU_WATTS)


def cpu_price_per_hour() -> float:
    return _positive_float_env("MODELRUNWAY_CPU_PRICE_PER_HOUR", DEFAULT_CPU_PRICE_PER_HOUR, allow_zero=True)


def _positive_float_env(name: str, default: float, allow_zero: bool = False) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'non-negative' if allow_zero else 'positive'}, got {raw!r}")
    return value
