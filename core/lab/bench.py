"""Speed benchmark: training against the seed's plain fit, serving latency, and the estimators' response time.

    python -m core.bench [--json] [--epochs N] [--limit N] [--seeds N] [--startup] [--check]

Prints one JSON object and stores it (table ``benchmarks``); the Model Lab page charts the history. The object's
``checks`` hold the speed and accuracy claims this project makes, each with its limit and measured value; with
``--check`` the command exits 1 when one fails. Wall-clock limits live here, not in the unit tests, which run on
loaded machines."""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from core.cli import ArgumentParser, exit_with_error, native_stderr_silenced, strict_json

PREDICT_REPEATS = 300
ACCURACY_POINTS = 0.01  # "equal accuracy": the fast trainer's mean within one point of the plain fit's
PREDICT_P50_MS = 5.0
MONTE_CARLO_MS = 1000.0  # 10,000 paths × 60 months


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


def bench_training(data, epochs: int, seeds: int = 1) -> dict:
    """Each trainer once per seed on the same data: the median speed and MFU, the mean test accuracy."""
    from core.lab.device import detect_device, measure_matmul_peak
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
        "seeds": seeds,
    }
    variants = {"naive": ("seed", 32), "train_bs32": ("fast", 32), "train_bs256": ("fast", 256)}
    models, achieved, peaks = {}, {}, []
    for label, (variant, batch_size) in variants.items():
        runs = []
        for seed in range(seeds):
            config = TrainConfig(epochs=epochs, batch_size=batch_size, variant=variant, seed=seed)
            runs.append(measure_training(config, data, device=device))
            peaks.append(runs[-1].peak_flops)
            # A busy machine only ever slows a sample down: sampling the peak after every training, not once before
            # the first, keeps a loaded machine's MFU from counting the training's quiet moments against a busy one.
            peaks.append(measure_matmul_peak(device.kind, runs[-1].precision, seconds=0.5))
        results[f"{label}_samples_per_s"] = float(np.median([run.samples_per_second for run in runs]))
        achieved[label] = float(np.median([run.achieved_flops for run in runs]))
        results[f"{label}_accuracies"] = [run.test_accuracy for run in runs]
        results[f"{label}_accuracy"] = float(np.mean(results[f"{label}_accuracies"]))
        results[f"{label}_seconds"] = float(np.median([run.wall_seconds for run in runs]))
        results["precision"] = runs[0].precision
        models[label] = runs[0].model
    peak = max(peaks)
    results["peak_gflops"] = peak / 1e9
    for label, flops in achieved.items():
        results[f"{label}_mfu"] = flops / (peak * device.count)
    results["bs32_speedup_vs_naive"] = results["train_bs32_samples_per_s"] / results["naive_samples_per_s"]
    results["bs256_speedup_vs_naive"] = results["train_bs256_samples_per_s"] / results["naive_samples_per_s"]
    results["_model"] = models["train_bs32"]
    return results


def _check(value: float | None, low: float | None, high: float | None) -> dict:
    ok = value is not None and (low is None or value > low) and (high is None or value <= high)
    return {"value": value, "above": low, "at_most": high, "ok": bool(ok)}


def checks(results: dict) -> dict[str, dict]:
    """The claims, each as its measured value, its bounds (``above`` < value <= ``at_most``) and whether it holds."""
    return {
        "fast_trainer_faster_than_plain_fit": _check(results["bs32_speedup_vs_naive"], 1.0, None),
        "fast_trainer_accuracy_within_one_point": _check(
            abs(results["train_bs32_accuracy"] - results["naive_accuracy"]), None, ACCURACY_POINTS
        ),
        "mfu_between_0_and_1": _check(max(results[f"{v}_mfu"] for v in ("naive", "train_bs32", "train_bs256")), 0, 1),
        "predict_p50_ms": _check(results["predict_p50_ms"], 0, PREDICT_P50_MS),
        "monte_carlo_ms": _check(results["monte_carlo_ms"], 0, MONTE_CARLO_MS),
    }


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


def run_bench(
    epochs: int = 5, startup: bool = False, limit: int | None = None, seeds: int = 1, startup_repeats: int = 3
) -> dict:
    from core.lab.data import load_mnist

    data = load_mnist(limit=limit)
    results = bench_training(data, epochs, seeds)
    model = results.pop("_model")
    results.update(bench_prediction(model, data))
    results["monte_carlo_ms"] = bench_monte_carlo()
    results["estimate_ms"] = bench_estimate()
    results["catalog_import_5000_s"] = bench_catalog_import()
    if startup:
        from core.lab.startup import measure_startup

        results.update(measure_startup(startup_repeats))
    results["checks"] = checks(results)
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
    parser.add_argument("--limit", type=int, help="train on at most this many digits")
    parser.add_argument("--seeds", type=int, default=3, help="train each trainer this many times (default 3)")
    parser.add_argument("--startup", action="store_true", help="also time `streamlit run` to a rendered home page")
    parser.add_argument("--startup-repeats", type=int, default=3, help="start-up timings to take the median of")
    parser.add_argument("--check", action="store_true", help="exit 1 when a claim in `checks` does not hold")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from core.lab.train import MAX_EPOCHS

    if not 1 <= args.epochs <= MAX_EPOCHS:
        exit_with_error(f"epochs: a whole number from 1 to {MAX_EPOCHS}, got {args.epochs}")
    for name, most in (("seeds", 20), ("startup_repeats", 10)):
        if not 1 <= getattr(args, name) <= most:
            exit_with_error(f"{name}: a whole number from 1 to {most}, got {getattr(args, name)}")
    if args.limit is not None and not 1 <= args.limit <= 10_000_000:
        exit_with_error(f"limit: a positive number of training digits up to 10,000,000, got {args.limit}")
    from core.lab.device import detect_device
    from core.lab.model import import_keras

    with native_stderr_silenced():  # TensorFlow's CUDA probing on import, before it reads its log level
        import_keras()
        detect_device()
    results = run_bench(args.epochs, args.startup, args.limit, args.seeds, args.startup_repeats)
    if args.json:
        print(strict_json(results))
    else:
        for key, value in results.items():
            if key != "checks":
                print(f"{key:32} {value:,.3f}" if isinstance(value, float) else f"{key:32} {value}")
        for name, check in results["checks"].items():
            print(f"{'check ' + name:48} {'ok' if check['ok'] else 'FAILED'} ({check['value']})")
    failed = [name for name, check in results["checks"].items() if not check["ok"]]
    if args.check and failed:
        print(f"error: bench checks failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
