"""`python -m db`: migrate the database to the newest schema and apply seed data; prints where it lives.
`python -m db --copy-to URL`: copy every table of this data home's database into an empty database at URL (for
example the team's PostgreSQL server) and print the rows copied per table, each count verified."""

from __future__ import annotations

import json

from core.cli import ArgumentParser, exit_with_error
from core.config import database_url


def _shown(url: str) -> str:
    from db.engine import parse_url

    return parse_url(url).render_as_string(hide_password=True)


def _copy(target_url: str, as_json: bool) -> None:
    from alembic.util import CommandError
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from db.engine import parse_url
    from db.transfer import CopyError, copy_database

    source_url = database_url()
    try:
        source = parse_url(source_url)
        parse_url(target_url)
    except ArgumentError as error:
        exit_with_error(f"--copy-to: not a database URL ({error})")
    if source.get_backend_name() == "sqlite" and source.database and not _sqlite_file_exists(source.database):
        exit_with_error(f"no database to copy at {source.database}")
    try:
        counts = copy_database(source_url, target_url)
    except CopyError as error:
        exit_with_error(f"--copy-to: {error}")
    except (SQLAlchemyError, CommandError) as error:
        reason = str(getattr(error, "orig", None) or error).strip()
        exit_with_error(f"--copy-to: {type(error).__name__}: {reason}")
    if as_json:
        print(json.dumps({"source": _shown(source_url), "target": _shown(target_url), "rows": counts}))
        return
    width = max(len(name) for name in counts)
    print(f"copied {_shown(source_url)} -> {_shown(target_url)}")
    for name, rows in counts.items():
        print(f"  {name:<{width}}  {rows:>8} rows (verified)")
    print(f"  {'total':<{width}}  {sum(counts.values()):>8} rows")


def _sqlite_file_exists(path: str) -> bool:
    from pathlib import Path

    return path == ":memory:" or Path(path).is_file()


def main(argv: list[str] | None = None) -> None:
    parser = ArgumentParser(prog="python -m db", description=__doc__.splitlines()[0])
    parser.add_argument("--copy-to", metavar="URL", help="copy every table into the empty database at URL")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    args = parser.parse_args(argv)
    if args.copy_to is not None:
        _copy(args.copy_to, args.json)
        return
    from sqlalchemy.exc import SQLAlchemyError

    from db.engine import init_db

    try:
        engine = init_db()
    except SQLAlchemyError as error:
        exit_with_error(f"database: {type(error).__name__}: {str(getattr(error, 'orig', None) or error).strip()}")
    url = engine.url.render_as_string(hide_password=True)
    print(json.dumps({"database": url}) if args.json else f"database ready: {url}")


if __name__ == "__main__":
    main()
