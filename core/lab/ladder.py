"""The scaling lab: is a bigger model always better, and how much data does this task need? Answered with runs.

    python -m core.lab.ladder [--epochs N] [--widths 32,64,...] [--data-sizes 250,500,...] [--no-cnn] [--json]

- Size ladder: MLPs of hidden widths w, w/2, w/4 for w from 32 to 1024 (w = 512 is the reference model), plus the
  demo CNN, all on the same digits for the same epochs.
- Data ladder: the reference model on 250 digits up to all of them, each trained for about as many optimizer
  steps as the full set gets (more epochs for fewer digits, at most MAX_DATA_EPOCHS), so that a small set is not
  simply under-trained.

Every point is a real stored run (table training_runs, with ``ladder`` naming the ladder, its axes and the point)
with accuracy, loss, samples/s and cost; no model files are kept. A power law, error = a · x^(-b), is fitted with
scikit-learn in log-log space to the MLPs' error against training compute, and to error against training digits;
the fits are extrapolated, and marked as such."""

from __future__ import annotations

import math
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.cli import ArgumentParser, exit_with_error, strict_json

SIZE_WIDTHS = (32, 64, 128, 256, 512, 1024)
DATA_SIZES = (250, 500, 1000, 2000)  # and all available digits
REFERENCE_WIDTH = 512
DEFAULT_EPOCHS = 5
MAX_DATA_EPOCHS = 40
BATCH_SIZE = 32
TARGET_ACCURACIES = (0.98, 0.99)

ProgressFn = Callable[[dict], None]


@dataclass(frozen=True)
class LadderConfig:
    epochs: int = DEFAULT_EPOCHS
    widths: tuple[int, ...] = SIZE_WIDTHS
    data_sizes: tuple[int, ...] = DATA_SIZES
    include_cnn: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, int) or not 1 <= self.epochs <= 100:
            raise ValueError(f"epochs: a whole number from 1 to 100, got {self.epochs!r}")
        for name, values, low in (("widths", self.widths, 4), ("data_sizes", self.data_sizes, 10)):
            if not values or any(isinstance(v, bool) or not isinstance(v, int) or v < low for v in values):
                raise ValueError(f"{name}: whole numbers of at least {low}, got {values!r}")
            if len(set(values)) != len(values):
                raise ValueError(f"{name}: each value once, got {values!r}")
        if any(width > 4096 for width in self.widths):
            raise ValueError(f"widths: at most 4096, got {max(self.widths)}")


def mlp_builder(width: int) -> Callable:
    """A build function for core.lab.train: the reference MLP's shape scaled to hidden widths w, w/2, w/4."""

    def build(steps_per_execution: int = 1, jit_compile: bool = False, mixed_precision: bool = False):
        from core.lab.model import SEED_LOSS, import_keras

        keras = import_keras()
        hidden_dtype = "mixed_bfloat16" if mixed_precision else None
        hidden = [keras.layers.Dense(max(1, width // 2**i), activation="relu", dtype=hidden_dtype) for i in range(3)]
        model = keras.Sequential(
            [keras.Input(shape=(784,)), *hidden, keras.layers.Dense(10, activation="softmax", dtype="float32")],
            name=f"mlp_{width}",
        )
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=0.001),
            loss=SEED_LOSS,
            metrics=["accuracy"],
            steps_per_execution=steps_per_execution,
            jit_compile=jit_compile,
        )
        return model

    return build


def cnn_builder(steps_per_execution: int = 1, jit_compile: bool = False, mixed_precision: bool = False):
    """The demo CNN, trained here like the MLPs: the same digits, no distortions or drawings."""
    from core.lab.demo_model import build_demo_model

    return build_demo_model(learning_rate=0.001, sparse_labels=True, steps_per_execution=steps_per_execution)


def _plan(config: LadderConfig, n_available: int) -> list[dict]:
    """The points to train: size ladder first, then the data ladder (its full-data point is the reference-width
    MLP of the size ladder when that is on it)."""
    points = []
    for width in sorted(config.widths):
        axes = ["size", "data"] if width == REFERENCE_WIDTH else ["size"]
        points.append({"label": f"MLP {width}", "width": width, "n_train": n_available, "axes": axes})
    if config.include_cnn:
        points.append({"label": "CNN", "width": None, "n_train": n_available, "axes": ["size"]})
    sizes = sorted(n for n in config.data_sizes if n < n_available)
    if REFERENCE_WIDTH not in config.widths:
        sizes.append(n_available)
    for n in sizes:
        points.append({"label": f"{n:,} digits", "width": REFERENCE_WIDTH, "n_train": n, "axes": ["data"]})
    return points


def _epochs_for(n_train: int, n_available: int, base_epochs: int) -> int:
    return int(min(MAX_DATA_EPOCHS, max(base_epochs, round(base_epochs * n_available / n_train))))


def run_ladder(config: LadderConfig = LadderConfig(), progress: ProgressFn | None = None, data=None) -> dict:
    """Train every point, store each as a run, fit the power laws and answer the two questions."""
    from core.lab.data import load_mnist
    from core.lab.train import TrainConfig, train

    full = data or load_mnist()
    ladder_id = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    points = _plan(config, full.n_train)
    start = time.perf_counter()
    runs = []
    for index, point in enumerate(points):
        subset = full if point["n_train"] >= full.n_train else _subset(full, point["n_train"])
        epochs = config.epochs if "size" in point["axes"] else _epochs_for(subset.n_train, full.n_train, config.epochs)
        builder = cnn_builder if point["width"] is None else mlp_builder(point["width"])

        def on_progress(event: dict, index=index, point=point) -> None:
            if progress:
                fraction = ((event["epoch"] - 1) + event["batch"] / event["steps"]) / event["epochs"]
                progress({"point": index + 1, "points": len(points), "label": point["label"], "fraction": fraction})

        run = train(
            TrainConfig(epochs=epochs, batch_size=BATCH_SIZE, seed=config.seed, calibrate=False, save_model=False),
            progress=on_progress,
            data=subset,
            builder=builder,
            ladder={"id": ladder_id, "axes": point["axes"], "label": point["label"]},
        )
        runs.append(run)
    return summarize(ladder_id, [point_of(run) for run in runs], time.perf_counter() - start)


def _subset(data, n: int):
    """The first n of a fixed shuffle of the training digits: every smaller set lies inside every larger one."""
    from dataclasses import replace

    from core.lab.data import SPLIT_SEED

    keep = np.sort(np.random.default_rng(SPLIT_SEED).permutation(data.n_train)[:n])
    return replace(data, x_train=data.x_train[keep], y_train=data.y_train[keep])


def point_of(run: dict) -> dict:
    """A stored ladder run → one point: what it was, what it cost, how well it did."""
    compute = float(run["flops_per_sample"]) * run["n_train"] * run["epochs"]
    return {
        "run_id": run["id"],
        "label": run["ladder"]["label"],
        "axes": list(run["ladder"]["axes"]),
        "architecture": run["architecture"],
        "params": run["params"],
        "n_train": run["n_train"],
        "n_test": run["n_test"],
        "epochs": run["epochs"],
        "test_accuracy": run["test_accuracy"],
        "error": 1.0 - run["test_accuracy"],
        "test_loss": run["test_loss"],
        "samples_per_second": run["samples_per_second"],
        "wall_seconds": run["wall_seconds"],
        "cost_usd": run["cost_usd"],
        "training_flops": compute,
    }


def fit_power_law(x: list[float], error: list[float]) -> dict | None:
    """error = a · x^(-b), by least squares on log10 of both (scikit-learn); None with fewer than two points."""
    from sklearn.linear_model import LinearRegression

    pairs = [(xi, max(ei, 1e-4)) for xi, ei in zip(x, error) if xi > 0]
    if len({xi for xi, _ in pairs}) < 2:
        return None
    log_x = np.log10([[xi] for xi, _ in pairs])
    log_error = np.log10([ei for _, ei in pairs])
    regression = LinearRegression().fit(log_x, log_error)
    slope = float(regression.coef_[0])
    if not (math.isfinite(slope) and abs(float(regression.intercept_)) < 300):
        return None
    return {
        "a": float(10**regression.intercept_),
        "b": -slope,
        "r2": float(regression.score(log_x, log_error)) if len(pairs) > 2 else 1.0,
        "points": len(pairs),
        "x_min": float(min(xi for xi, _ in pairs)),
        "x_max": float(max(xi for xi, _ in pairs)),
    }


def power_law_error(fit: dict, x: float) -> float:
    return fit["a"] * x ** (-fit["b"])


def x_for_error(fit: dict, error: float) -> float | None:
    """Where the fitted law reaches `error`; None when it never falls (b <= 0)."""
    if fit["b"] <= 0:
        return None
    return (error / fit["a"]) ** (-1 / fit["b"])


def summarize(ladder_id: str, points: list[dict], wall_seconds: float | None = None) -> dict:
    mlps = [p for p in points if "size" in p["axes"] and p["architecture"].startswith("mlp")]
    data_points = [p for p in points if "data" in p["axes"]]
    compute_fit = fit_power_law([p["training_flops"] for p in mlps], [p["error"] for p in mlps])
    data_fit = fit_power_law([p["n_train"] for p in data_points], [p["error"] for p in data_points])
    if compute_fit:
        compute_fit["extrapolated"] = [
            {
                "training_flops": compute_fit["x_max"] * k,
                "error": power_law_error(compute_fit, compute_fit["x_max"] * k),
            }
            for k in (10, 100)
        ]
    if data_fit:
        data_fit["extrapolated"] = [
            {"n_train": data_fit["x_max"] * k, "error": power_law_error(data_fit, data_fit["x_max"] * k)}
            for k in (2, 10)
        ]
        data_fit["digits_for_accuracy"] = {
            f"{target:.0%}": _bounded(x_for_error(data_fit, 1 - target)) for target in TARGET_ACCURACIES
        }
    result = {
        "ladder_id": ladder_id,
        "points": sorted(points, key=lambda p: p["run_id"]),
        "fits": {"error_vs_compute": compute_fit, "error_vs_data": data_fit},
        "answers": {
            "is_bigger_always_better": answer_bigger(mlps, [p for p in points if p["architecture"].startswith("cnn")]),
            "how_much_data": answer_data(data_points, data_fit),
        },
        "total_cost_usd": float(sum(p["cost_usd"] or 0.0 for p in points)),
    }
    if wall_seconds is not None:
        result["wall_seconds"] = wall_seconds
    return result


def _bounded(value: float | None) -> float | None:
    """JSON carries no infinities: an extrapolation past 10^15 digits says "never" as null."""
    return None if value is None or not math.isfinite(value) or value > 1e15 else float(value)


def answer_bigger(mlps: list[dict], cnns: list[dict]) -> dict:
    """Does error fall with every step up the MLP ladder, and what does a different architecture do?"""
    ordered = sorted(mlps, key=lambda p: p["training_flops"])
    if len(ordered) < 2:
        return {"answer": None, "text": "The size ladder needs at least two MLP widths."}
    best = min(ordered, key=lambda p: p["error"])
    largest = ordered[-1]
    worse_steps = [(a, b) for a, b in zip(ordered, ordered[1:]) if b["error"] >= a["error"]]
    answer = "no" if worse_steps or best is not largest else "not on this ladder's evidence"
    text = (
        f"The best MLP is {best['label']} at {best['test_accuracy']:.1%}; the largest, {largest['label']}, reaches "
        f"{largest['test_accuracy']:.1%} for {largest['training_flops'] / best['training_flops']:.1f}× its compute "
        f"and {_ratio(largest['cost_usd'], best['cost_usd'])} its cost."
    )
    if worse_steps:
        a, b = worse_steps[0]
        text += (
            f" Going from {a['label']} to {b['label']} did not lower the error ({a['error']:.1%} → {b['error']:.1%})."
        )
    if cnns:
        cnn = cnns[0]
        text += (
            f" The CNN reaches {cnn['test_accuracy']:.1%} with {cnn['params']:,} parameters against "
            f"{largest['params']:,}: the architecture mattered more than the size."
        )
    n_test = ordered[0]["n_test"]
    text += f" ({n_test:,} test digits: differences under about {_noise(best['error'], n_test):.1%} are noise.)"
    return {"answer": answer, "text": text}


def answer_data(points: list[dict], fit: dict | None) -> dict:
    ordered = sorted(points, key=lambda p: p["n_train"])
    if len(ordered) < 2 or fit is None:
        return {"answer": None, "text": "The data ladder needs at least two training-set sizes."}
    halving = 1 - 2 ** (-fit["b"])
    text = (
        f"From {ordered[0]['n_train']:,} to {ordered[-1]['n_train']:,} digits the error fell from "
        f"{ordered[0]['error']:.1%} to {ordered[-1]['error']:.1%}: error ≈ {fit['a']:.3g} · n^-{fit['b']:.2f} "
        f"(R² {fit['r2']:.2f}), so each doubling of the data cuts it by {halving:.0%}."
    )
    needed = fit.get("digits_for_accuracy", {})
    for target, digits in needed.items():
        if digits is None:
            text += f" {target} is out of this model's reach on the fitted trend."
        elif digits <= ordered[-1]["n_train"]:
            text += f" {target} is reached within the data at hand."
        else:
            text += f" Extrapolated, {target} needs about {digits:,.0f} digits."
    return {"answer": needed, "text": text}


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "n/a"
    return f"{numerator / denominator:.1f}×"


def _noise(error: float, n_test: int) -> float:
    """Two binomial standard errors of an error rate measured on n_test digits."""
    return 2 * math.sqrt(max(error, 1 / n_test) * (1 - error) / n_test)


def latest_ladder() -> dict | None:
    """The newest stored ladder, rebuilt from its runs (fits and answers recomputed)."""
    from sqlalchemy import select

    from core.lab.runs import run_to_dict
    from db.engine import session_scope
    from db.models import TrainingRun

    with session_scope() as session:
        query = (
            select(TrainingRun)
            .where(TrainingRun.ladder.is_not(None), TrainingRun.status == "succeeded")
            .order_by(TrainingRun.id.desc())
        )
        runs = [run_to_dict(run, with_details=False) for run in session.scalars(query)]
    runs = [run for run in runs if isinstance(run["ladder"], dict) and run["ladder"].get("id")]
    if not runs:
        return None
    ladder_id = runs[0]["ladder"]["id"]
    return summarize(ladder_id, [point_of(run) for run in runs if run["ladder"]["id"] == ladder_id])


def _int_list(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"expected comma-separated whole numbers, got {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m core.lab.ladder", description="Train the size and data ladders.")
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS)
    parser.add_argument("--widths", default=",".join(map(str, SIZE_WIDTHS)), help="MLP first hidden widths")
    parser.add_argument("--data-sizes", default=",".join(map(str, DATA_SIZES)), help="training-set sizes")
    parser.add_argument("--no-cnn", action="store_true", help="leave the CNN off the size ladder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    import logging

    # Keras retraces its predict step once per model on the ladder and says so on stderr; that is expected here.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    try:
        widths = _int_list(args.widths)
        sizes = _int_list(args.data_sizes)
        config = LadderConfig(args.epochs, widths, sizes, not args.no_cnn, args.seed)
    except ValueError as exc:
        message = str(exc)
        exit_with_error(message if ":" in message.split(" ")[0] else f"widths/data-sizes: {message}")

    def show(event: dict) -> None:
        if not args.json:
            print(f"\r[{event['point']}/{event['points']}] {event['label']:<14} {event['fraction']:5.0%}", end="")

    result = run_ladder(config, progress=show)
    if args.json:
        print(strict_json(result))
    else:
        print()
        for point in result["points"]:
            print(
                f"{point['label']:<14} {point['test_accuracy']:.2%}  loss {point['test_loss']:.3f}  "
                f"{point['samples_per_second']:>9,.0f} samples/s  ${point['cost_usd'] or 0:.6f}"
            )
        for answer in result["answers"].values():
            print(answer["text"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
