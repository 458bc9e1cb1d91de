"""AppTest of the home page and the Model Lab; neither imports TensorFlow until a run starts."""

import subprocess
import sys

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT


def app(path):
    return AppTest.from_file(str(PROJECT_ROOT / path), default_timeout=180)


def test_home_without_runs_says_how_to_start():
    at = app("app.py").run()
    assert not at.exception
    assert at.title[0].value == "ModelRunway"
    assert any("No reference run yet" in info.value for info in at.info)


def test_model_lab_trains_through_the_form_and_home_shows_the_run():
    at = app("pages/1_Model_Lab.py").run()
    assert not at.exception
    epochs, limit = at.number_input[0], at.number_input[1]
    epochs.set_value(1)
    limit.set_value(300)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.success and "test accuracy" in at.success[0].value
    assert len(at.dataframe) >= 2  # runs table and per-class metrics

    home = app("app.py").run()
    assert not home.exception
    labels = [metric.label for metric in home.metric]
    assert labels == ["Test accuracy", "Samples/s", "Device", "Cost of the run"]
    assert home.metric[2].value == "CPU"


def test_model_lab_names_the_field_on_bad_input(data_home):
    at = app("pages/1_Model_Lab.py").run()
    at.radio[0].set_value(at.radio[0].options[1])
    at.text_input[0].set_value("/no/such/place/mnist.npz")
    at.button[0].click().run()
    assert not at.exception
    assert at.error and "data:" in at.error[0].value and "Nothing was trained" in at.error[0].value
    at.text_input[0].set_value("")
    at.button[0].click().run()
    assert at.error and "data:" in at.error[0].value
    assert not (data_home / "models").exists()


def test_pages_open_without_importing_tensorflow(data_home):
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "from pages.common import page_files\n"
        "for path in ['app.py'] + [f'pages/{p.name}' for p in page_files()]:\n"
        "    at = AppTest.from_file(path, default_timeout=120).run()\n"
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
