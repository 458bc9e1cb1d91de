"""Start-up time: from `streamlit run` to the first rendered page in headless Chromium, for the home page and for a
bare one-line Streamlit app, measured the same way. Needs the dev requirements (Playwright) and /usr/bin/chromium.
The same server and browser helpers drive the browser tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from core.config import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BARE_APP = 'import streamlit as st\nst.title("hello")\n'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(data_home: Path, script: str = "app.py", timeout: float = 90.0) -> Iterator[str]:
    """`streamlit run SCRIPT` from the project root on a free localhost port; yields its URL once healthy."""
    port = free_port()
    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home)}
    env.pop("DATABASE_URL", None)
    log_path = Path(data_home).parent / f"streamlit-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def chromium_browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _time_to_render(browser, script: str, data_home: Path) -> float:
    page = browser.new_page()
    try:
        start = time.perf_counter()
        with streamlit_server(data_home, script) as url:
            page.goto(url)
            page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
            return time.perf_counter() - start
    finally:
        page.close()


def measure_startup(repeats: int = 3) -> dict:
    """Median seconds from launching `streamlit run` to a rendered title, home page vs a bare app."""
    import statistics

    with tempfile.TemporaryDirectory() as folder, chromium_browser() as browser:
        bare = Path(folder) / "bare_app.py"
        bare.write_text(BARE_APP)
        home_times, bare_times = [], []
        for attempt in range(repeats):
            home_times.append(_time_to_render(browser, "app.py", Path(folder) / f"home-{attempt}"))
            bare_times.append(_time_to_render(browser, str(bare), Path(folder) / f"bare-{attempt}"))
    home, bare_median = statistics.median(home_times), statistics.median(bare_times)
    return {
        "startup_home_ms": home * 1000,
        "startup_bare_ms": bare_median * 1000,
        "startup_overhead_ms": (home - bare_median) * 1000,
        "startup_ratio": home / bare_median,
    }
