"""Speed benchmark: training against the seed's plain fit, serving latency, and the estimators' response time.

    python -m core.bench [--json] [--epochs N] [--startup]

Prints one JSON object and stores it (table ``benchmarks``); the Model Lab page charts the history."""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from core.cli import ArgumentParser, exit_with_error, native_stderr_silenced, strict_json

PREDICT_REPEATS = 300


def _percentile_ms(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples) * 1000, q))


def _time_calls(call, repeats: int) -> list[float]:
    call()
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return timings


def bench_training(data, epochs: int) -> dict:
    from core.lab.device import detect_device
    from core.lab.train import TrainConfig, measure_training

    device = detect_device()
    results: dict = {
        "device": device.kind,
        "device_name": device.name,
        "device_count": device.count,
        "backend": device.backend,
        "dataset": data.name,
        "n_train": data.n_train,
        "epochs": epochs,
    }
    variants = {"naive": ("seed", 32), "train_bs32": ("fast", 32), "train_bs256": ("fast", 256)}
    models = {}
    for label, (variant, batch_size) in variants.items():
        measured = measure_training(
            TrainConfig(epochs=epochs, batch_size=batch_size, variant=variant), data, device=device
        )
        results[f"{label}_samples_per_s"] = measured.samples_per_second
        results[f"{label}_mfu"] = measured.mfu
        results[f"{label}_accuracy"] = measured.test_accuracy
        results[f"{label}_seconds"] = measured.wall_seconds
        results["peak_gflops"] = measured.peak_flops / 1e9
        results["precision"] = measured.precision
        models[label] = measured.model
    results["bs32_speedup_vs_naive"] = results["train_bs32_samples_per_s"] / results["naive_samples_per_s"]
    results["bs256_speedup_vs_naive"] = results["train_bs256_samples_per_s"] / results["naive_samples_per_s"]
    results["_model"] = models["train_bs32"]
    return results


def _drawn_digits(data, count: int = 50) -> tuple[list[np.ndarray], list[bytes]]:
    """Held-out digits as the demo receives them: the canvas's 280×280 RGBA array (black ink on white) and the
    same drawing uploaded as a PNG."""
    from PIL import Image

    canvases, pngs = [], []
    for pixels in data.x_test[:count]:
        paper = Image.fromarray((255 - pixels.reshape(28, 28) * 255).astype(np.uint8)).resize((280, 280))
        canvases.append(np.asarray(paper.convert("RGBA")))
        buffer = io.BytesIO()
        paper.save(buffer, format="PNG")
        pngs.append(buffer.getvalue())
    return canvases, pngs


def bench_prediction(keras_model, data) -> dict:
    """Single drawings through the demo path (preprocessing, then the model), and batch throughput."""
    from core.demo.predict import load_model, predict_image, predict_probabilities
    from core.lab.train import save_model_atomically

    with tempfile.TemporaryDirectory() as folder:
        model = load_model(save_model_atomically(keras_model, Path(folder) / "bench.keras"))
    canvases, pngs = _drawn_digits(data)
    turn = iter(range(10**9))
    drawn = _time_calls(lambda: predict_image(model, canvases[next(turn) % len(canvases)]), PREDICT_REPEATS)
    uploaded = _time_calls(lambda: predict_image(model, pngs[next(turn) % len(pngs)]), PREDICT_REPEATS)
    single = data.x_test[:1]
    forward = _time_calls(lambda: predict_probabilities(model, single), PREDICT_REPEATS)
    batch = data.x_test
    batch_seconds = min(_time_calls(lambda: predict_probabilities(model, batch), 5))
    return {
        "predict_p50_ms": _percentile_ms(drawn, 50),
        "predict_p99_ms": _percentile_ms(drawn, 99),
        "predict_png_p50_ms": _percentile_ms(uploaded, 50),
        "predict_png_p99_ms": _percentile_ms(uploaded, 99),
        "predict_model_only_p50_ms": _percentile_ms(forward, 50),
        "predict_batch_samples_per_s": len(batch) / batch_seconds,
    }


def bench_monte_carlo() -> float | None:
    try:
        from core.funding.analysis import example_scenario, simulate_risk
    except ImportError:
        return None
    scenario = example_scenario()
    timings = _time_calls(lambda: simulate_risk(scenario, paths=10_000, months=60, seed=0), 5)
    return float(np.median(timings) * 1000)


def bench_estimate() -> float | None:
    try:
        from core.compute.estimate import estimate_training, example_training_inputs
    except ImportError:
        return None
    inputs = example_training_inputs()
    return float(np.median(_time_calls(lambda: estimate_training(inputs), 200)) * 1000)


def bench_catalog_import(count: int = 5000) -> float:
    """Seconds to import `count` application scenarios (JSON) into an empty database beside this one's."""
    import json
    import os

    from core.applications.catalog import import_scenarios, seeded_scenarios

    template = seeded_scenarios()[0].to_dict()
    content = json.dumps([{**template, "name": f"Imported scenario {index}"} for index in range(count)])
    with tempfile.TemporaryDirectory() as folder:
        saved = os.environ.get("DATABASE_URL")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'import-bench.db'}"
        try:
            from db.engine import init_db

            init_db()
            start = time.perf_counter()
            import_scenarios(content, "json")
            return time.perf_counter() - start
        finally:
            if saved is None:
                os.environ.pop("DATABASE_URL")
            else:
                os.environ["DATABASE_URL"] = saved


def run_bench(epochs: int = 5, startup: bool = False) -> dict:
    from core.lab.data import load_mnist

    data = load_mnist()
    results = bench_training(data, epochs)
    model = results.pop("_model")
    results.update(bench_prediction(model, data))
    results["monte_carlo_ms"] = bench_monte_carlo()
    results["estimate_ms"] = bench_estimate()
    results["catalog_import_5000_s"] = bench_catalog_import()
    if startup:
        from core.lab.startup import measure_startup

        results.update(measure_startup())
    results["id"] = store(results)
    return results


def store(results: dict) -> int:
    from db.engine import session_scope
    from db.models import Benchmark

    with session_scope() as session:
        row = Benchmark(
            device=results["device"],
            device_name=results["device_name"],
            peak_gflops=results["peak_gflops"],
            train_bs32_samples_per_s=results["train_bs32_samples_per_s"],
            train_bs256_samples_per_s=results["train_bs256_samples_per_s"],
            train_bs256_mfu=results["train_bs256_mfu"],
            predict_p50_ms=results["predict_p50_ms"],
            results=results,
        )
        session.add(row)
        session.flush()
        return row.id


def list_benchmarks() -> list[dict]:
    from sqlalchemy import select

    from db.engine import session_scope
    from db.models import Benchmark

    with session_scope() as session:
        rows = session.scalars(select(Benchmark).order_by(Benchmark.id))
        return [{**row.results, "id": row.id, "created_at": row.created_at.isoformat()} for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m core.bench", description="Benchmark training, serving and estimators.")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--startup", action="store_true", help="also time `streamlit run` to a rendered home page")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from core.lab.train import MAX_EPOCHS

    if not 1 <= args.epochs <= MAX_EPOCHS:
        exit_with_error(f"epochs: a whole number from 1 to {MAX_EPOCHS}, got {args.epochs}")
    from core.lab.device import detect_device
    from core.lab.model import import_keras

    with native_stderr_silenced():  # TensorFlow's CUDA probing on import, before it reads its log level
        import_keras()
        detect_device()
    results = run_bench(args.epochs, args.startup)
    if args.json:
        print(strict_json(results))
    else:
        for key, value in results.items():
            print(f"{key:32} {value:,.3f}" if isinstance(value, float) else f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
