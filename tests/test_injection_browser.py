"""Markdown planted in stored names and in link parameters shows as text in a real Chromium: no image loads from,
and no link points to, a server the planter controls (here a local one that records every request)."""

from __future__ import annotations

import http.server
import threading
from urllib.parse import quote

from tests.browser import chromium_page, error_texts, free_port, streamlit_server, wait_for_script


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


def _pointing_at(page, prefix: str) -> list[str]:
    """Every element of the page, HTML or SVG (Plotly's chart labels), that links to or loads from `prefix`."""
    return page.evaluate(
        """prefix => [...document.querySelectorAll('*')].flatMap(element =>
            ['href', 'src', 'xlink:href'].map(name => element.getAttribute(name) || '')
                .filter(value => value.startsWith(prefix)).map(value => element.tagName + ' ' + value))""",
        prefix,
    )


def _plant(bait, leak: str) -> None:
    """The bait in every user-named thing: an application scenario (name, description, list items), a GPU, a saved
    estimate and a funding scenario."""
    from core.applications.catalog import create_scenario, seeded_scenarios
    from core.compute.estimate import estimate_training, example_training_inputs
    from core.compute.gpus import add_hardware
    from core.compute.store import save_estimate
    from core.funding.analysis import example_scenario
    from core.funding.store import save_scenario

    best = {"data_availability": 5, "typical_params": 5e7, "regulatory_risk": "low", "maturity": "mainstream"}
    scenario = {**seeded_scenarios()[0].to_dict(), **best, "name": bait("app"), "description": bait("about")}
    create_scenario({**scenario, "tasks": [bait("task")], "key_risks": [bait("risk")]})
    gpu_name = f"<a href='{leak}/gh'>g</a> [g]({leak}/g) ![g]({leak}/g.png)"  # the catalog allows 120 characters
    add_hardware({"name": gpu_name, "vendor": "AAA", "bf16_dense_tflops": 100, "memory_gb": 80,
                  "bandwidth_tbs": 2, "price_per_hour_usd": 1, "price_note": bait("price")})  # fmt: skip
    inputs = example_training_inputs()
    save_estimate(bait("estimate"), inputs.as_dict(), estimate_training(inputs))
    save_scenario(bait("funding"), example_scenario())


def test_planted_markdown_loads_nothing_and_links_nowhere(data_home):
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    leak = f"http://127.0.0.1:{port}"

    def bait(tag: str) -> str:  # a Markdown link, image and bare address, and an HTML link
        return f"[{tag}]({leak}/{tag}) ![{tag}]({leak}/{tag}.png) {leak}/{tag}b <a href='{leak}/{tag}h'>{tag}</a>"

    _plant(bait, leak)
    query_text = f"![q]({leak}/query.png) [q]({leak}/query)"
    query = quote(query_text)
    visits = {  # each page, and the planted text it must show as written
        "applications": f"[app]({leak}/app)",
        f"gpu_budget?params=7e9&scenario={query}": query_text,
        f"funding?training_cost_usd=1000&training_months=2&serving_monthly_usd=10&scenario={query}": query_text,
    }
    try:
        with streamlit_server(data_home) as url, chromium_page() as page:
            for path, shown in visits.items():
                page.goto(f"{url}/{path}")
                wait_for_script(page)
                page.get_by_text(shown, exact=False).first.wait_for(timeout=60_000)
                page.wait_for_timeout(1500)  # long enough for any planted image to be fetched
                assert error_texts(page) == [], path
                assert _pointing_at(page, leak) == [], path
    finally:
        server.shutdown()
    assert _Recorder.hits == []
