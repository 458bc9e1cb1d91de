"""The fast trainer keeps the seed's model, optimizer, loss and accuracy; only how it executes changes."""

import numpy as np
import pytest

from core.lab.data import load_mnist
from core.lab.device import DeviceInfo
from core.lab.fused import CHUNK_STEPS
from core.lab.train import TrainConfig, measure_training


@pytest.fixture(scope="module")
def data():
    return load_mnist(limit=1000)


def _snapshot(model) -> dict:
    optimizer = model.optimizer
    return {
        "weights": [v.numpy().copy() for v in model.trainable_variables],
        "momentums": [v.numpy().copy() for v in optimizer._momentums],
        "velocities": [v.numpy().copy() for v in optimizer._velocities],
        "iterations": int(optimizer.iterations.numpy()),
    }


def _assert_same_state(mine: dict, theirs: dict, where: str) -> None:
    assert mine["iterations"] == theirs["iterations"], where
    for key, rtol, atol in (("weights", 1e-4, 1e-6), ("momentums", 1e-3, 1e-7), ("velocities", 1e-3, 1e-11)):
        for index, (a, b) in enumerate(zip(mine[key], theirs[key])):
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=f"{where}: {key}[{index}]")


@pytest.mark.parametrize("chunk_steps", [1, CHUNK_STEPS])
def test_fused_adam_on_a_short_last_batch_equals_keras_train_on_batch(data, monkeypatch, chunk_steps):
    """70 samples at batch 32 (32 + 32 + 6), two epochs: after every step the fused trainer's weights and Adam state
    match Keras's own ``train_on_batch`` fed the same batches, and its epoch loss and accuracy match theirs. The last
    batch is padded to 32 rows; had the padding counted, its gradient and the reported figures would differ."""
    import core.lab.fused as fused
    from core.lab.model import build_model, import_keras

    keras = import_keras()
    monkeypatch.setattr(fused, "CHUNK_STEPS", chunk_steps)
    n, batch_size, epochs = 70, 32, 2
    x, y = data.x_train[:n], data.y_train[:n]

    class Recorder(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            states[(self.epoch, batch)] = _snapshot(self.model)
            running_losses[(self.epoch, batch)] = logs["loss"]

        def on_epoch_end(self, epoch, logs=None):
            epoch_logs.append(logs)

    states, running_losses, epoch_logs = {}, {}, []
    keras.utils.set_random_seed(3)
    model = build_model()
    fused.fit_fused(model, x, y, batch_size=batch_size, epochs=epochs, seed=0, callbacks=[Recorder()])

    keras.utils.set_random_seed(3)
    reference = build_model()
    expected_states, expected_running, expected_logs = {}, {}, []
    for epoch in range(epochs):
        order = np.asarray(fused.epoch_order(n, 0, epoch))
        assert sorted(order) == list(range(n))
        loss_sum = correct = 0.0
        for step, first in enumerate(range(0, n, batch_size)):
            rows = order[first : first + batch_size]
            logs = reference.train_on_batch(x[rows], y[rows], return_dict=True)
            loss_sum += logs["loss"] * len(rows)
            correct += logs["accuracy"] * len(rows)
            expected_states[(epoch, step)] = _snapshot(reference)
            expected_running[(epoch, step)] = loss_sum / (first + len(rows))
        expected_logs.append({"loss": loss_sum / n, "accuracy": correct / n})

    assert set(states) <= set(expected_states) and (epochs - 1, 2) in states
    if chunk_steps == 1:
        assert len(states) == len(expected_states) == 6
    for key, state in states.items():
        _assert_same_state(state, expected_states[key], f"epoch {key[0]} step {key[1]}")
        assert running_losses[key] == pytest.approx(expected_running[key], rel=1e-4)
    for mine, theirs in zip(epoch_logs, expected_logs, strict=True):
        assert mine["loss"] == pytest.approx(theirs["loss"], rel=1e-4)
        assert mine["accuracy"] == pytest.approx(theirs["accuracy"], abs=1e-6)


def test_fast_path_keeps_the_seed_models_accuracy(data):
    """Same data and hyper-parameters, three seeds each: the mean accuracies stay close."""
    seeds = range(3)
    plain = [measure_training(TrainConfig(epochs=3, variant="seed", seed=s), data).test_accuracy for s in seeds]
    fast = [measure_training(TrainConfig(epochs=3, variant="fast", seed=s), data).test_accuracy for s in seeds]
    assert abs(np.mean(fast) - np.mean(plain)) <= 0.03


def test_progress_counts_the_short_last_batch_as_one_step(data):
    """1000 = 3 x 300 + 100: four steps an epoch, the last one short; the stored predictions are the model's."""
    events = []
    measured = measure_training(TrainConfig(epochs=1, batch_size=300), data, progress=events.append)
    done = [e for e in events if e.get("done")]
    assert len(done) == 1 and 0 < done[0]["accuracy"] <= 1
    assert events[-2]["batch"] == 4 and events[-2]["steps"] == 4
    predictions = np.argmax(measured.model.predict(data.x_test, verbose=0), axis=1)
    assert (predictions == measured.predicted).all()


def test_fast_path_learns_beyond_chance_in_one_epoch(data):
    measured = measure_training(TrainConfig(epochs=1, batch_size=64), data)
    assert measured.test_accuracy > 0.6
    assert measured.samples_per_second > 0 and 0 < measured.mfu


def test_gpu_path_compiles_fit_with_xla_and_bfloat16(data):
    """What a GPU gets, run on the CPU so CI covers it: fit with several steps per call, XLA, mixed bfloat16."""
    import core.lab.train as train_module

    model, options = train_module._build_for(DeviceInfo("gpu", "pretend", 1, "jax"), TrainConfig(), steps=10)
    assert options == {"steps_per_execution": 10, "jit_compile": True, "mixed_precision": True}
    assert model.layers[0].dtype_policy.name == "mixed_bfloat16"
    assert model.layers[-1].dtype_policy.name == "float32"
    model.fit(data.x_train[:256], data.y_train[:256], batch_size=64, epochs=1, verbose=0)
    assert model.predict(data.x_test[:5], verbose=0).dtype == np.float32
