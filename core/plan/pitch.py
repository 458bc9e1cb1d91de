"""The pitch pack: pitch.html, one self-contained file (plotly's JavaScript inline, no external script, style or
link URL, so it opens offline), and pitch.pdf, that HTML printed by headless Chromium: a cover with the verdict,
then funding, GPU budget, application and proof, each chart on a page of its own."""

from __future__ import annotations

import html
import os
import re
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from core.formatting import compact, money, months, percent, seconds
from core.plan import charts

PDF_VIEWPORT = {"width": 1040, "height": 740}  # A4 landscape less 12 mm margins, at 96 px per inch
RENDER_TIMEOUT_MS = 60_000
NO_RENDERER = (
    "pitch.pdf not written: no headless Chromium at {path}. Install Debian's chromium (apt-get install chromium) "
    "and the dev requirements (pip install -r requirements-dev.txt, for Playwright), then run again; or open "
    "pitch.html in a browser and print it to PDF."
)

STYLE = """
@page { size: A4 landscape; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1f24; margin: 0 auto;
       max-width: 1100px; padding: 16px; }
h1 { font-size: 30px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 22px; margin: 0 0 10px; border-bottom: 2px solid #1f77b4; padding-bottom: 4px; }
.sub { color: #57606a; margin: 0 0 16px; }
.verdict { font-size: 22px; font-weight: 700; padding: 10px 14px; border-radius: 8px; margin: 8px 0 16px; }
.holds { background: #dafbe1; color: #116329; } .fails { background: #ffebe9; color: #a40e26; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-bottom: 16px; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 10px; }
.card .label { color: #57606a; font-size: 12px; } .card .value { font-size: 20px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: 5px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
.pass { color: #116329; font-weight: 600; } .fail { color: #a40e26; font-weight: 600; }
.chart-page { break-before: page; page-break-before: always; }
.area-start { break-before: page; page-break-before: always; }
.note { color: #57606a; font-size: 12px; }
@media print { body { max-width: none; padding: 0; } }
"""


class PitchError(ValueError):
    """The pitch pack could not be written; the message names the path."""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _cards(items: list[tuple[str, str]]) -> str:
    cells = "".join(
        f'<div class="card"><div class="label">{_e(k)}</div><div class="value">{_e(v)}</div></div>' for k, v in items
    )
    return f'<div class="cards">{cells}</div>'


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{_e(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(figure, chart_id: str) -> str:
    return figure.to_html(
        full_html=False, include_plotlyjs=False, div_id=chart_id, config={"displaylogo": False, "responsive": True}
    )


def _cover(result: dict) -> str:
    holds = result["holds"]
    runway = months(result["runway_months"], result["runway_beyond_months"])
    cards = _cards(
        [
            ("Runway", runway),
            (f"Out of cash by month {result['survival_month']}", percent(result["p_out_of_cash"])),
            ("Lowest cash", f"{money(result['lowest_cash_usd'])} (month {result['lowest_cash_month']})"),
            ("Training run", money(result["training_cost_usd"])),
            ("Serving", f"{money(result['serving_monthly_usd'])}/month"),
            ("Founders at the end", percent(result["founder_ownership_final"])),
            (
                "Application score",
                "none" if result["application_score"] is None else f"{result['application_score']:.0f}/100",
            ),
            ("Reference run", "none yet" if result["reference_run_id"] is None else f"#{result['reference_run_id']}"),
        ]
    )
    rows = [
        [check["label"], "pass" if check["passed"] else "FAIL", check["sentence"], check["fix"] or ""]
        for check in result["checks"]
    ]
    table = _table(["Test", "Result", "The figure that decides", "Suggested fix"], rows)
    table = table.replace("<td>pass</td>", '<td class="pass">pass</td>').replace(
        "<td>FAIL</td>", '<td class="fail">FAIL</td>'
    )
    verdict = "The plan holds." if holds else "The plan does not hold yet."
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f'<section class="cover"><h1>{_e(result["name"])}</h1>'
        f'<p class="sub">Pitch pack from ModelRunway · {stamp}</p>'
        f'<div class="verdict {"holds" if holds else "fails"}">{verdict}</div>{cards}'
        f"<h2>Does the plan hold?</h2>{table}</section>"
    )


def _funding(result: dict) -> str:
    final = result["funding"]["final_cap_table"]
    rows = [[row["name"], f"{row['shares']:,}", f"{row['percent']:.1f}%", money(row["preference"])] for row in final]
    compute = result["compute"]
    notes = (
        f"Compute in this scenario comes from the estimates: training {money(compute['training_cost_usd'])} over "
        f"{compute['training_months']} month(s) from month {compute['training_start_month']}, serving "
        f"{money(compute['serving_monthly_usd'])}/month from month {compute['serving_start_month']}."
    )
    return (
        f'<section class="area-start"><h2>Funding</h2><p>{_e(notes)}</p>'
        f"{_chart(charts.runway_figure(result), 'chart-runway')}</section>"
        f'<section class="chart-page"><h2>Funding: ownership</h2>{_chart(charts.cap_table_figure(result), "chart-cap")}'
        f"{_table(['Holder', 'Shares', 'Fully diluted', 'Preference'], rows, {1, 2, 3})}</section>"
        f'<section class="chart-page"><h2>Funding: exits</h2>{_chart(charts.exits_figure(result), "chart-exits")}'
        "</section>"
    )


def _gpu_budget(result: dict) -> str:
    training, serving = result["training"], result["serving"]
    inputs, serving_inputs = result["training_inputs"], result["serving_inputs"]
    training_rows = [
        ["Model", f"{compact(inputs['params'])} parameters, {compact(training['tokens'])} tokens"],
        ["Hardware", f"{training['gpus']} × {training['gpu']} at {money(training['price_per_hour_usd'])}/GPU-hour"],
        [
            "GPU-hours",
            f"{compact(training['gpu_hours'])} ({compact(training['gpu_hours_low'])}–"
            f"{compact(training['gpu_hours_high'])})",
        ],
        [
            "Wall clock",
            f"{training['wall_days']:.1f} days at {percent(training['mfu'])} MFU ({training['mfu_source']})",
        ],
        [
            "Cost",
            f"{money(training['cost_usd'])} ({money(training['cost_usd_low'])}–{money(training['cost_usd_high'])})",
        ],
    ]
    serving_rows = [
        [
            "Traffic",
            f"{compact(serving_inputs['requests_per_day'])} requests/day, "
            f"{compact(serving_inputs['output_tokens'])} output tokens each",
        ],
        ["Hardware", f"{serving['gpus_needed']} × {serving['gpu']} ({serving['replicas']} replica(s))"],
        ["Cost per million output tokens", money(serving["cost_per_million_output_tokens"])],
        [
            "Monthly bill",
            f"{money(serving['monthly_cost_usd'])} ({money(serving['monthly_cost_usd_low'])}–"
            f"{money(serving['monthly_cost_usd_high'])})",
        ],
    ]
    return (
        f'<section class="area-start"><h2>GPU budget: training</h2>'
        f"{_chart(charts.training_band_figure(result), 'chart-training')}{_table(['', ''], training_rows)}</section>"
        f'<section class="chart-page"><h2>GPU budget: serving at traffic</h2>'
        f"{_chart(charts.serving_traffic_figure(result), 'chart-serving')}{_table(['', ''], serving_rows)}</section>"
    )


def _application(result: dict) -> str:
    application = result["application"]
    if not application:
        return (
            '<section class="area-start"><h2>Application</h2><p>No application from the catalog is attached to this '
            "plan.</p></section>"
        )
    rows = [
        ["Sector", application["sector"]],
        ["Typical model", f"{application['typical_model']} ({compact(application['typical_params'])} parameters)"],
        ["Data availability", f"{application['data_availability']} of 5"],
        ["Regulatory risk", application["regulatory_risk"]],
        ["Market maturity", application["maturity"]],
        ["Example products", ", ".join(application["example_products"])],
        ["Key risks", "; ".join(application["key_risks"])],
    ]
    return (
        f'<section class="area-start"><h2>Application</h2><p>{_e(application["description"])}</p>'
        f"{_chart(charts.application_figure(result), 'chart-application')}{_table(['', ''], rows)}</section>"
    )


def _proof(result: dict) -> str:
    run, demo = result["reference_run"], result["live_demo_run"]
    if not run:
        return (
            '<section class="area-start"><h2>Proof</h2><p>No reference run yet: train one on the Model Lab page or '
            "with <code>python -m core.train</code>, then build the pitch pack again.</p></section>"
        )
    rows = [
        ["Test accuracy", f"{run['test_accuracy']:.2%} on {run['n_test']:,} held-out digits"],
        ["Throughput", f"{compact(run['samples_per_second'])} samples/s, MFU {percent(run['mfu'])}"],
        ["Wall time", seconds(run["wall_seconds"])],
        ["Cost of the run", money(run["cost_usd"])],
        ["Device", f"{(run['device'] or '').upper()} {run['device_name'] or ''}".strip()],
        ["Data", f"{run['dataset']}: {run['n_train']:,} training digits, {run['epochs']} epochs"],
        [
            "Live demo",
            f"serves run #{demo['id']}, {demo['test_accuracy']:.2%} test accuracy" if demo else "no saved model yet",
        ],
    ]
    figure = charts.proof_figure(result)
    chart = _chart(figure, "chart-proof") if figure else ""
    return (
        f'<section class="area-start"><h2>Proof: the reference model, measured</h2>{chart}'
        f"{_table(['', ''], rows)}</section>"
    )


def pitch_html(result: dict) -> str:
    """The whole pitch pack as one HTML document with plotly's JavaScript inline."""
    from plotly.offline import get_plotlyjs

    body = _cover(result) + _funding(result) + _gpu_budget(result) + _application(result) + _proof(result)
    charts_count = len(re.findall(r'class="plotly-graph-div"', body))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(result['name'])} · pitch pack</title><style>{STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>'
        f'<body data-charts="{charts_count}">{body}</body></html>'
    )


def pdf_renderer() -> str | None:
    """The Chromium that can print the pack, or None."""
    from core.lab.startup import CHROMIUM

    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None
    return CHROMIUM if os.access(CHROMIUM, os.X_OK) else None


def _print_pdf(html_path: Path, pdf_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from core.lab.startup import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PDF_VIEWPORT)
            page.goto(html_path.as_uri(), timeout=RENDER_TIMEOUT_MS)
            page.wait_for_function(
                "document.querySelectorAll('.js-plotly-plot .main-svg').length >= Number(document.body.dataset.charts)",
                timeout=RENDER_TIMEOUT_MS,
            )
            page.pdf(
                path=str(pdf_path),
                format="A4",
                landscape=True,
                print_background=True,
                margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"},
            )
        finally:
            browser.close()


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    """Headless Chromium prints the HTML. Playwright's sync API refuses a thread with a running event loop (as a
    Streamlit script may have), so it runs in a thread of its own."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            _print_pdf(html_path, pdf_path)
        except BaseException as exc:  # handed back to the caller below
            errors.append(exc)

    worker = threading.Thread(target=run, name="pitch-pdf")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]


def pdf_page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the pack from a web server or a colleague
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_pitch_pack(result: dict, directory: str | Path) -> dict:
    """Write DIR/pitch.html, then DIR/pitch.pdf when a renderer is present; says what was written and how."""
    folder = Path(directory)
    html_path, pdf_path = folder / "pitch.html", folder / "pitch.pdf"
    document = pitch_html(result).encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(html_path, document)
    except OSError as exc:
        raise PitchError(f"--pitch-pack: cannot write {html_path}: {exc.strerror or exc}") from None
    renderer = pdf_renderer()
    if renderer is None:
        from core.lab.startup import CHROMIUM

        return {"html": str(html_path), "pdf": None, "pdf_pages": 0, "message": NO_RENDERER.format(path=CHROMIUM)}
    temporary = folder / f".pitch.{os.getpid()}.pdf"
    try:
        print_pdf(html_path, temporary)
        os.replace(temporary, pdf_path)
    except Exception as exc:  # a browser that fails to start or print must not lose the HTML already written
        temporary.unlink(missing_ok=True)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return {
            "html": str(html_path),
            "pdf": None,
            "pdf_pages": 0,
            "message": f"pitch.pdf not written: Chromium could not print it ({reason}). pitch.html is complete.",
        }
    pages = pdf_page_count(pdf_path.read_bytes())
    return {
        "html": str(html_path),
        "pdf": str(pdf_path),
        "pdf_pages": pages,
        "message": f"Wrote {html_path} and {pdf_path} ({pages} pages).",
    }


def render_pitch(result: dict) -> tuple[str, bytes | None, str]:
    """For a download button: the HTML, the PDF bytes (None without a renderer) and what happened."""
    with tempfile.TemporaryDirectory() as folder:
        written = write_pitch_pack(result, folder)
        html_text = Path(written["html"]).read_text(encoding="utf-8")
        pdf = Path(written["pdf"]).read_bytes() if written["pdf"] else None
    return html_text, pdf, written["message"]
