"""Train, measure and store one run of the reference model, or of the demo model (`--variant demo`).

python -m core.train [--variant fast|seed|demo] [--epochs N] [--batch-size B] [--data PATH] [--limit N]
                     [--allow-download] [--json]
"""

from __future__ import annotations

import os
import platform
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from core import config as settings
from core.cli import ArgumentParser, exit_with_error, native_stderr_silenced, strict_json
from core.lab.data import DataError, MnistData, load_mnist
from core.lab.demo_model import training_flops_per_sample
from core.lab.device import DeviceInfo, detect_device, measure_matmul_peak
from core.lab.fused import CHUNK_STEPS
from core.lab.model import build_model, flops_per_training_sample, import_keras, parameter_count

ProgressFn = Callable[[dict], None]
VARIANTS = ("fast", "seed", "demo")
# The demo model learns from distorted copies, a new set each epoch, so it needs more passes than the MLP.
DEFAULT_EPOCHS = {"fast": 5, "seed": 5, "demo": 24}
DEFAULT_BATCH_SIZE = {"fast": 32, "seed": 32, "demo": 64}
MAX_EPOCHS = 1000
MAX_BATCH_SIZE = 65_536
MAX_LIMIT = 10_000_000
MAX_SEED = 2**32 - 1  # Keras and NumPy seeds are unsigned 32-bit
_peak_cache: dict[tuple[str, str, str], float] = {}


@dataclass(frozen=True)
class TrainConfig:
    epochs: int | None = None  # None: the variant's default (DEFAULT_EPOCHS)
    batch_size: int | None = None  # None: the variant's default (DEFAULT_BATCH_SIZE)
    data_path: str | None = None
    limit: int | None = None
    allow_download: bool = False
    seed: int = 0
    # "fast": the reference MLP on the fused, resident-data trainer; "seed": the reference MLP on the seed's plain
    # model.fit; "demo": the demo CNN, trained on distorted digits with pen-stroke drawings (core.lab.demo_model).
    variant: str = "fast"
    calibrate: bool = True  # fit the "not sure" thresholds and store them beside the model
    save_model: bool = True

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"variant: one of {', '.join(VARIANTS)}, got {self.variant!r}")
        if self.epochs is None:
            object.__setattr__(self, "epochs", DEFAULT_EPOCHS[self.variant])
        if self.batch_size is None:
            object.__setattr__(self, "batch_size", DEFAULT_BATCH_SIZE[self.variant])
        for field in ("epochs", "batch_size", "seed"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{field}: must be a whole number, got {value!r}")
        if self.epochs <= 0:
            raise ValueError(f"epochs: must be at least 1, got {self.epochs}")
        if self.epochs > MAX_EPOCHS:
            raise ValueError(f"epochs: at most {MAX_EPOCHS}, got {self.epochs}")
        if self.batch_size <= 0:
            raise ValueError(f"batch_size: must be at least 1, got {self.batch_size}")
        if self.batch_size > MAX_BATCH_SIZE:
            raise ValueError(f"batch_size: at most {MAX_BATCH_SIZE:,}, got {self.batch_size:,}")
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed: a whole number from 0 to {MAX_SEED}, got {self.seed}")
        if self.limit is not None and (
            isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit <= 0
        ):
            raise ValueError(f"limit: must be a positive whole number of training digits, got {self.limit!r}")
        if self.limit is not None and self.limit > MAX_LIMIT:
            raise ValueError(f"limit: at most {MAX_LIMIT:,} training digits, got {self.limit:,}")
        if self.data_path is not None and not Path(self.data_path).exists():
            raise ValueError(f"data: {self.data_path} does not exist")


def check_fits(config: TrainConfig, data: MnistData) -> None:
    """What only the loaded data can tell: a batch cannot be larger than the training set."""
    if config.batch_size > data.n_train:
        raise ValueError(f"batch_size: at most the {data.n_train:,} training digits, got {config.batch_size:,}")


class Interrupted(KeyboardInterrupt):
    """SIGTERM during a training, handled like Ctrl-C: the run is stored as interrupted."""

    def __init__(self, signum: int):
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def _raise_interrupted(signum, _frame) -> None:
    signal.signal(signum, signal.SIG_DFL)  # a second signal ends the process at once; the next start sweeps it
    raise Interrupted(signum)


def _peak_flops(device: DeviceInfo, precision: str) -> float:
    """Measured once per process, device and precision: the denominator of MFU."""
    key = (device.kind, device.name, precision)
    if key not in _peak_cache:
        _peak_cache[key] = measure_matmul_peak(device.kind, precision)
    return _peak_cache[key]


def _catalog_figures(device_kind: str, device_name: str) -> dict:
    """Spec peak, power and price for the device: the catalog for a known GPU, the CPU settings otherwise."""
    from sqlalchemy import select

    from core.lab.device import match_catalog
    from db.engine import session_scope
    from db.models import Hardware

    if device_kind == "gpu":
        with session_scope() as session:
            rows = {row.name: row for row in session.scalars(select(Hardware))}
            name = match_catalog(device_name, list(rows))
            if name:
                row = rows[name]
                return {
                    "catalog_name": name,
                    "peak_flops_spec": (row.fp32_tflops or 0) * 1e12 or None,
                    "peak_flops_spec_bf16": row.bf16_dense_tflops * 1e12,
                    "power_watts": row.tdp_w,
                    "price_per_hour": row.price_per_hour_usd,
                }
        return {"catalog_name": None, "peak_flops_spec": None, "power_watts": None, "price_per_hour": None}
    return {
        "catalog_name": None,
        "peak_flops_spec": None,
        "power_watts": settings.cpu_watts(),
        "price_per_hour": settings.cpu_price_per_hour(),
    }


def _framework_versions(keras) -> dict:
    versions = {"keras": keras.__version__, "python": platform.python_version(), "numpy": np.__version__}
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        versions["tensorflow"] = tf.__version__
    elif backend == "jax":
        import jax

        versions["jax"] = jax.__version__
    return versions


def _progress_callback(keras, progress: ProgressFn | None, epochs: int, steps: int, history: list[dict]):
    class Progress(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self._epoch_start = time.perf_counter()
            self._epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            if progress:
                progress(
                    {
                        "epoch": self._epoch + 1,
                        "epochs": epochs,
                        "batch": batch + 1,
                        "steps": steps,
                        "loss": float((logs or {}).get("loss", float("nan"))),
                    }
                )

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            row = {
                "epoch": epoch + 1,
                "loss": float(logs["loss"]),
                "accuracy": float(logs["accuracy"]),
                "seconds": time.perf_counter() - self._epoch_start,
            }
            history.append(row)
            if progress:
                progress({"epoch": epoch + 1, "epochs": epochs, "batch": steps, "steps": steps, "done": True, **row})

    return Progress()


def save_model_atomically(model, final_path: Path) -> Path:
    """Write beside the target, then rename: a crash leaves the old file or none, never half of one."""
    from core.lab.runs import temp_model_path

    final_path.parent.mkdir(parents=True, exist_ok=True)
    temp_path = temp_model_path(final_path)
    try:
        model.save(temp_path)
        os.replace(temp_path, final_path)
    finally:
        temp_path.unlink(missing_ok=True)
    return final_path


def _fit(model, data: MnistData, config: TrainConfig, device: DeviceInfo, callbacks: list) -> None:
    if config.variant == "fast" and device.backend == "tensorflow" and device.kind == "cpu":
        from core.lab.fused import fit_fused

        fit_fused(model, data.x_train, data.y_train, config.batch_size, config.epochs, config.seed, callbacks)
        return
    # The seed's plain fit; on a GPU the fast variant compiled it with several steps per call, XLA and bfloat16.
    model.fit(
        data.x_train,
        data.y_train,
        batch_size=config.batch_size,
        epochs=config.epochs,
        callbacks=callbacks,
        verbose=0,
        shuffle=True,
    )


@dataclass
class Measurement:
    """One training, measured, before anything is stored."""

    model: object
    device: DeviceInfo
    precision: str
    wall_seconds: float
    samples_per_second: float
    achieved_flops: float
    peak_flops: float
    mfu: float
    history: list[dict]
    test_loss: float
    test_accuracy: float
    predicted: np.ndarray
    flops_per_sample: int = 0
    params: int = 0
    extra_training: dict | None = None  # drawings the demo model also learned from, beyond the digits


def _build_for(device: DeviceInfo, config: TrainConfig, steps: int, builder: Callable | None = None):
    fast = config.variant == "fast"
    # Under MirroredStrategy over several devices, Keras's multi-step loop fails (keras-team/keras#19246) and XLA
    # cannot reach another device's variables: a mirrored run takes one step per call, without XLA.
    mirrored = device.backend == "tensorflow" and device.kind == "gpu" and device.count > 1
    options = {
        "steps_per_execution": min(CHUNK_STEPS, steps) if fast and not mirrored else 1,
        # XLA fuses the small element-wise ops on a GPU; on a CPU its matrix multiplies are slower than oneDNN's.
        "jit_compile": fast and device.kind == "gpu" and not mirrored,
        "mixed_precision": fast and device.kind == "gpu",
    }
    build = builder or build_model
    if mirrored:
        import tensorflow as tf

        with tf.distribute.MirroredStrategy().scope():
            return build(**options), options
    return build(**options), options


def measure_training(
    config: TrainConfig,
    data: MnistData,
    progress: ProgressFn | None = None,
    device: DeviceInfo | None = None,
    builder: Callable | None = None,
) -> Measurement:
    """Train on ``data`` and measure it: throughput, MFU against the peak measured here, test metrics.

    ``builder`` replaces the reference MLP (same keyword options as build_model), for the scaling ladder."""
    keras = import_keras()
    device = device or detect_device()
    keras.utils.set_random_seed(config.seed)
    if config.variant == "demo":
        return _measure_demo(keras, config, data, progress, device)
    steps = -(-data.n_train // config.batch_size)
    model, options = _build_for(device, config, steps, builder)
    precision = "bfloat16" if options["mixed_precision"] else "float32"
    flops_per_sample = flops_per_training_sample() if builder is None else training_flops_per_sample(model)
    peak = _peak_flops(device, precision)
    history: list[dict] = []
    callback = _progress_callback(keras, progress, config.epochs, steps, history)
    start = time.perf_counter()
    _fit(model, data, config, device, [callback])
    wall = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(data.x_test, data.y_test, batch_size=1024, verbose=0)
    predicted = np.argmax(model.predict(data.x_test, batch_size=1024, verbose=0), axis=1)
    samples_per_second = data.n_train * config.epochs / wall
    achieved = samples_per_second * flops_per_sample
    return Measurement(
        model=model,
        device=device,
        precision=precision,
        wall_seconds=wall,
        samples_per_second=samples_per_second,
        achieved_flops=achieved,
        peak_flops=peak,
        mfu=achieved / (peak * device.count),
        history=history,
        test_loss=float(test_loss),
        test_accuracy=float(test_accuracy),
        predicted=predicted,
        flops_per_sample=flops_per_sample,
        params=int(model.count_params()),
    )


def compile_like_reference(model) -> None:
    """Compile a trained model as the reference is (Adam, sparse categorical cross-entropy, accuracy), so that the
    saved file loads with a plain `keras.models.load_model` and `evaluate`s on digit labels like the reference.
    The training compile (soft targets, a digits-only accuracy) would need this project's code to load."""
    from core.lab.model import SEED_LOSS

    keras = import_keras()
    model.compile(optimizer=keras.optimizers.Adam(), loss=SEED_LOSS, metrics=["accuracy"])


def _measure_demo(keras, config: TrainConfig, data: MnistData, progress, device: DeviceInfo) -> Measurement:
    """The demo CNN: every epoch sees freshly distorted digits, pen-stroke digits and non-digits (core.lab.demo_model).

    Rendering the drawings happens once, before the clock starts; distorting them is part of every epoch."""
    from core.lab.demo_model import build_demo_model, epoch_batches, pool_sizes, training_pools

    pen_digits, non_digits = pool_sizes(data.n_train)
    pools = training_pools(config.seed, pen_digits, non_digits)
    batches = epoch_batches(data.x_train, data.y_train, pools, config.batch_size, config.seed)
    steps = len(batches)
    model = build_demo_model(decay_steps=steps * config.epochs)
    flops_per_sample = training_flops_per_sample(model)
    peak = _peak_flops(device, "float32")
    history: list[dict] = []
    callback = _progress_callback(keras, progress, config.epochs, steps, history)
    start = time.perf_counter()
    model.fit(batches, epochs=config.epochs, callbacks=[callback], verbose=0)
    wall = time.perf_counter() - start
    probabilities = np.asarray(model.predict(data.x_test, batch_size=1024, verbose=0), dtype=np.float64)
    chosen = np.clip(probabilities[np.arange(data.n_test), data.y_test], 1e-7, 1.0)
    predicted = np.argmax(probabilities, axis=1)
    samples_per_second = (data.n_train + pen_digits + non_digits) * config.epochs / wall
    achieved = samples_per_second * flops_per_sample
    compile_like_reference(model)
    return Measurement(
        model=model,
        device=device,
        precision="float32",
        wall_seconds=wall,
        samples_per_second=samples_per_second,
        achieved_flops=achieved,
        peak_flops=peak,
        mfu=achieved / (peak * device.count),
        history=history,
        test_loss=float(-np.log(chosen).mean()),
        test_accuracy=float((predicted == data.y_test).mean()),
        predicted=predicted,
        flops_per_sample=flops_per_sample,
        params=int(model.count_params()),
        extra_training={"pen_digits": pen_digits, "non_digits": non_digits},
    )


def architecture_name(model) -> str:
    """ "mlp-512-256-128" for Dense hidden layers, "cnn-16-16-32-32" for convolutions (their filter counts)."""
    convolutions = [str(layer.filters) for layer in model.layers if type(layer).__name__ == "Conv2D"]
    if convolutions:
        return "cnn-" + "-".join(convolutions)
    hidden = [str(layer.units) for layer in model.layers if type(layer).__name__ == "Dense"][:-1]
    return "mlp-" + "-".join(hidden)


def train(
    config: TrainConfig,
    progress: ProgressFn | None = None,
    data: MnistData | None = None,
    builder: Callable | None = None,
    ladder: dict | None = None,
) -> dict:
    """Run one training and store it; returns the stored run. A failure is stored as failed, an interrupt (Ctrl-C,
    SIGTERM) as interrupted, and either is re-raised.

    With ``config.calibrate`` the saved model gets its "not sure" thresholds beside it (core.lab.calibration), and
    the returned run carries them as ``calibration``. ``builder`` and ``ladder`` are for the scaling lab."""
    from core.lab.runs import process_identity
    from db.engine import session_scope
    from db.models import ClassMetric, EpochMetric, TrainingRun

    if data is None:
        data = load_mnist(config.data_path, allow_download=config.allow_download, limit=config.limit)
    check_fits(config, data)
    keras = import_keras()
    device = detect_device()
    figures = _catalog_figures(device.kind, device.name)

    with session_scope() as session:
        run = TrainingRun(
            status="running",
            variant=config.variant,
            ladder=ladder,
            backend=device.backend,
            framework_versions=_framework_versions(keras),
            device=device.kind,
            device_name=device.name,
            device_count=device.count,
            dataset=data.name,
            dataset_origin=data.origin,
            dataset_hash=data.sha256,
            n_train=data.n_train,
            n_test=data.n_test,
            epochs=config.epochs,
            batch_size=config.batch_size,
            seed=config.seed,
            params=parameter_count() if builder is None and config.variant != "demo" else None,
            flops_per_sample=flops_per_training_sample() if builder is None and config.variant != "demo" else None,
            peak_flops_spec=figures["peak_flops_spec"],
            power_watts=figures["power_watts"],
            price_per_hour=figures["price_per_hour"],
            **process_identity(),
        )
        session.add(run)
        session.flush()
        run_id = run.id

    model_path = settings.models_dir() / f"run-{run_id}.keras"
    calibration = None
    try:
        measured = measure_training(config, data, progress, device, builder)
        if config.save_model:
            save_model_atomically(measured.model, model_path)
        if config.save_model and config.calibrate:
            calibration = _calibrate(measured.model, data, model_path, measured.extra_training)
    except BaseException as exc:  # an interrupt must be recorded too
        with session_scope() as session:
            run = session.get(TrainingRun, run_id)
            interrupted = isinstance(exc, KeyboardInterrupt)
            run.status, run.finished_at = ("interrupted" if interrupted else "failed"), datetime.now(UTC)
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
        if config.save_model:
            from core.lab.calibration import sidecar_path

            sidecar_path(model_path).unlink(missing_ok=True)
            model_path.unlink(missing_ok=True)
        raise

    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    precision, recall, f1, support = precision_recall_fscore_support(
        data.y_test, measured.predicted, labels=list(range(10)), zero_division=0
    )
    hours = measured.wall_seconds / 3600
    with session_scope() as session:
        run = session.get(TrainingRun, run_id)
        run.status, run.finished_at = "succeeded", datetime.now(UTC)
        run.architecture = architecture_name(measured.model)
        run.params, run.flops_per_sample = measured.params, measured.flops_per_sample
        run.wall_seconds, run.samples_per_second = measured.wall_seconds, measured.samples_per_second
        run.achieved_flops, run.peak_flops, run.mfu = measured.achieved_flops, measured.peak_flops, measured.mfu
        if measured.precision == "bfloat16" and figures.get("peak_flops_spec_bf16"):
            run.peak_flops_spec = figures["peak_flops_spec_bf16"]
        if run.power_watts is not None:
            run.energy_kwh = run.power_watts * device.count * hours / 1000
        if run.price_per_hour is not None:
            run.cost_usd = run.price_per_hour * device.count * hours
        run.test_loss, run.test_accuracy = measured.test_loss, measured.test_accuracy
        run.confusion_matrix = confusion_matrix(data.y_test, measured.predicted, labels=list(range(10))).tolist()
        run.model_path = str(model_path) if config.save_model else None
        run.epochs_history = [EpochMetric(**row) for row in measured.history]
        run.class_metrics = [
            ClassMetric(
                digit=d,
                precision=float(precision[d]),
                recall=float(recall[d]),
                f1=float(f1[d]),
                support=int(support[d]),
            )
            for d in range(10)
        ]
        session.flush()
        from core.lab.runs import run_to_dict

        stored = run_to_dict(run)
    if calibration is not None:
        stored["calibration"] = calibration
    return stored


def _calibrate(model, data: MnistData, model_path: Path, extra_training: dict | None) -> dict:
    """Fit and store the model's "not sure" thresholds; returns them as stored, without the digit subspace."""
    from core.lab.calibration import calibrate, write_sidecar

    # Fewer drawings for a model trained on few digits: such runs are quick looks, not the demo's model.
    count = int(min(400, max(60, data.n_train // 10)))
    calibration = calibrate(
        lambda x: model.predict(x, batch_size=1024, verbose=0),
        data.x_train,
        data.x_test,
        data.y_test,
        count=count,
        extra={"trained_on_extra_drawings": extra_training} if extra_training else None,
    )
    write_sidecar(model_path, calibration)
    summary = calibration.to_json()
    summary.pop("subspace", None)
    return summary


def _summary(run: dict) -> str:
    return (
        f"run {run['id']} {run['status']}: {run['test_accuracy']:.2%} test accuracy on {run['n_test']} digits "
        f"({run['dataset']}, {run['n_train']} train), {run['epochs']} epochs at batch {run['batch_size']} "
        f"on {run['device_name']} in {run['wall_seconds']:.1f} s, {run['samples_per_second']:,.0f} samples/s, "
        f"MFU {run['mfu']:.1%}, {run['energy_kwh']:.6f} kWh, ${run['cost_usd']:.6f}; {run['architecture']}, "
        f"model {run['model_path']}" + _calibration_summary(run.get("calibration"))
    )


def _calibration_summary(calibration: dict | None) -> str:
    if not calibration:
        return ""
    measured = calibration["measured"]
    return (
        f"; not-sure check on held-out drawings: {measured['digits_read_right_and_sure']:.1%} of "
        f"{measured['digits']} digits read right and sure, {measured['non_digits_unsure']:.1%} of "
        f"{measured['non_digits']} non-digits marked unsure"
    )


def _training_errors() -> tuple[type[BaseException], ...]:
    """What a training can meet on a sound install: a full disk, a lost database, too little memory, a failure inside
    the framework. Anything else is a bug and keeps its traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    errors: list[type[BaseException]] = [OSError, MemoryError, RuntimeError, ValueError, SQLAlchemyError]
    if "tensorflow" in sys.modules:
        import tensorflow as tf

        errors.append(tf.errors.OpError)
    return tuple(errors)


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m core.train", description="Train and store the reference or demo model.")
    parser.add_argument("--epochs", type=int, help="default: 5 for the reference model, 24 for the demo model")
    parser.add_argument("--batch-size", type=int, help="default: 32 for the reference model, 64 for the demo model")
    parser.add_argument("--data", help="mnist.npz or a folder of the four MNIST IDX files")
    parser.add_argument("--limit", type=int, help="train on at most this many digits")
    parser.add_argument("--allow-download", action="store_true", help="download MNIST when no local copy exists")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--variant",
        choices=VARIANTS,
        default="fast",
        help="fast: the reference MLP on the fused resident-data trainer (default); seed: the reference MLP on the "
        "seed's plain model.fit; demo: the demo CNN on distorted digits and pen-stroke drawings",
    )
    parser.add_argument("--json", action="store_true", help="print the stored run as one JSON object")
    args = parser.parse_args(argv)
    try:
        config = TrainConfig(
            epochs=args.epochs,
            batch_size=args.batch_size,
            data_path=args.data,
            limit=args.limit,
            allow_download=args.allow_download,
            seed=args.seed,
            variant=args.variant,
        )
        data = load_mnist(config.data_path, allow_download=config.allow_download, limit=config.limit)
        check_fits(config, data)
    except (ValueError, DataError) as exc:
        exit_with_error(str(exc))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        with native_stderr_silenced():
            import_keras()
            detect_device()
        run = train(config, data=data)
    except KeyboardInterrupt as exc:
        print("error: interrupted; the run is stored as interrupted", file=sys.stderr)
        return 128 + getattr(exc, "signum", signal.SIGINT)
    except _training_errors() as exc:
        message = f"{type(exc).__name__}: {exc}".splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: training failed and is stored as failed: {message}", file=sys.stderr)
        return 1
    print(strict_json(run, default=str) if args.json else _summary(run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
