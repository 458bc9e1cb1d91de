from core.lab.model import LAYER_SIZES, flops_per_inference_sample, flops_per_training_sample, parameter_count


def test_seed_model_counts_worked_by_hand():
    # 784·512 + 512·256 + 256·128 + 128·10 = 566,528 multiply-adds per sample forward.
    assert LAYER_SIZES == (784, 512, 256, 128, 10)
    assert flops_per_inference_sample() == 2 * 566_528
    assert flops_per_training_sample() == 3_399_168
    assert parameter_count() == 567_434


def test_built_keras_model_matches_the_arithmetic():
    from core.lab.model import build_model

    model = build_model()
    assert model.count_params() == parameter_count()
    assert [layer.units for layer in model.layers] == [512, 256, 128, 10]
    assert model.layers[-1].activation.__name__ == "softmax"
    assert type(model.optimizer).__name__ == "Adam"
