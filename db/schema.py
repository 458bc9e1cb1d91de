"""Is a database already at the newest migration and seeded? One query through the standard library's sqlite3, so a
start needs neither Alembic nor SQLAlchemy to find out. Whatever it cannot vouch for (another database, a missing
file, an older or unknown revision, a seed set not applied) answers False, and init_db does the full work."""

from __future__ import annotations

import ast
import re
import sqlite3
from contextlib import closing
from functools import cache
from pathlib import Path
from urllib.request import pathname2url

DB_DIR = Path(__file__).resolve().parent
VERSIONS_DIR = DB_DIR / "migrations" / "versions"
SEED_MODULE = DB_DIR / "seed.py"
SQLITE_FILE_URL = re.compile(r"^sqlite(\+pysqlite)?:///(?P<path>[^?]+)$")
STATE_QUERY = (
    "SELECT (SELECT group_concat(version_num, ' ') FROM alembic_version), "
    "(SELECT group_concat(key, ' ') FROM app_meta WHERE key LIKE 'seed:%')"
)


def _module_constants(path: Path, names: set[str]) -> dict[str, object]:
    """Top-level `NAME = literal` (or `NAME: type = literal`) assignments of a Python file, read without running it."""
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names:
            found[target.id] = value
    return found


@cache
def head_revisions() -> frozenset[str]:
    """Revisions no other migration builds on, read from the files' `revision` and `down_revision` lines."""
    revisions, parents = set(), set()
    for path in VERSIONS_DIR.glob("*.py"):
        nodes = _module_constants(path, {"revision", "down_revision"})
        if "revision" not in nodes:
            continue
        revisions.add(ast.literal_eval(nodes["revision"]))
        down = ast.literal_eval(nodes["down_revision"]) if "down_revision" in nodes else None
        parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - parents)


@cache
def seed_keys() -> frozenset[str]:
    """The app_meta keys init_db writes once each seed set of db/seed.py's SEED_SETS has been applied."""
    node = _module_constants(SEED_MODULE, {"SEED_SETS"}).get("SEED_SETS")
    if not isinstance(node, ast.Dict) or not all(isinstance(key, ast.Constant) for key in node.keys):
        raise ValueError("db/seed.py: SEED_SETS is no longer a dict literal with string keys")
    return frozenset(f"seed:{key.value}" for key in node.keys)


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names; None for any other database, an in-memory one, or a URL with options."""
    match = SQLITE_FILE_URL.match(url)
    if match is None or match["path"] == ":memory:":
        return None
    return Path(match["path"])


def database_is_current(url: str) -> bool:
    """True only for an existing SQLite file whose schema is at every head revision with every seed set applied."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return False
    try:
        heads, seeds = head_revisions(), seed_keys()
        with closing(sqlite3.connect(f"file:{pathname2url(str(path.resolve()))}?mode=ro", uri=True)) as connection:
            versions, applied = connection.execute(STATE_QUERY).fetchone()
    except (sqlite3.Error, OSError, ValueError, SyntaxError):
        return False
    return bool(heads) and set((versions or "").split()) == heads and seeds <= set((applied or "").split())
