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
