"""Default MFU per GPU generation, learned from published training runs (db/seed_data/published_training_runs.csv).

A run's effective MFU is 6·N·D / (reported GPU-hours · 3600 · dense BF16 peak), N the active parameters. Reported
GPU-hours include restarts, evaluation and long-context phases, so this sits below the MFU papers quote, and it is
what a budget needs. For each generation with published runs we fit ln(MFU) = a + b·ln(N / 10B) by least squares:
on A100 the slope is near zero; on Hopper small models land much lower (Llama 3 8B derives to about 15%, Llama 3.1
405B to about 35%). The low–high band spans every fitted run's residual, plus a margin.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache

from core.config import PROJECT_ROOT

PUBLISHED_RUNS_FILE = PROJECT_ROOT / "db" / "seed_data" / "published_training_runs.csv"
SIZE_PIVOT = 10e9
BAND_MARGIN = 0.05
EPOCH_DEFAULT_MFU = 0.30  # Epoch AI assumes 30% for language models when nothing else is known
FP8_END_TO_END_SPEEDUP = 1.3  # our assumption: FP8 matmuls are 2x, attention, communication and the rest are not
FP32_DEFAULT_MFU, FP32_BAND = 0.5, (0.3, 0.7)  # our assumption: FP32 SIMT math is compute-bound on its low peak

GENERATION_PATTERNS = (
    ("hopper", r"\b(h100|h800|h200|h20|gh200)\b"),
    ("blackwell", r"\b(b100|b200|b300|gb200|gb300)\b"),
    ("ampere", r"\b(a100|a800)\b"),
    ("volta", r"\bv100\b"),
)
FP8_PATTERNS = r"\b(h100|h800|h200|h20|gh200|b100|b200|b300|gb200|gb300|l4|l40s?|rtx 40\d0|mi300x?|mi325x?|mi355x?)\b"
GENERATION_LABELS = {
    "ampere": "NVIDIA Ampere (A100/A800)",
    "hopper": "NVIDIA Hopper (H100/H800/H200)",
    "blackwell": "NVIDIA Blackwell",
    "volta": "NVIDIA Volta (V100)",
    "other": "no published large runs",
}


@dataclass(frozen=True)
class PublishedRun:
    model: str
    params: float
    active_params: float
    tokens: float
    gpu: str
    gpu_hours: float
    hours_basis: str
    source: str

    @property
    def training_flops(self) -> float:
        return 6 * self.active_params * self.tokens


@dataclass(frozen=True)
class MfuRule:
    """ln(MFU) = intercept + slope·ln(clamp(N)/10B); the band multiplies the point by low_ratio and high_ratio."""

    generation: str
    intercept: float
    slope: float
    min_params: float
    max_params: float
    low_ratio: float
    high_ratio: float
    source: str
    runs: int = 0

    def point(self, active_params: float) -> float:
        size = min(max(active_params, self.min_params), self.max_params)
        return math.exp(self.intercept + self.slope * math.log(size / SIZE_PIVOT))


def _optional(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def published_runs() -> tuple[PublishedRun, ...]:
    with PUBLISHED_RUNS_FILE.open(newline="") as handle:
        return tuple(
            PublishedRun(
                model=row["model"],
                params=float(row["params"]),
                active_params=_optional(row["active_params"]) or float(row["params"]),
                tokens=float(row["tokens"]),
                gpu=row["gpu"],
                gpu_hours=float(row["gpu_hours"]),
                hours_basis=row["hours_basis"],
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


def generation_of(gpu_name: str) -> str:
    name = gpu_name.lower()
    for generation, pattern in GENERATION_PATTERNS:
        if re.search(pattern, name):
            return generation
    return "other"


def supports_fp8(gpu_name: str) -> bool:
    return re.search(FP8_PATTERNS, gpu_name.lower()) is not None


@cache
def seeded_peak_tflops(gpu_name: str) -> float:
    from core.compute.gpus import find_gpu, seeded_specs

    return find_gpu(gpu_name, seeded_specs()).bf16_dense_tflops


def effective_mfu(run: PublishedRun) -> float:
    return run.training_flops / (run.gpu_hours * 3600 * seeded_peak_tflops(run.gpu) * 1e12)


def fit_rule(generation: str, runs: tuple[PublishedRun, ...] | list[PublishedRun]) -> MfuRule:
    """Least-squares fit of ln(MFU) on ln(active parameters) over the given runs of one generation."""
    points = [(math.log(run.active_params / SIZE_PIVOT), math.log(effective_mfu(run))) for run in runs]
    if len(points) < 2:
        raise ValueError(f"runs: need at least two published {generation} runs to fit, got {len(points)}")
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    intercept = mean_y - slope * mean_x
    residuals = [y - (intercept + slope * x) for x, y in points]
    sizes = [run.active_params for run in runs]
    return MfuRule(
        generation=generation,
        intercept=intercept,
        slope=slope,
        min_params=min(sizes),
        max_params=max(sizes),
        low_ratio=math.exp(min(residuals)) * (1 - BAND_MARGIN),
        high_ratio=math.exp(max(residuals)) * (1 + BAND_MARGIN),
        source=f"fitted to {len(points)} published {GENERATION_LABELS[generation]} runs",
        runs=len(points),
    )


def runs_of(generation: str, runs: tuple[PublishedRun, ...] | list[PublishedRun] | None = None) -> list[PublishedRun]:
    return [run for run in (published_runs() if runs is None else runs) if generation_of(run.gpu) == generation]


@cache
def mfu_rules() -> dict[str, MfuRule]:
    rules = {generation: fit_rule(generation, runs_of(generation)) for generation in ("ampere", "hopper")}
    hopper = rules["hopper"]
    rules["blackwell"] = MfuRule(
        "blackwell", hopper.intercept, hopper.slope, hopper.min_params, hopper.max_params,
        low_ratio=min(hopper.low_ratio, 0.5), high_ratio=hopper.high_ratio,
        source="no published Blackwell run yet: Hopper's fit with a wider low end",
    )  # fmt: skip
    rules["volta"] = MfuRule(
        "volta", math.log(0.213), 0.0, 1.0, 1e15, low_ratio=0.55, high_ratio=1.4,
        source="GPT-3 175B on V100: 21.3% (PaLM paper, Table 3)",
    )  # fmt: skip
    rules["other"] = MfuRule(
        "other", math.log(EPOCH_DEFAULT_MFU), 0.0, 1.0, 1e15, low_ratio=0.5, high_ratio=1.5,
        source="no published large runs on this GPU: Epoch AI's 30% default",
    )  # fmt: skip
    return rules


@dataclass(frozen=True)
class MfuDefault:
    mfu: float
    low: float
    high: float
    source: str


def default_mfu(gpu_name: str, active_params: float, precision: str = "bf16") -> MfuDefault:
    """The MFU to assume (against the peak of the chosen precision) and its plausible band."""
    if precision == "fp32":
        return MfuDefault(FP32_DEFAULT_MFU, *FP32_BAND, "FP32: our assumption of 50% of the FP32 peak (30-70%)")
    rule = mfu_rules()[generation_of(gpu_name)]
    point = rule.point(active_params)
    source = rule.source
    if precision == "fp8":
        point *= FP8_END_TO_END_SPEEDUP / 2
        source += f"; FP8 assumed {FP8_END_TO_END_SPEEDUP}x faster than BF16 end to end"
    return MfuDefault(point, point * rule.low_ratio, min(1.0, point * rule.high_ratio), source)


def band_ratios(gpu_name: str, precision: str = "bf16") -> tuple[float, float]:
    if precision == "fp32":
        return FP32_BAND[0] / FP32_DEFAULT_MFU, FP32_BAND[1] / FP32_DEFAULT_MFU
    rule = mfu_rules()[generation_of(gpu_name)]
    return rule.low_ratio, rule.high_ratio
