"""The layout holds: core/ imports without cycles, core/ never imports Streamlit, and no page file grows past 300
lines (a page that does moves its tabs into modules under pages/ui/<page>/)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

CORE = PROJECT_ROOT / "core"
PAGES = PROJECT_ROOT / "pages"
MAX_PAGE_LINES = 300


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def core_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(CORE.rglob("*.py"))}


def imported_names(path: Path, name: str) -> set[str]:
    """Every module an import statement in the file names, wherever the statement sits (lazy imports count)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    """core module -> the core modules it imports (a `from package import name` that is a module counts as it)."""
    modules = core_modules()
    return {
        name: {target for target in imported_names(path, name) if target in modules and target != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_and_accepts_a_tree():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
    assert imported_names(CORE / "funding" / "__main__.py", "core.funding.__main__") >= {"core.funding.analysis"}


def test_core_has_no_import_cycles_and_never_imports_streamlit():
    graph = import_graph()
    assert {"core.lab", "core.compute", "core.funding", "core.applications", "core.demo"} <= set(graph)
    assert find_cycle(graph) is None
    streamlit_users = [
        name for name, path in core_modules().items() if any(
            target.split(".")[0] == "streamlit" for target in imported_names(path, name)
        )
    ]  # fmt: skip
    assert streamlit_users == []


def test_every_core_module_imports_in_a_fresh_interpreter():
    names = sorted(name for name in core_modules() if not name.endswith(".__main__"))  # those run their CLI
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\nprint('ok')\n"
    result = subprocess.run(
        [sys.executable, "-c", script, *names], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_no_page_file_is_over_300_lines():
    sizes = {str(path.relative_to(PROJECT_ROOT)): len(path.read_text().splitlines()) for path in PAGES.rglob("*.py")}
    assert "pages/ui/common.py" in sizes and "pages/home.py" in sizes
    assert {path: lines for path, lines in sizes.items() if lines > MAX_PAGE_LINES} == {}


def test_pages_use_material_icons_not_emoji():
    """This browser's fonts draw no emoji; icons come from `:material/name:`."""
    emoji = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
    sources = [PROJECT_ROOT / "app.py", *PAGES.rglob("*.py")]
    found = {str(path.relative_to(PROJECT_ROOT)): emoji.findall(path.read_text()) for path in sources}
    assert {path: chars for path, chars in found.items() if chars} == {}
