"""The demo model: its architecture and FLOPs worked out by hand, a short real training through the CLI, what is
stored (run, model file, calibration beside it), and that it takes the reference model's input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.lab.demo_model import build_demo_model, forward_flops, pool_sizes, training_flops_per_sample
from core.lab.train import TrainConfig, train
from tests.conftest import PROJECT_ROOT
from tests.test_train_cli import REQUIRED


def test_cnn_flops_and_parameters_worked_out_by_hand():
    model = build_demo_model()
    # Conv 1→16, 16→16 at 28×28; pool; 16→32, 32→32 at 14×14; pool; Dense 7·7·32 → 128 → 10; 2 FLOPs a multiply-add.
    expected = 2 * (
        28 * 28 * 9 * 1 * 16 + 28 * 28 * 9 * 16 * 16 + 14 * 14 * 9 * 16 * 32 + 14 * 14 * 9 * 32 * 32
        + 7 * 7 * 32 * 128 + 128 * 10
    )  # fmt: skip
    assert forward_flops(model) == expected == 9_661_440
    assert training_flops_per_sample(model) == 3 * expected
    weights = (9 * 1 * 16 + 16) + (9 * 16 * 16 + 16) + (9 * 16 * 32 + 32) + (9 * 32 * 32 + 32)
    weights += 7 * 7 * 32 * 128 + 128 + 128 * 10 + 10
    assert model.count_params() == weights == 218_490
    assert tuple(model.input_shape) == (None, 784) and tuple(model.output_shape) == (None, 10)


def test_pools_scale_with_the_training_set_and_stop_at_the_limit():
    assert pool_sizes(300) == (100, 100)
    assert pool_sizes(4500) == (1500, 1500)
    assert pool_sizes(60_000) == (1500, 1500)


def test_cli_trains_the_demo_variant_and_prints_the_reference_keys(data_home):
    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home)}
    args = ["--variant", "demo", "--epochs", "2", "--limit", "600", "--json"]
    result = subprocess.run(
        [sys.executable, "-m", "core.train", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
        timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    run = json.loads(result.stdout)
    assert set(REQUIRED) <= set(run)
    assert run["status"] == "succeeded" and run["variant"] == "demo" and run["architecture"] == "cnn-16-16-32-32"
    assert (run["n_train"], run["epochs"], run["batch_size"]) == (600, 2, 64)
    assert run["flops_per_sample"] == 3 * 9_661_440 and run["params"] == 218_490
    # Each epoch sees the digits plus 200 pen-stroke digits and 200 non-digits.
    assert run["samples_per_second"] == pytest.approx((600 + 400) * 2 / run["wall_seconds"])
    assert run["test_accuracy"] > 0.5 and [row["epoch"] for row in run["history"]] == [1, 2]
    model_path = Path(run["model_path"])
    assert model_path.is_file() and model_path.parent == data_home / "models"
    sidecar = model_path.with_name(model_path.stem + ".calibration.json")
    stored = json.loads(sidecar.read_text())
    assert stored["source"] == "calibrated" and 0.5 <= stored["min_confidence"] <= 1
    assert run["calibration"]["measured"] == stored["measured"]
    assert stored["measured"]["trained_on_extra_drawings"] == {"pen_digits": 200, "non_digits": 200}

    from core.demo.predict import load_model, predict_probabilities
    from core.lab.data import load_mnist

    model = load_model(model_path)
    data = load_mnist()
    probabilities = predict_probabilities(model, data.x_test)
    assert probabilities.shape == (500, 10)
    assert (probabilities.argmax(axis=1) == data.y_test).mean() == pytest.approx(run["test_accuracy"], abs=1e-6)
    assert model.calibration.source == "calibrated"
    # Saved compiled as the reference model is: a plain Keras load evaluates it on digit labels.
    from core.lab.model import import_keras

    plain = import_keras().models.load_model(model_path)
    _, accuracy = plain.evaluate(data.x_test, data.y_test, verbose=0)
    assert accuracy == pytest.approx(run["test_accuracy"], abs=1e-6)

    from core.lab.runs import best_successful_run, list_runs

    assert best_successful_run()["id"] == run["id"] and len(list_runs()) == 1


def test_demo_model_reads_pen_stroke_digits_and_says_not_sure_to_non_digits(data_home):
    """Four epochs on all 4,500 digits (the default is 24) already meet the issue's bounds on tests/strokes.py's
    drawings, which owe nothing to MNIST or to core.lab.synthetic, and were never used to train or calibrate."""
    from core.demo.predict import load_model, predict_image
    from core.demo.preprocess import BlankImageError
    from tests.strokes import digit_set, non_digit_set
    from tests.test_drawn_digits import DEMO_MODEL_BOUND, NOT_SURE_BOUND, PER_DIGIT, SEED

    run = train(TrainConfig(variant="demo", epochs=4))
    assert run["test_accuracy"] >= 0.95
    model = load_model(run["model_path"])
    images, labels = digit_set(PER_DIGIT, SEED)
    read = np.mean([predict_image(model, image)[0].digit == label for image, label in zip(images, labels)])
    others, _ = non_digit_set(25, SEED)
    flagged = []
    for image in others:
        try:
            flagged.append(predict_image(model, image)[0].unsure)
        except BlankImageError:  # a few dots are too little ink to be read at all: not a digit either
            flagged.append(True)
    assert read >= DEMO_MODEL_BOUND and np.mean(flagged) >= NOT_SURE_BOUND, (read, np.mean(flagged))
