"""What every `python -m core.<name>` shares: bad input exits 2 with one line on stderr, no traceback."""

from __future__ import annotations

import sys
from typing import NoReturn

USAGE_ERROR = 2


def exit_with_error(message: str) -> NoReturn:
    print(f"error: {message.splitlines()[0] if message else 'invalid input'}", file=sys.stderr)
    raise SystemExit(USAGE_ERROR)


class ArgumentParser:
    """argparse, but a usage error is one line on stderr and exit 2."""

    def __new__(cls, *args, **kwargs):
        import argparse

        class OneLineErrors(argparse.ArgumentParser):
            def error(self, message: str) -> NoReturn:
                exit_with_error(message)

        return OneLineErrors(*args, **kwargs)


def finite_json(value):
    """The value with every NaN or infinity (a diverged loss, an extrapolation past float range) as None, so that
    json.dumps(..., allow_nan=False) never fails on a number."""
    import math

    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_json(item) for item in value]
    return value
