"""Every page in headless Chromium at 1400 px and at a 390 px phone width, with a stored reference run: no headline
metric is cut off, no tab strip or table runs past the screen, no error box."""

from __future__ import annotations

import json

from tests.browser import chromium_browser, error_texts, streamlit_server, wait_for_script

WIDTHS = (1400, 390)
# Elements whose text is cut off (an ellipsis or hidden overflow), and strips or tables wider than the screen.
CUT_METRICS = """() => Array.from(document.querySelectorAll('[data-testid="stMetricValue"]'))
  .filter(el => [el, ...el.querySelectorAll('*')].some(n => n.scrollWidth > n.clientWidth + 1))
  .map(el => el.innerText)"""
OVERFLOWING_TABS = """() => Array.from(document.querySelectorAll('[data-testid="stTabs"]')).filter(tabs => {
    const edge = tabs.getBoundingClientRect().right;
    return Array.from(tabs.querySelectorAll('[role="tab"]')).some(tab => tab.getBoundingClientRect().right > edge + 1);
  }).map(tabs => Array.from(tabs.querySelectorAll('[role="tab"]')).map(tab => tab.innerText).join(' | '))"""
PAGE_WIDER_THAN_SCREEN = """() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  return main.scrollWidth > window.innerWidth + 1 ? main.scrollWidth : 0;
}"""


def page_paths() -> list[str]:
    from pages.ui.common import PAGES

    return [entry.url_path for entry in PAGES]


def store_a_measured_run() -> None:
    """A run with the long figures a real one has (the layout is under test here, not the trainer)."""
    from datetime import UTC, datetime

    from db.engine import session_scope
    from db.models import ClassMetric, EpochMetric, TrainingRun

    with session_scope() as session:
        run = TrainingRun(
            status="succeeded", variant="fast", backend="tensorflow", device="cpu", device_name="Intel Xeon CPU",
            dataset="mnist", dataset_origin="keras cache ~/.keras/datasets/mnist.npz", dataset_hash="ab" * 32,
            framework_versions={"tensorflow": "2.21.0", "keras": "3.15.1"},
            confusion_matrix=[[980 if row == col else 2 for col in range(10)] for row in range(10)],
            finished_at=datetime.now(UTC), n_train=60_000, n_test=10_000, epochs=5, batch_size=32, seed=0,
            params=567_434,
            wall_seconds=3.0751, samples_per_second=97_560.42, flops_per_sample=3_399_168, achieved_flops=3.316e11,
            peak_flops=1.2e12, mfu=0.2763, power_watts=30.0, energy_kwh=2.56e-5, price_per_hour=0.085,
            cost_usd=7.26e-5, test_accuracy=0.9812, test_loss=0.0634,
        )  # fmt: skip
        run.epochs_history = [
            EpochMetric(epoch=epoch, loss=0.3 / epoch, accuracy=0.9 + 0.015 * epoch, seconds=0.61)
            for epoch in range(1, 6)
        ]
        run.class_metrics = [
            ClassMetric(digit=digit, precision=0.98, recall=0.98, f1=0.98, support=1000) for digit in range(10)
        ]
        session.add(run)


def test_headline_metrics_fit_at_desktop_and_phone_widths(data_home):
    store_a_measured_run()
    problems: dict[str, object] = {}
    with streamlit_server(data_home) as url, chromium_browser() as browser:
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 1600})
            for path in page_paths():
                page.goto(f"{url}/{path}")
                wait_for_script(page, timeout_ms=120_000)
                if path == "":  # the home page's verdict appears once the plan's analysis is done
                    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
                    wait_for_script(page, timeout_ms=120_000)
                where = f"{path or 'home'} at {width}px"
                for name, script in (("cut metrics", CUT_METRICS), ("overflowing tabs", OVERFLOWING_TABS)):
                    if found := page.evaluate(script):
                        problems[f"{where}: {name}"] = found
                if wider := page.evaluate(PAGE_WIDER_THAN_SCREEN):
                    problems[f"{where}: page is {wider}px wide"] = True
                if errors := error_texts(page):
                    problems[f"{where}: errors"] = errors
            page.close()
    assert not problems, json.dumps(problems, indent=1)
