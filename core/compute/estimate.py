"""GPU budget: training and serving estimates and their CLI. The formulas live next to their citations:
architectures.py (shapes, parameter counts), flops.py, mfu.py (defaults fitted to published runs), parallelism.py
(layouts, memory per GPU, communication), training.py, serving.py; this module keeps the public names and the CLI.

CLI:
  python -m core.estimate train (--model PRESET | --params N | shape flags) [--tokens D] --gpu GPU [...] --json
  python -m core.estimate serve (--model PRESET | --params N | shape flags) --gpu GPU [--batch B] [--context S]
      [--prompt-tokens P] [--output-tokens O] [--requests-per-day R] [...] --json
  python -m core.estimate presets --json       the shipped architectures with their sources
  python -m core.estimate calibration --json   the MFU fit, its leave-one-out error and the held-out score
  python -m core.estimate --params 70e9 --tokens 2e12 --gpu "A100 80GB"   (no subcommand: train)
Shape flags: --layers --hidden --heads --kv-heads --ffn --vocab [--head-dim --mlp --tied-embeddings --experts
--active-experts --shared-experts --moe-ffn --dense-layers].
"""

from __future__ import annotations

import math

from core.compute.architectures import Architecture, ArchitectureError, preset, presets
from core.compute.architectures import infer_architecture as _infer_shape
from core.compute.gpus import GpuSpec
from core.compute.mfu import default_mfu, generation_of, supports_fp8  # noqa: F401 (public names)
from core.compute.parallelism import USABLE_MEMORY_FRACTION
from core.compute.serving import (  # noqa: F401 (public names)
    DEFAULT_MBU,
    DEFAULT_SERVING_MFU,
    HOURS_PER_MONTH,
    MBU_BAND,
    SERVING_MFU_BAND,
    SERVING_PRECISIONS,
    ServingInputs,
    estimate_serving,
    serving_inputs_for,
)
from core.compute.training import (  # noqa: F401 (public names)
    DEFAULT_ABLATION_MULTIPLE,
    DEFAULT_CARBON_KG_PER_KWH,
    DEFAULT_CONTEXT,
    DEFAULT_OVERHEADS,
    DEFAULT_PUE,
    DEFAULT_TARGET_DAYS,
    MODES,
    PRECISIONS,
    RECOMPUTE_CHOICES,
    TOKENS_PER_PARAM_OPTIMAL,
    TrainingInputs,
    cost_by_gpu,
    estimate_training,
    gpus_vs_days,
    mfu_band,
    mfu_sweep,
    peak_tflops,
    training_memory,
)
from core.compute.validation import EstimateInputError, number

__all__ = [
    "Architecture", "EstimateInputError", "ServingInputs", "TrainingInputs", "cost_by_gpu", "estimate_serving",
    "estimate_training", "gpus_vs_days", "mfu_sweep", "params_from_architecture", "infer_architecture", "main",
]  # fmt: skip


def params_from_architecture(layers: int, hidden: int, vocab: int, context: int = 0) -> int:
    """GPT-2-style decoder parameters (Narayanan et al. 2021): 12·L·h² + 13·L·h + (V + s)·h, learned positions."""
    layers = number("layers", layers, integer=True)
    hidden = number("hidden", hidden, integer=True)
    vocab = number("vocab", vocab, integer=True)
    context = number("context", context, integer=True, allow_zero=True)
    return int(12 * layers * hidden**2 + 13 * layers * hidden + (vocab + context) * hidden)


def infer_architecture(params: float) -> dict:
    """A plausible shape for N parameters as a dict (layers, hidden, heads, head_dim)."""
    shape = _infer_shape(params)
    return {"layers": shape.layers, "hidden": shape.hidden, "heads": shape.heads, "head_dim": shape.head_dim}


def gpus_to_hold(memory_gb: float, gpu: GpuSpec) -> int:
    return max(1, math.ceil(memory_gb / (gpu.memory_gb * USABLE_MEMORY_FRACTION)))


def suggested_gpu_count(gpu_hours: float, min_gpus: int, target_days: float = DEFAULT_TARGET_DAYS) -> int:
    """Enough GPUs to finish in target_days and hold the model, in whole 8-GPU nodes above one node."""
    count = max(min_gpus, math.ceil(gpu_hours / (24 * target_days)), 1)
    return count if count <= 8 else math.ceil(count / 8) * 8


def example_gpu() -> GpuSpec:
    from core.compute.gpus import find_gpu, seeded_specs

    return find_gpu("A100 80GB", seeded_specs())


def example_training_inputs() -> TrainingInputs:
    """Llama 2 70B's published run: 69B parameters, 2T tokens, A100 80GB (no database needed)."""
    return TrainingInputs(params=69e9, tokens=2e12, gpu=example_gpu())


def example_serving_inputs() -> ServingInputs:
    """Llama 2 70B's shape (80 layers, 8 KV heads) served in BF16."""
    return ServingInputs(architecture=preset("llama-2-70b"), gpu=example_gpu())


# ---- CLI ---------------------------------------------------------------------------------------------------------

SHAPE_FLAGS = ("layers", "hidden", "heads", "kv_heads", "ffn", "vocab", "head_dim", "experts", "active_experts",
               "shared_experts", "moe_ffn", "dense_layers")  # fmt: skip


def _model_arguments(parser) -> None:
    group = parser.add_argument_group("model: a preset, a parameter count or a shape")
    group.add_argument("--model", help=f"preset: {', '.join(presets())}")
    group.add_argument("--params", type=float, help="total parameters, e.g. 70e9")
    group.add_argument("--active-params", type=float, help="active parameters per token (mixture of experts)")
    for flag in SHAPE_FLAGS:
        group.add_argument(f"--{flag.replace('_', '-')}", type=float)
    group.add_argument("--mlp", choices=("swiglu", "gelu"), default="swiglu")
    group.add_argument("--tied-embeddings", action="store_true")


def _architecture(args) -> Architecture | None:
    shape = {flag: getattr(args, flag) for flag in SHAPE_FLAGS if getattr(args, flag) is not None}
    if args.model and (shape or args.params is not None):
        raise EstimateInputError("model: give a preset, or a parameter count or shape, not both")
    if args.model:
        return preset(args.model)
    if not shape:
        if args.params is None:
            raise EstimateInputError("params: give --model PRESET, --params N or the shape flags")
        return None
    if args.params is not None:
        raise EstimateInputError("params: give the shape or --params, not both")
    missing = [flag for flag in ("layers", "hidden", "heads", "vocab") if flag not in shape]
    if missing:
        raise EstimateInputError(f"{missing[0]}: required with the shape flags (--layers --hidden --heads --vocab)")
    return Architecture(**shape, mlp=args.mlp, tied_embeddings=args.tied_embeddings)


def _train_parser(prog: str):
    from core.cli import ArgumentParser

    parser = ArgumentParser(prog=prog, description="Training cost estimate with a band.")
    _model_arguments(parser)
    parser.add_argument("--tokens", type=float, help="training tokens (default: 20 per parameter; 100M to fine-tune)")
    parser.add_argument("--gpu", required=True, help="catalog name or an unambiguous part of one")
    parser.add_argument("--gpus", type=float, help="GPU count (default: finish in about 90 days, as the batch allows)")
    parser.add_argument("--mfu", type=float, help="model FLOPs utilization, 0-1 (default: fitted per GPU and size)")
    parser.add_argument("--price", type=float, help="USD per GPU-hour (default: catalog)")
    parser.add_argument("--pricing", default="on_demand", choices=("on_demand", "reserved", "spot"))
    parser.add_argument("--precision", help=f"one of {', '.join(PRECISIONS)} (default: BF16, or FP16 without it)")
    parser.add_argument("--pue", type=float, default=DEFAULT_PUE)
    parser.add_argument("--carbon", type=float, default=DEFAULT_CARBON_KG_PER_KWH, help="grid kg CO2 per kWh")
    parser.add_argument("--context", type=float, help="training sequence length (default: the preset's, else 4096)")
    parser.add_argument("--mode", default="full", choices=MODES, help="full training, LoRA or QLoRA fine-tuning")
    parser.add_argument("--lora-rank", type=float, default=16)
    parser.add_argument("--zero", type=float, help="ZeRO stage 0-3 (default: the lowest that fits)")
    parser.add_argument("--tp", type=float, help="tensor-parallel degree (1, 2, 4 or 8)")
    parser.add_argument("--pp", type=float, help="pipeline-parallel degree (divides the layers)")
    parser.add_argument("--recompute", default="selective", choices=RECOMPUTE_CHOICES)
    parser.add_argument("--micro-batch", type=float, default=1)
    parser.add_argument("--global-batch", type=float, help="tokens per optimizer step (default: by model size)")
    parser.add_argument("--target-days", type=float, default=DEFAULT_TARGET_DAYS)
    for knob, value in DEFAULT_OVERHEADS.items():
        parser.add_argument(f"--{knob.replace('_', '-')}", type=float, default=value, help="share of the run")
    parser.add_argument("--ablations", type=float, default=DEFAULT_ABLATION_MULTIPLE,
                        help="experiments before the final run, as a multiple of it")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _serve_parser(prog: str):
    from core.cli import ArgumentParser

    parser = ArgumentParser(prog=prog, description="Serving latency and cost at a stated traffic.")
    _model_arguments(parser)
    parser.add_argument("--gpu", required=True, help="catalog name or an unambiguous part of one")
    parser.add_argument("--batch", type=float, default=16, help="concurrent sequences per replica")
    parser.add_argument("--context", type=float, default=DEFAULT_CONTEXT, help="tokens of KV cache per sequence")
    parser.add_argument("--prompt-tokens", type=float, default=500)
    parser.add_argument("--output-tokens", type=float, default=500)
    parser.add_argument("--requests-per-day", type=float, default=10_000)
    parser.add_argument("--peak-to-average", type=float, default=2.0, help="busiest hour ÷ average")
    parser.add_argument("--gpus-per-replica", type=float)
    parser.add_argument("--weight-precision", help=f"one of {', '.join(SERVING_PRECISIONS)}")
    parser.add_argument("--kv-precision", help="bf16, fp16, fp8 or int8")
    parser.add_argument("--mbu", type=float, default=DEFAULT_MBU, help="share of HBM bandwidth decode reaches")
    parser.add_argument("--price", type=float, help="USD per GPU-hour (default: catalog)")
    parser.add_argument("--pricing", default="on_demand", choices=("on_demand", "reserved", "spot"))
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _training_inputs(args, gpu) -> TrainingInputs:
    architecture = _architecture(args)
    return TrainingInputs(
        params=None if architecture else args.params, gpu=gpu, architecture=architecture,
        active_params=None if architecture else args.active_params, tokens=args.tokens, gpus=args.gpus,
        mfu=args.mfu, price_per_hour=args.price, pricing=args.pricing,
        precision=args.precision.lower() if args.precision else None, pue=args.pue, carbon_kg_per_kwh=args.carbon,
        context=args.context, mode=args.mode, lora_rank=args.lora_rank, zero_stage=args.zero,
        tensor_parallel=args.tp, pipeline_parallel=args.pp, recompute=args.recompute, micro_batch=args.micro_batch,
        global_batch_tokens=args.global_batch, target_days=args.target_days,
        checkpoint_overhead=args.checkpoint_overhead, failure_overhead=args.failure_overhead,
        eval_overhead=args.eval_overhead, ablation_multiple=args.ablations,
    )  # fmt: skip


def _serving_inputs(args, gpu) -> ServingInputs:
    architecture = _architecture(args)
    return ServingInputs(
        params=None if architecture else args.params, gpu=gpu, architecture=architecture,
        active_params=None if architecture else args.active_params, batch=args.batch, context=args.context,
        prompt_tokens=args.prompt_tokens, output_tokens=args.output_tokens, requests_per_day=args.requests_per_day,
        peak_to_average=args.peak_to_average, gpus_per_replica=args.gpus_per_replica,
        weight_precision=args.weight_precision.lower() if args.weight_precision else None,
        kv_precision=args.kv_precision.lower() if args.kv_precision else None, mbu=args.mbu,
        price_per_hour=args.price, pricing=args.pricing,
    )  # fmt: skip


def _print_json(data) -> None:
    from core.cli import strict_json

    print(strict_json(data))


def _train_line(result: dict) -> str:
    from core.formatting import compact, duration, money, money_range

    layout = result["layout"]
    return (
        f"{result['gpu']}: {result['training_flops']:.3g} FLOPs, {compact(result['gpu_hours'])} GPU-hours "
        f"({compact(result['gpu_hours_low'])}-{compact(result['gpu_hours_high'])}) at MFU {result['mfu']:.0%}; "
        f"{duration(result['wall_hours'])} on {result['gpus']:,} GPUs (TP {layout['tensor_parallel']} × PP "
        f"{layout['pipeline_parallel']} × DP {layout['data_parallel']}, ZeRO-{layout['zero_stage']}); "
        f"{money(result['cost_usd'])} ({money_range(result['cost_usd_low'], result['cost_usd_high'])}); "
        f"{layout['memory_per_gpu_gb']:,.0f} GB per GPU, at least {result['min_gpus']} GPU(s)"
    )


def _serve_line(result: dict) -> str:
    from core.formatting import milliseconds, money

    return (
        f"{result['gpu']}: {result['gpus_per_replica']} GPU(s) per replica (TP {result['tensor_parallel']} × PP "
        f"{result['pipeline_parallel']}), {result['replicas']} replica(s); "
        f"first token {milliseconds(result['ttft_ms'])}, "
        f"{milliseconds(result['tpot_ms'])} per output token; utilization {result['utilization']:.0%}; "
        f"{money(result['usd_per_million_input_tokens'])}/M input, {money(result['usd_per_million_output_tokens'])}/M "
        f"output; {money(result['monthly_cost_usd'])}/month ({money(result['monthly_cost_low'])}-"
        f"{money(result['monthly_cost_high'])})"
    )


def calibration() -> dict:
    from core.compute.holdout import score
    from core.compute.mfu import leave_one_out, leave_one_out_summary, mfu_rules

    rules = {
        name: {
            "mfu_at_10b": math.exp(rule.intercept), "slope": rule.slope, "min_size": rule.min_params,
            "max_size": rule.max_params, "band_low_ratio": rule.low_ratio, "band_high_ratio": rule.high_ratio,
            "source": rule.source, "runs": rule.runs,
        }
        for name, rule in mfu_rules().items()
    }  # fmt: skip
    return {
        "rules": rules,
        "leave_one_out": {**leave_one_out_summary(), "runs_detail": list(leave_one_out())},
        "holdout": score(),
    }


def main(argv: list[str] | None = None) -> int:
    import sys

    from core.cli import exit_with_error

    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and argv[0] in ("train", "serve", "presets", "calibration") else "train"
    if argv and argv[0] == command:
        argv = argv[1:]
    if command in ("presets", "calibration"):
        from core.cli import ArgumentParser

        parser = ArgumentParser(prog=f"python -m core.estimate {command}")
        parser.add_argument("--json", action="store_true")
        args = parser.parse_args(argv)
        if command == "presets":
            data = [
                {**shape.as_dict(), "params": shape.params(), "active_params": shape.active_params()}
                for shape in presets().values()
            ]
            if args.json:
                _print_json(data)
            else:
                for row in data:
                    print(f"{row['name']:16} {row['params'] / 1e9:8.2f}B ({row['active_params'] / 1e9:.2f}B active)  "
                          f"{row['source']}")  # fmt: skip
            return 0
        data = calibration()
        if args.json:
            _print_json(data)
        else:
            loo, holdout = data["leave_one_out"], data["holdout"]
            print(f"leave-one-out over {loo['runs']} runs: median {loo['median_abs_error']:.1%}, worst "
                  f"{loo['max_abs_error']:.1%}; held out ({len(holdout['runs'])} runs): median "
                  f"{holdout['median_abs_error']:.1%}, worst {holdout['max_abs_error']:.1%}, band covers "
                  f"{holdout['band_coverage']:.0%}")  # fmt: skip
        return 0
    prog = f"python -m core.estimate {command}"
    args = (_serve_parser if command == "serve" else _train_parser)(prog).parse_args(argv)

    from core.compute.gpus import GpuLookupError, resolve_gpu

    try:
        gpu = resolve_gpu(args.gpu)
        if command == "serve":
            result = estimate_serving(_serving_inputs(args, gpu))
        else:
            result = estimate_training(_training_inputs(args, gpu))
    except (GpuLookupError, EstimateInputError, ArchitectureError) as exc:
        exit_with_error(str(exc.args[0]) if exc.args else str(exc))
    except ArithmeticError:  # inputs within every bound whose combination still overflows
        from core.cli import NOT_FINITE

        exit_with_error(NOT_FINITE)
    if args.json:
        _print_json(result)
    else:
        print(_serve_line(result) if command == "serve" else _train_line(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
