"""The fast trainer keeps the seed's model, optimizer, loss and accuracy; only how it executes changes."""

import numpy as np
import pytest

from core.lab.data import load_mnist
from core.lab.device import DeviceInfo
from core.lab.train import TrainConfig, measure_training


@pytest.fixture(scope="module")
def data():
    return load_mnist(limit=1000)


def test_fused_adam_steps_equal_keras_adam_steps(data):
    """Three steps on one batch: the fused kernel must leave the same weights and optimizer state as Keras's Adam."""
    from core.lab.fused import fit_fused
    from core.lab.model import build_model, import_keras

    keras = import_keras()
    x, y = data.x_train[:64], data.y_train[:64]
    keras.utils.set_random_seed(3)
    fused = build_model()
    keras.utils.set_random_seed(3)
    reference = build_model()
    fit_fused(fused, x, y, batch_size=64, epochs=3, seed=0, callbacks=[])
    for _ in range(3):
        reference.train_on_batch(x, y)
    for mine, theirs in zip(fused.trainable_variables, reference.trainable_variables):
        np.testing.assert_allclose(np.asarray(mine), np.asarray(theirs), rtol=1e-4, atol=1e-6)
    assert int(fused.optimizer.iterations.numpy()) == int(reference.optimizer.iterations.numpy()) == 3
    for mine, theirs in zip(fused.optimizer._velocities, reference.optimizer._velocities):
        np.testing.assert_allclose(np.asarray(mine), np.asarray(theirs), rtol=1e-3, atol=1e-12)


def test_fast_path_keeps_the_seed_models_accuracy(data):
    """Same data and hyper-parameters, three seeds each: the mean accuracies stay close."""
    seeds = range(3)
    plain = [measure_training(TrainConfig(epochs=3, variant="seed", seed=s), data).test_accuracy for s in seeds]
    fast = [measure_training(TrainConfig(epochs=3, variant="fast", seed=s), data).test_accuracy for s in seeds]
    assert abs(np.mean(fast) - np.mean(plain)) <= 0.03


def test_short_last_batch_is_trained_on_its_own_mean(data):
    """1000 = 3 x 300 + 100: the padded rows of the last batch must not count."""
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
