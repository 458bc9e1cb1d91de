"""Input checks the training and serving estimates share; every message starts with the field's name."""

from __future__ import annotations

import math

from core.compute.gpus import GpuSpec

MAX_COUNT = 1e18  # bounds keep every output finite
# Inputs the estimates divide by have a floor as well: below it a figure is a typo, and the quotient is infinite.
MINIMUM = {"mfu": 1e-4, "mbu": 1e-4, "serving_mfu": 1e-4, "target_days": 0.01, "requests_per_day": 1e-6}


class EstimateInputError(ValueError):
    """Bad estimator input; the message starts with the field's name."""


def number(field: str, value, integer: bool = False, allow_zero: bool = False, maximum: float = MAX_COUNT):
    if isinstance(value, bool):
        raise EstimateInputError(f"{field}: must be a number, got {value!r}")
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise EstimateInputError(f"{field}: must be a number, got {value!r}") from None
    if not math.isfinite(result):
        raise EstimateInputError(f"{field}: must be a finite number, got {value!r}")
    if result < 0 or (result == 0 and not allow_zero):
        raise EstimateInputError(
            f"{field}: must be {'non-negative' if allow_zero else 'greater than 0'}, got {result:g}"
        )
    if result > maximum:
        raise EstimateInputError(f"{field}: at most {maximum:g}, got {result:g}")
    if 0 < result < MINIMUM.get(field, 0):
        raise EstimateInputError(f"{field}: at least {MINIMUM[field]:g}, got {result:g}")
    if integer:
        if result != int(result):
            raise EstimateInputError(f"{field}: must be a whole number, got {result:g}")
        return int(result)
    return result


def check_gpu_and_sizes(inputs) -> None:
    """What training and serving inputs share: a catalog GPU, a positive size, active parameters within it."""
    if not isinstance(inputs.gpu, GpuSpec):
        raise EstimateInputError("gpu: pick an entry of the hardware catalog")
    object.__setattr__(inputs, "params", number("params", inputs.params, maximum=1e15))
    if inputs.active_params is not None:
        object.__setattr__(inputs, "active_params", number("active_params", inputs.active_params))
        if inputs.active_params > inputs.params:
            raise EstimateInputError(
                f"active_params: {inputs.active_params:.3g} exceeds the total parameters {inputs.params:.3g}"
            )
