"""Every CLI against hostile input (overflowing numbers, foreign encodings, deep JSON, absurd sizes): it either exits
2 with exactly one line on stderr and no traceback, or exits 0 with strictly valid JSON (no Infinity, no NaN)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from core.applications.catalog import export_csv
from tests.conftest import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "seed_vc.json"
DEEP = "[" * 100_000 + "]" * 100_000


def _no_constants(name):
    raise ValueError(f"{name} is not JSON")


def run(data_home, *args):
    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home)}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the CLI itself must keep TensorFlow quiet
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def assert_clean(result, field=None):
    if result.returncode == 0:
        json.loads(result.stdout, parse_constant=_no_constants)
        return
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr[-3000:]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr[-3000:]
    assert "Traceback" not in result.stderr and result.stdout == ""
    if field:
        assert field in lines[0]


def _scenario(tmp_path, name, change):
    data = json.loads(EXAMPLE.read_text())
    change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.parametrize(
    "args, field",
    [
        (["--params", "1e200", "--gpu", "H100"], "params"),
        (["--params", "7e9", "--gpu", "H100", "--price", "1e308"], "price_per_hour"),
        (["--params", "7e9", "--gpu", "H100", "--mfu", "1e-320"], "mfu"),
        (["--params", "7e9", "--tokens", "1e308", "--gpu", "H100"], "tokens"),
        (["--params", "7e9", "--context", "1e300", "--gpu", "H100"], "context"),
        (["--params", "nan", "--gpu", "H100"], "params"),
        (["--params", "7e9", "--gpu", "x" * 100_000], "gpu"),
    ],
)
def test_estimate(data_home, args, field):
    result = run(data_home, "core.estimate", *args, "--json")
    assert_clean(result, field)
    assert len(result.stderr) < 1000


def test_estimate_at_the_bounds_prints_finite_json(data_home):
    result = run(data_home, "core.estimate", "--params", "1e12", "--tokens", "1e18", "--gpu", "H100", "--mfu",
                 "1e-4", "--price", "1e18", "--pue", "1e18", "--carbon", "1e18", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert_clean(result)


def test_funding(data_home, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text(DEEP)
    latin = tmp_path / "latin.json"
    latin.write_bytes(EXAMPLE.read_text().replace("Seed VC", "École").encode("latin-1"))
    cases = [
        ([_scenario(tmp_path, "costs.json", lambda s: s["costs"].update(other=1e308))], "costs.other"),
        ([_scenario(tmp_path, "cash.json", lambda s: s.update(cash=1e308))], "cash"),
        ([_scenario(tmp_path, "shares.json", lambda s: s["equity"].update(common_shares=10**30))], "common_shares"),
        ([_scenario(tmp_path, "tiny.json", lambda s: s["revenue"].update(mrr=5e-324))], "mrr"),
        ([str(deep)], "nested"),
        ([str(latin)], "UTF-8"),
        ([str(EXAMPLE), "--paths", "100000000"], "paths"),
        ([str(EXAMPLE), "--paths", "10", "--seed", "-1"], "seed"),
    ]
    for args, field in cases:
        assert_clean(run(data_home, "core.funding", *args, "--json"), field)


def test_catalog(data_home, tmp_path):
    seeded = json.loads((PROJECT_ROOT / "db" / "seed_data" / "app_scenarios.json").read_text())[0]
    files = {
        "deep.json": DEEP.encode(),
        "latin.csv": "name,sector\nÉcole,x\n".encode("latin-1"),
        "huge.json": json.dumps([{**seeded, "name": "Huge", "typical_params": 1e308}]).encode(),
        "tiny.json": json.dumps([{**seeded, "name": "Tiny", "training_tokens": 1e-320}]).encode(),
        "long.csv": export_csv([{**seeded, "name": "Long", "description": "x" * 200_000}]).encode(),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        assert_clean(run(data_home, "core.catalog", "--import", str(tmp_path / name), "--json"))
    assert_clean(run(data_home, "core.catalog", "--weights", "data_availability=1e308", "--json"), "weights")


def test_training_input_is_refused_at_once_and_stores_nothing(data_home, tmp_path):
    labels = tmp_path / "labels.npz"
    digits = np.zeros((10, 28, 28), np.uint8)
    np.savez(labels, x_train=digits, y_train=np.array(["7"] * 10), x_test=digits, y_test=np.array(["1"] * 10))
    cases = [
        (["--batch-size", "1000000000"], "batch_size"),
        (["--seed", "-1"], "seed"),
        (["--epochs", "1000000"], "epochs"),
        (["--limit", str(10**30)], "limit"),
        (["--limit", "100", "--batch-size", "101"], "batch_size"),
        (["--data", str(labels)], "labels"),
    ]
    for args, field in cases:
        assert_clean(run(data_home, "core.train", *args, "--json"), field)
    assert not (data_home / "modelrunway.db").exists()
    assert_clean(run(data_home, "core.bench", "--epochs", str(10**30), "--json"), "epochs")


def test_predict_files(data_home, tmp_path):
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb)
    text = tmp_path / "latin.png"
    text.write_bytes("É".encode("latin-1"))
    result = run(data_home, "core.predict", str(bomb), "--json")
    assert_clean(result, "image too large")
    assert_clean(run(data_home, "core.predict", str(text), "--json"), "not a PNG")
