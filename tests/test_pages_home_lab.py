"""AppTest of the home page and the Model Lab; neither imports TensorFlow until a run starts."""

import json
import subprocess
import sys

from db.engine import init_db
from tests.apptest import open_page, plain
from tests.conftest import PROJECT_ROOT


def test_home_without_runs_answers_for_the_first_plan_and_says_how_to_get_proof():
    at = open_page(timeout=180)
    assert not at.exception
    assert at.title[0].value == "ModelRunway"
    assert at.selectbox[0].label == "Plan" and at.selectbox[0].value in at.selectbox[0].options
    proof = {metric.label: metric for metric in at.metric}["Test accuracy"]
    assert proof.value == "n/a" and "No reference run yet" in proof.proto.help
    links = at.get("page_link")
    assert "Train one in the Model Lab" in [link.proto.label for link in links]


def test_router_shows_home_first_then_plan_and_proof_with_material_icons(monkeypatch):
    import streamlit as st

    shown = {}
    real_navigation = st.navigation

    def recording_navigation(pages, **kwargs):
        shown.update({section: [(p.title, p.icon, p.url_path) for p in items] for section, items in pages.items()})
        return real_navigation(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", recording_navigation)
    at = open_page()
    assert not at.exception
    assert shown == {
        "Plan": [
            ("Home", ":material/home:", ""),
            ("Plan", ":material/edit_note:", "plan"),
            ("Funding", ":material/savings:", "funding"),
            ("GPU Budget", ":material/memory:", "gpu_budget"),
            ("Applications", ":material/apps:", "applications"),
        ],
        "Proof": [("Model Lab", ":material/science:", "model_lab"), ("Live Demo", ":material/draw:", "live_demo")],
    }


def test_model_lab_trains_through_the_form_and_home_shows_the_run():
    at = open_page("pages/model_lab.py", timeout=180)
    assert not at.exception
    epochs, limit = at.number_input[0], at.number_input[1]
    epochs.set_value(1)
    limit.set_value(300)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.success and "test accuracy" in at.success[0].value
    assert len(at.dataframe) >= 2  # runs table and per-class metrics

    home = open_page(timeout=180)
    assert not home.exception
    metrics = {metric.label: metric for metric in home.metric}
    assert metrics["Test accuracy"].value.endswith("%") and metrics["Samples/s"].value != "n/a"
    assert metrics["Cost of the run"].value.startswith("$") and "CPU" in metrics["Samples/s"].proto.help


def test_model_lab_names_the_field_on_bad_input(data_home):
    at = open_page("pages/model_lab.py", timeout=180)
    at.radio[0].set_value(at.radio[0].options[1])
    at.text_input[0].set_value("/no/such/place/mnist.npz")
    at.button[0].click().run()
    assert not at.exception
    assert at.error and "data:" in plain(at.error[0].value) and "Nothing was trained" in at.error[0].value
    at.text_input[0].set_value("")
    at.button[0].click().run()
    assert at.error and "data:" in plain(at.error[0].value)
    assert not (data_home / "models").exists()


def test_pages_open_without_importing_tensorflow(data_home):
    script = (
        "import sys\n"
        "from app import PAGES\n"
        "from tests.apptest import open_page\n"
        "for path in [entry.path for entry in PAGES]:\n"
        "    at = open_page(path)\n"
        "    assert not at.exception, (path, at.exception)\n"
        "    loaded = [m for m in ('tensorflow', 'keras') if m in sys.modules]\n"
        "    assert not loaded, (path, loaded)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**__import__("os").environ, "MODELRUNWAY_HOME": str(data_home)},
    )
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-2000:]


HOME_IMPORTS_SCRIPT = """
import json, sys
import streamlit as st
from tests.apptest import open_page

HEAVY = ("sqlalchemy", "alembic", "pandas", "tensorflow", "keras")
PROJECT = ("app", "core", "db", "pages")
loaded_at_title = {}
real_title = st.title


def recording_title(body, *args, **kwargs):
    project = [m for m in sys.modules if m.split(".")[0] in PROJECT]
    loaded_at_title.setdefault(body, sorted(m for m in HEAVY if m in sys.modules) + sorted(project))
    return real_title(body, *args, **kwargs)


st.title = recording_title
at = open_page()
assert not at.exception, at.exception
print(json.dumps({"at_title": loaded_at_title, "after": sorted(m for m in HEAVY if m in sys.modules)}))
"""


def home_imports(data_home) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", HOME_IMPORTS_SCRIPT],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "MODELRUNWAY_HOME": str(data_home)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


# Before the title only the router's sign-in check (Streamlit alone) is loaded from the project.
LOADED_AT_TITLE = {"ModelRunway": ["pages", "pages.ui", "pages.ui.auth"]}


def test_home_draws_its_title_before_importing_anything_heavy_or_from_the_project(data_home):
    cold = home_imports(data_home)  # the plan dashboard migrates a new data home, but only after the title
    assert cold["at_title"] == LOADED_AT_TITLE
    assert "tensorflow" not in cold["after"]
    init_db()

    warm = home_imports(data_home)  # a current database: checked with sqlite3, no Alembic before the title
    assert warm["at_title"] == LOADED_AT_TITLE
    assert "alembic" not in warm["after"] and "tensorflow" not in warm["after"]
