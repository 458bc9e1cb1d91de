"""What every `python -m core.<name>` shares: bad input exits 2 with one line on stderr, no traceback; JSON output is
strictly valid (no Infinity or NaN); stderr carries no start-up chatter from TensorFlow or NumPy."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import warnings
from collections.abc import Iterator
from typing import NoReturn

USAGE_ERROR = 2
NOT_FINITE = "result: a figure came out too large to represent; use smaller inputs"
MAX_MESSAGE_CHARS = 500  # a message quoting a 100,000-character argument back is still one readable line


def exit_with_error(message: str) -> NoReturn:
    line = message.splitlines()[0] if message and message.strip() else "invalid input"
    if len(line) > MAX_MESSAGE_CHARS:
        line = line[: MAX_MESSAGE_CHARS - 1] + "…"
    print(f"error: {line}", file=sys.stderr)
    raise SystemExit(USAGE_ERROR)


def quiet_start() -> None:
    """Before any CLI imports TensorFlow: its C++ log level (CUDA probing, oneDNN notices) and NumPy's overflow and
    invalid-value warnings, none of which a user of a one-line-error CLI can act on."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", UserWarning)


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """TensorFlow's C++ side writes CUDA probing to file descriptor 2 on import, before it reads TF_CPP_MIN_LOG_LEVEL;
    the CLI's stderr is kept for its own one-line errors. Python exceptions still propagate."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def strict_json(value, **options) -> str:
    """json.dumps that refuses Infinity and NaN: a CLI exits 2 with one line rather than print invalid JSON."""
    try:
        return json.dumps(value, allow_nan=False, **options)
    except ValueError:
        exit_with_error(NOT_FINITE)


def sweep_stale_runs_if_any() -> None:
    """A run whose process died is marked interrupted by the next start of any CLI, including those that need no
    database: when this data home has one, it is opened (and swept) once. A CLI that fails here still runs."""
    from core.config import database_url

    url = database_url()
    if not url.startswith("sqlite:///") or not os.path.isfile(url.removeprefix("sqlite:///")):
        return
    try:
        from db.engine import init_db

        init_db(url)
    except Exception:  # the database's own errors belong to the commands that use it
        pass


class ArgumentParser:
    """argparse, but a usage error is one line on stderr and exit 2, and a parsed command line first quiets the
    native start-up logs and sweeps stale training runs."""

    def __new__(cls, *args, **kwargs):
        import argparse

        quiet_start()

        class OneLineErrors(argparse.ArgumentParser):
            def error(self, message: str) -> NoReturn:
                exit_with_error(message)

            def parse_args(self, args=None, namespace=None):
                parsed = super().parse_args(args, namespace)
                sweep_stale_runs_if_any()
                return parsed

        return OneLineErrors(*args, **kwargs)
