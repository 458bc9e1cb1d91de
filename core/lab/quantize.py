"""Post-training int8 quantization of a stored model with TensorFlow Lite (inside the TensorFlow wheel).

    python -m core.lab.quantize [--run ID | --model PATH] [--json]

Weights and activations become int8, scaled from a few hundred training digits; the model keeps its float32
(n, 784) input and (n, 10) output, so the Live Demo and `python -m core.predict --model run-7.int8.tflite` use it
as they use the .keras file. Reports file size, single-image latency and test accuracy against float32, and how
often the two agree. Writes run-7.int8.tflite and run-7.int8.json beside run-7.keras, each atomically."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from core.cli import ArgumentParser, exit_with_error, strict_json
from core.demo.int8 import INT8_SUFFIX, Int8Model, quiet_tflite

REPRESENTATIVE_DIGITS = 300
LATENCY_REPEATS = 200
REPORT_SUFFIX = ".int8.json"


class QuantizeError(ValueError):
    """No model to quantize, or TensorFlow Lite is not available on this backend."""


def int8_path(model_path: str | os.PathLike) -> Path:
    path = Path(model_path)
    return path.with_name(path.stem + INT8_SUFFIX)


def report_path(model_path: str | os.PathLike) -> Path:
    path = Path(model_path)
    return path.with_name(path.stem + REPORT_SUFFIX)


def read_report(model_path: str | os.PathLike) -> dict | None:
    try:
        return json.loads(report_path(model_path).read_text())
    except (OSError, ValueError):
        return None


def convert(keras_model, representative: np.ndarray | None) -> bytes:
    """The model as a TensorFlow Lite flatbuffer, float32 in and out (one image per call). With representative
    digits, weights and activations are int8 (scales measured on those digits); without, all stays float32."""
    from core.lab.model import import_keras

    keras = import_keras()
    if keras.backend.backend() != "tensorflow":
        raise QuantizeError("quantize: TensorFlow Lite conversion needs the TensorFlow backend")
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_keras_model(keras_model)
    if representative is not None:

        def samples():
            for row in np.asarray(representative, dtype=np.float32)[:REPRESENTATIVE_DIGITS]:
                yield [row[None]]

        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = samples
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    with quiet_tflite():
        return converter.convert()


def _write_atomically(target: Path, payload: bytes) -> None:
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(payload)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _p50_ms(call, x: np.ndarray) -> float:
    call(x[:1])
    timings = []
    for i in range(LATENCY_REPEATS):
        row = x[i % len(x)][None]
        start = time.perf_counter()
        call(row)
        timings.append(time.perf_counter() - start)
    return float(np.median(timings) * 1000)


def quantize_model(model_path: str | os.PathLike, data=None) -> dict:
    """Quantize the .keras model at model_path, measure both versions on the test digits, store and return the
    report."""
    from core.demo.predict import ModelError, load_model
    from core.lab.data import load_mnist

    model_path = Path(model_path)
    try:
        float_model = load_model(model_path)
    except ModelError as exc:
        raise QuantizeError(str(exc)) from None
    data = data or load_mnist()
    float_size = len(convert(float_model.keras_model, None))
    target = int8_path(model_path)
    _write_atomically(target, convert(float_model.keras_model, data.x_train))
    int8_model = Int8Model(target)
    float_probabilities = float_model(data.x_test)
    int8_probabilities = int8_model(data.x_test)
    float_digits, int8_digits = float_probabilities.argmax(axis=1), int8_probabilities.argmax(axis=1)
    report = {
        "model_path": str(model_path),
        "int8_path": str(target),
        "test_digits": int(data.n_test),
        # The .keras file also holds the optimizer's state; the float32 flatbuffer is the fair size to compare.
        "keras_file_bytes": model_path.stat().st_size,
        "float32": {
            "bytes": float_size,
            "accuracy": float((float_digits == data.y_test).mean()),
            "p50_ms": _p50_ms(float_model, data.x_test),
        },
        "int8": {
            "bytes": target.stat().st_size,
            "accuracy": float((int8_digits == data.y_test).mean()),
            "p50_ms": _p50_ms(int8_model, data.x_test),
        },
        "agreement": float((float_digits == int8_digits).mean()),
        "max_probability_difference": float(np.abs(float_probabilities - int8_probabilities).max()),
    }
    report["size_ratio"] = report["int8"]["bytes"] / report["float32"]["bytes"]
    _write_atomically(report_path(model_path), json.dumps(report, allow_nan=False).encode())
    return report


def _model_path_for(run_id: int | None, model: str | None) -> Path:
    if model:
        return Path(model)
    from core.lab.runs import best_successful_run, get_run

    run = get_run(run_id) if run_id is not None else best_successful_run()
    if run is None:
        raise QuantizeError(f"run: no run {run_id}" if run_id is not None else "run: no trained model yet")
    if not run.get("model_path") or not Path(run["model_path"]).is_file():
        raise QuantizeError(f"run: run {run['id']} has no saved model file")
    return Path(run["model_path"])


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m core.lab.quantize", description="int8-quantize a stored model (TFLite).")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--run", type=int, help="a stored run's id (default: the best stored model)")
    source.add_argument("--model", help="a saved .keras model file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        report = quantize_model(_model_path_for(args.run, args.model))
    except QuantizeError as exc:
        exit_with_error(str(exc))
    if args.json:
        print(strict_json(report))
    else:
        f32, i8 = report["float32"], report["int8"]
        print(
            f"int8 {i8['bytes'] / 1024:.0f} kB vs float32 {f32['bytes'] / 1024:.0f} kB; accuracy {i8['accuracy']:.2%} "
            f"vs {f32['accuracy']:.2%}; p50 {i8['p50_ms']:.2f} ms vs {f32['p50_ms']:.2f} ms; "
            f"{report['agreement']:.1%} same answers; {report['int8_path']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
