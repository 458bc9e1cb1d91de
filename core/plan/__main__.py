"""`python -m core.plan PLAN.json [--json] [--pitch-pack DIR]`: does the plan hold?

Prints the verdict with its reasons, runway, survival, lowest cash, the estimator's training cost, the serving bill,
founders' final share, the application's score and the reference run that backs the numbers. --pitch-pack DIR
also writes DIR/pitch.html (self-contained) and DIR/pitch.pdf (headless Chromium; skipped, with a note, when none
is installed).
"""

from __future__ import annotations

import json
import sys

from core.cli import ArgumentParser, exit_with_error
from core.formatting import money, months, percent


def _text_report(out: dict) -> str:
    lines = [
        f"Plan: {out['name']}",
        f"Holds: {'yes' if out['holds'] else 'no'}",
        f"Runway: {months(out['runway_months'], out['runway_beyond_months'])}; "
        f"out of cash by month {out['survival_month']}: {percent(out['p_out_of_cash'])}",
        f"Lowest cash: {money(out['lowest_cash_usd'])} in month {out['lowest_cash_month']}",
        f"Training: {money(out['training_cost_usd'])}; serving: {money(out['serving_monthly_usd'])}/month",
        f"Founders finally hold {percent(out['founder_ownership_final'])}",
        "Application score: "
        + ("none chosen" if out["application_score"] is None else f"{out['application_score']:.0f}/100"),
        "Reference run: "
        + ("none yet (python -m core.train)" if out["reference_run_id"] is None else f"#{out['reference_run_id']}"),
        "Reasons:",
    ]
    lines += [f"- {reason}" for reason in out["reasons"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m core.plan", description=__doc__.splitlines()[0])
    parser.add_argument("plan", help="plan JSON file (see examples/plans/)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--pitch-pack", metavar="DIR", help="write pitch.html and pitch.pdf into DIR")
    parser.add_argument("--paths", type=int, default=10_000, help="Monte Carlo paths (0 = skip the risk analysis)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.paths < 0:
        exit_with_error("--paths must be 0 or more")

    from core.applications.catalog import ScenarioError as CatalogError
    from core.plan.analysis import analyze_plan, headline
    from core.plan.model import PlanError
    from core.plan.store import load_plan_file

    try:
        result = analyze_plan(load_plan_file(args.plan), risk_paths=args.paths, seed=args.seed)
    except (PlanError, CatalogError) as exc:
        exit_with_error(str(exc))
    out = headline(result)
    if args.pitch_pack:
        from core.plan.pitch import PitchError, write_pitch_pack

        try:
            out["pitch_pack"] = write_pitch_pack(result, args.pitch_pack)
        except PitchError as exc:
            exit_with_error(str(exc))
    if args.json:
        json.dump(out, sys.stdout, allow_nan=False)
        sys.stdout.write("\n")
    else:
        print(_text_report(out))
        if args.pitch_pack:
            print(out["pitch_pack"]["message"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
