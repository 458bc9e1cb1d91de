"""Default MFU per GPU generation and model size, learned from published training runs
(db/seed_data/published_training_runs.csv; this module reads that file and no other run file).

A run's effective MFU is its training FLOPs (6·N·D plus the attention term at the run's context, core.compute.flops)
divided by reported GPU-hours × 3600 × dense BF16 peak. Reported GPU-hours include restarts, evaluation and
long-context phases, so it sits below the MFU papers quote, and that is what a budget needs.

For each generation with published runs: MFU = m · (S / 10B)^b, clamped to the sizes the fit saw, where S is the
parameter count (for a mixture of experts the geometric mean of active and total parameters: its matmuls are as
small as the active model's, its communication and batch are a large model's). m and b minimise the mean of
|reported ÷ estimated GPU-hours − 1|, the error a founder sees, rather than squared log error, which would centre
the fit on the geometric mean and leave the worst run further off. The band is the 5th–95th percentile of the
leave-one-out ratios (each run predicted by a fit without it), so it states how far a run the fit has not seen lands.
"""

from __future__ import annotations

import csv
import math
import re
import statistics
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from core.compute.gpus import supports_fp8  # noqa: F401 - the catalog knows formats; named here for estimate
from core.config import PROJECT_ROOT

PUBLISHED_RUNS_FILE = PROJECT_ROOT / "db" / "seed_data" / "published_training_runs.csv"
SIZE_PIVOT = 10e9
SLOPES = tuple(-0.10 + 0.0025 * step for step in range(121))
BAND_QUANTILES = (0.05, 0.95)
FITTED_GENERATIONS = ("ampere", "hopper")
EPOCH_DEFAULT_MFU = 0.30  # Epoch AI assumes 30% for language models when nothing else is known
FP8_END_TO_END_SPEEDUP = 1.3  # our assumption: FP8 matmuls are 2x, attention, communication and the rest are not
FP32_DEFAULT_MFU, FP32_BAND = 0.5, (0.3, 0.7)  # our assumption: FP32 SIMT math is compute-bound on its low peak

GENERATION_PATTERNS = (
    ("hopper", r"\b(h100|h800|h200|h20|gh200)\b"),
    ("blackwell", r"\b(b100|b200|b300|gb200|gb300)\b"),
    ("ampere", r"\b(a100|a800)\b"),
    ("volta", r"\bv100\b"),
)
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
    context: int = 2048

    @property
    def is_moe(self) -> bool:
        return self.active_params < self.params

    @property
    def training_flops(self) -> float:
        from core.compute.flops import training_flops_per_token

        active = self.active_params if self.is_moe else None
        return self.tokens * training_flops_per_token(self.params, active, self.context)

    @property
    def mfu_size(self) -> float:
        return mfu_size(self.params, self.active_params)


def mfu_size(params: float, active_params: float | None = None) -> float:
    """The size the MFU curve reads: the parameters, or √(active × total) for a mixture of experts."""
    return math.sqrt((active_params or params) * params)


def _optional(text: str) -> float | None:
    return float(text) if text and text.strip() else None


def read_runs(path) -> tuple[PublishedRun, ...]:
    with path.open(newline="") as handle:
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
                context=int(float(row.get("context") or 2048)),
            )
            for row in csv.DictReader(handle)
        )


@cache
def published_runs() -> tuple[PublishedRun, ...]:
    """The runs the defaults are fitted to."""
    return read_runs(PUBLISHED_RUNS_FILE)


def generation_of(gpu_name: str) -> str:
    name = gpu_name.lower()
    for generation, pattern in GENERATION_PATTERNS:
        if re.search(pattern, name):
            return generation
    return "other"


@cache
def seeded_peak_tflops(gpu_name: str) -> float:
    from core.compute.gpus import find_gpu, seeded_specs

    return find_gpu(gpu_name, seeded_specs()).bf16_dense_tflops


@cache
def effective_mfu(run: PublishedRun) -> float:
    return run.training_flops / (run.gpu_hours * 3600 * seeded_peak_tflops(run.gpu) * 1e12)


@dataclass(frozen=True)
class MfuRule:
    """MFU = exp(intercept + slope·ln(clamp(S)/10B)); the band multiplies the point by low_ratio and high_ratio."""

    generation: str
    intercept: float
    slope: float
    min_params: float
    max_params: float
    low_ratio: float
    high_ratio: float
    source: str
    runs: int = 0

    def point(self, size: float) -> float:
        size = min(max(size, self.min_params), self.max_params)
        return math.exp(self.intercept + self.slope * math.log(size / SIZE_PIVOT))


def _best_scale(values: list[float]) -> tuple[float, float]:
    """(m, loss) minimising Σ|v/m − 1| = Σ|v − m|/m; on each gap between sorted values the loss is monotone in m,
    so the optimum is one of the values."""
    ordered = sorted(values)
    prefix = [0.0]
    for value in ordered:
        prefix.append(prefix[-1] + value)
    total, count, best = prefix[-1], len(ordered), None
    for value in ordered:
        below = bisect_left(ordered, value)
        above_sum = total - prefix[below]
        loss = (above_sum - value * (count - below) + value * below - prefix[below]) / value
        if best is None or loss < best[1] - 1e-12:
            best = (value, loss)
    return best


def fit_rule(generation: str, runs) -> MfuRule:
    """MFU = m·(S/10B)^b over the given runs of one generation, minimising the mean |reported/estimate − 1|."""
    runs = list(runs)
    if len(runs) < 2:
        raise ValueError(f"runs: need at least two published {generation} runs to fit, got {len(runs)}")
    points = [(math.log(run.mfu_size / SIZE_PIVOT), effective_mfu(run)) for run in runs]
    best = None
    for slope in SLOPES:
        scale, loss = _best_scale([mfu / math.exp(slope * x) for x, mfu in points])
        if best is None or loss < best[0] - 1e-9 or (abs(loss - best[0]) <= 1e-9 and abs(slope) < abs(best[2])):
            best = (loss, scale, slope)
    _, scale, slope = best
    sizes = [run.mfu_size for run in runs]
    return MfuRule(
        generation=generation,
        intercept=math.log(scale),
        slope=slope,
        min_params=min(sizes),
        max_params=max(sizes),
        low_ratio=1.0,
        high_ratio=1.0,
        source=f"fitted to {len(runs)} published {GENERATION_LABELS[generation]} runs",
        runs=len(runs),
    )


def runs_of(generation: str, runs=None) -> list[PublishedRun]:
    return [run for run in (published_runs() if runs is None else runs) if generation_of(run.gpu) == generation]


@cache
def leave_one_out() -> tuple[dict, ...]:
    """Each fitted run predicted by its generation's fit without it. ratio = effective ÷ predicted MFU, which is
    also estimated ÷ reported GPU-hours (above 1: the estimate is too high)."""
    rows = []
    for generation in FITTED_GENERATIONS:
        runs = runs_of(generation)
        for left_out in runs:
            rule = fit_rule(generation, [run for run in runs if run is not left_out])
            predicted = rule.point(left_out.mfu_size)
            ratio = effective_mfu(left_out) / predicted
            rows.append(
                {
                    "model": left_out.model,
                    "gpu": left_out.gpu,
                    "generation": generation,
                    "effective_mfu": effective_mfu(left_out),
                    "predicted_mfu": predicted,
                    "ratio": ratio,
                    "error": ratio - 1,  # estimated ÷ reported GPU-hours − 1
                }
            )
    return tuple(rows)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def leave_one_out_summary() -> dict:
    errors = [abs(row["error"]) for row in leave_one_out()]
    ratios = [row["ratio"] for row in leave_one_out()]
    low, high = (_quantile(ratios, q) for q in BAND_QUANTILES)
    inside = sum(low <= ratio <= high for ratio in ratios)
    return {
        "runs": len(errors),
        "median_abs_error": statistics.median(errors),
        "max_abs_error": max(errors),
        "band_low_ratio": low,
        "band_high_ratio": high,
        "band_coverage": inside / len(ratios),
    }


@cache
def mfu_rules() -> dict[str, MfuRule]:
    summary = leave_one_out_summary()
    low, high = summary["band_low_ratio"], summary["band_high_ratio"]
    band = f"; band: 5th–95th percentile of leave-one-out ratios (×{low:.2f}–×{high:.2f})"
    rules = {}
    for generation in FITTED_GENERATIONS:
        fitted = fit_rule(generation, runs_of(generation))
        rules[generation] = MfuRule(
            generation, fitted.intercept, fitted.slope, fitted.min_params, fitted.max_params,
            low_ratio=low, high_ratio=high, source=fitted.source + band, runs=fitted.runs,
        )  # fmt: skip
    hopper = rules["hopper"]
    rules["blackwell"] = MfuRule(
        "blackwell", hopper.intercept, hopper.slope, hopper.min_params, hopper.max_params,
        low_ratio=min(low, 0.5), high_ratio=high,
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


def default_mfu(
    gpu_name: str, active_params: float, precision: str = "bf16", total_params: float | None = None
) -> MfuDefault:
    """The MFU to assume (against the peak of the chosen precision) and its plausible band."""
    if precision == "fp32":
        return MfuDefault(FP32_DEFAULT_MFU, *FP32_BAND, "FP32: our assumption of 50% of the FP32 peak (30-70%)")
    rule = mfu_rules()[generation_of(gpu_name)]
    point = rule.point(mfu_size(total_params or active_params, active_params))
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
