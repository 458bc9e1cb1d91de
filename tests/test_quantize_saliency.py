"""int8 quantization with TensorFlow Lite (size, accuracy and agreement against float32; the demo path reads the
copy) and integrated-gradients saliency (its completeness property and a finite-difference check)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    """A reference model trained for two epochs into its own data home (restored afterwards)."""
    from core.lab.train import TrainConfig, train
    from db.engine import reset_cache

    home = tmp_path_factory.mktemp("quantize") / "home"
    previous = os.environ.get("MODELRUNWAY_HOME")
    os.environ["MODELRUNWAY_HOME"] = str(home)
    reset_cache()
    try:
        run = train(TrainConfig(epochs=2, limit=1500))
    finally:
        if previous is None:
            os.environ.pop("MODELRUNWAY_HOME", None)
        else:
            os.environ["MODELRUNWAY_HOME"] = previous
        reset_cache()
    return home, run


def test_int8_copy_is_smaller_agrees_with_float32_and_serves_the_demo(small_model):
    from core.demo.predict import load_model, predict_image
    from core.lab.data import load_mnist
    from core.lab.quantize import int8_path, quantize_model, read_report
    from core.lab.synthetic import mnist_drawing

    home, run = small_model
    report = quantize_model(run["model_path"])
    assert read_report(run["model_path"]) == report
    target = int8_path(run["model_path"])
    assert target.is_file() and target.name == f"run-{run['id']}.int8.tflite"
    assert report["int8"]["bytes"] == target.stat().st_size
    # int8 weights: a quarter of float32's bytes, plus the flatbuffer's fixed parts.
    assert report["size_ratio"] < 0.35 and report["int8"]["bytes"] < report["float32"]["bytes"]
    assert report["float32"]["accuracy"] == pytest.approx(run["test_accuracy"], abs=1e-6)
    assert abs(report["int8"]["accuracy"] - report["float32"]["accuracy"]) <= 0.02
    assert report["agreement"] >= 0.97 and report["max_probability_difference"] < 0.5
    assert report["int8"]["p50_ms"] > 0 and report["float32"]["p50_ms"] > 0
    json.dumps(report, allow_nan=False)

    int8 = load_model(target)
    data = load_mnist()
    assert int8.kind == "int8" and int8.calibration.source == "calibrated"
    canvas = mnist_drawing(data.x_test[2], np.random.default_rng(2))
    prediction, _ = predict_image(int8, canvas)
    float_prediction, _ = predict_image(load_model(run["model_path"]), canvas)
    assert prediction.guess == float_prediction.guess
    env = {**os.environ, "MODELRUNWAY_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "core.lab.quantize", "--run", "999", "--json"], cwd=PROJECT_ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 2 and result.stderr.strip().splitlines() == ["error: run: no run 999"]


def test_integrated_gradients_add_up_to_the_probability_gained(small_model):
    from core.demo.predict import load_model
    from core.lab.data import load_mnist
    from core.lab.saliency import integrated_gradients, overlay

    _, run = small_model
    keras_model = load_model(run["model_path"]).keras_model
    image = load_mnist().x_test[0]
    probabilities = np.asarray(keras_model(np.stack([image, np.zeros_like(image)]), training=False))
    digit = int(probabilities[0].argmax())
    attribution = integrated_gradients(keras_model, image, digit, steps=64)
    assert attribution.shape == (28, 28)
    # Completeness: the attributions sum to p(image) − p(blank) for that digit, up to the path's discretisation.
    gained = float(probabilities[0, digit] - probabilities[1, digit])
    assert float(attribution.sum()) == pytest.approx(gained, abs=0.05 * max(abs(gained), 0.1))
    assert np.all(attribution[image.reshape(28, 28) == 0] == 0)  # no ink, no attribution
    picture = overlay(image, attribution)
    assert picture.shape == (224, 224, 3) and picture.dtype == np.uint8


def test_class_gradients_match_finite_differences(small_model):
    from core.demo.predict import load_model
    from core.lab.data import load_mnist
    from core.lab.saliency import class_gradients

    _, run = small_model
    keras_model = load_model(run["model_path"]).keras_model
    image = load_mnist().x_test[4].astype(np.float64)
    gradient = class_gradients(keras_model, image[None], np.array([3]))[0]
    pixel = int(np.argmax(np.abs(gradient)))
    step = 1e-2
    up, down = image.copy(), image.copy()
    up[pixel] += step
    down[pixel] -= step
    probabilities = np.asarray(keras_model(np.stack([up, down]).astype(np.float32), training=False), dtype=np.float64)
    numeric = (probabilities[0, 3] - probabilities[1, 3]) / (2 * step)
    assert gradient[pixel] == pytest.approx(numeric, rel=0.1, abs=1e-4)
