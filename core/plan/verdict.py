"""Does the plan hold? Four explicit tests, each with its threshold, the figure that decides it and, when it fails,
a suggested fix with a number in it.

1. Money: cash, raises, credits and revenue through the end of the covered serving months pay for training, those
   months of serving, the team and everything else.
2. Cushion: before every raise after month 0 the cash would still last `min_cushion_months` without it.
3. Survival: at least `min_survival_probability` of the Monte Carlo paths are alive at the survival month.
4. Founders: they keep at least `min_founder_ownership` (fully diluted) after the founder round (default: the
   first priced round, the Seed).
"""

from __future__ import annotations

import math

from core.formatting import money, months, percent
from core.plan import adapter
from core.plan.model import PlanError, Thresholds

PRE_MONEY_SEARCH_STEPS = 40


def _check(test: str, label: str, passed: bool, value, threshold, sentence: str, fix: str | None) -> dict:
    return {
        "test": test,
        "label": label,
        "passed": bool(passed),
        "value": value,
        "threshold": threshold,
        "sentence": sentence,
        "fix": None if passed else fix,
    }


def money_check(scenario, thresholds: Thresholds, training: dict, serving: dict) -> dict:
    serving_from = scenario.costs.compute.serving_from
    window = serving_from + thresholds.serving_months_covered
    flows = adapter.money_through(scenario, window)
    balance = flows["available"] - flows["needed"]
    other = flows["other"] + flows["other_compute"]
    parts = (
        f"training {money(flows['training'])}, {thresholds.serving_months_covered} months of serving "
        f"{money(flows['serving'])}, team {money(flows['team'])}, other {money(other)}"
    )
    sentence = (
        f"Through month {window} (serving from month {serving_from} plus {thresholds.serving_months_covered} months) "
        f"the plan has {money(flows['available'])} (cash, raises, credits and revenue) against "
        f"{money(flows['needed'])} needed ({parts}): "
        + (f"{money(balance)} to spare." if balance >= 0 else f"{money(-balance)} short.")
    )
    fix = None
    if balance < 0:
        short = -balance
        options = [f"raise {money(short)} more (a bigger SAFE)"]
        if training["cost_usd"] > 0:
            if short < flows["training"]:
                price = training["price_per_hour_usd"] * (1 - short / flows["training"])
                options.append(
                    f"cut the training run by {money(short)} (a smaller model or fewer tokens, or spot pricing at "
                    f"{money(price)}/GPU-hour instead of {money(training['price_per_hour_usd'])})"
                )
            else:
                options.append("train a much smaller model: the whole run costs less than the shortfall")
        if serving["gpus_needed"] > 1:
            options.append(f"serve on fewer than {serving['gpus_needed']} GPUs (smaller model, int8 or fp8 weights)")
        options.append("hire later")
        fix = "; or ".join(options) + "."
        fix = fix[0].upper() + fix[1:]
    return _check("money", "Money covers training, serving and the team", balance >= 0, balance, 0.0, sentence, fix)


def cushion_check(scenario, funding: dict, thresholds: Thresholds) -> dict:
    """The funding analysis's cushion before each raise: months the cash lasts past the raise's month with only the
    raises before it (None: it never runs out)."""
    limit = thresholds.min_cushion_months
    label = f"At least {limit:g} months of cash before every raise"
    rows = funding["cushion_before_raises"]
    if not rows:
        sentence = "No raise after month 0, so no plan depends on a round closing on time."
        return _check("cushion", label, True, None, limit, sentence, None)

    def cushion(row: dict) -> float:
        return math.inf if row["cushion_months"] is None else row["cushion_months"]

    listed = ", ".join(
        f"{row['round']} (month {row['month']}) "
        + ("never short" if row["cushion_months"] is None else f"{row['cushion_months']:.1f}")
        for row in rows
    )
    worst = min(rows, key=cushion)
    if worst["cushion_months"] is None:
        sentence = f"Months of cash left if a raise did not come: {listed}: no raise is needed to stay alive."
        return _check("cushion", label, True, None, limit, sentence, None)
    value = worst["cushion_months"]
    sentence = (
        f"Months of cash left if a raise did not come: {listed}. The thinnest is {worst['round']} with "
        f"{months(value)} (threshold {limit:g})."
    )
    fix = None
    if value < limit:
        missing = limit - value
        burn = max(adapter.net_burn(scenario, worst["month"], max(1, math.ceil(missing))), 0.0)
        earlier = max(0, worst["month"] - math.ceil(missing))
        fix = (
            f"Close {worst['round']} by month {earlier} instead of {worst['month']}, or raise about "
            f"{money(missing * burn)} more before it (a bigger SAFE), or hire later to cut the "
            f"{money(burn)}/month burn."
        )
    return _check("cushion", label, value >= limit, value, limit, sentence, fix)


def survival_check(funding: dict, thresholds: Thresholds) -> dict:
    risk = funding.get("risk")
    limit = thresholds.min_survival_probability
    label = f"Survival probability at least {percent(limit, 0)}"
    if risk is None:
        return _check(
            "survival",
            label,
            False,
            None,
            limit,
            "The risk simulation was skipped (0 paths).",
            "Run the analysis with Monte Carlo paths.",
        )
    probability = risk["survival_probability"]
    sentence = (
        f"{percent(probability)} of {risk['paths']:,} simulated paths (growth, cost overrun, late or failed raises) "
        f"still have cash at month {risk['survival_month']} (threshold {percent(limit, 0)})."
    )
    fix = (
        "Lower the burn (spot pricing for training, a later hire) or raise more and earlier (a bigger SAFE); "
        f"the median path runs out at month {risk['runway_p50']:.0f}."
        if risk["runway_p50"] is not None
        else "Lower the burn (spot pricing, a later hire) or raise more and earlier (a bigger SAFE)."
    )
    return _check("survival", label, probability >= limit, probability, limit, sentence, fix)


def founder_round_index(scenario, thresholds: Thresholds) -> int | None:
    if thresholds.founder_round:
        wanted = thresholds.founder_round.strip().lower()
        for index in range(len(scenario.rounds)):
            if scenario.event_name(index).lower() == wanted:
                return index
        raise PlanError(
            f"thresholds.founder_round: the funding scenario has no round called {thresholds.founder_round!r}"
        )
    priced = [index for index, event in enumerate(scenario.rounds) if event.kind == "priced"]
    return min(priced, key=lambda index: (scenario.rounds[index].month, index)) if priced else None


def _pre_money_for(scenario, index: int, target: float) -> float | None:
    """The lowest pre-money (to 1%) at which founders keep `target` after the round, if one below 100× exists."""
    event = scenario.rounds[index]
    if event.pre_money is None:  # priced by price_per_share
        return None
    low, high = event.pre_money, event.pre_money * 100
    if adapter.founders_after(adapter.with_round(scenario, index, pre_money=high), index) < target:
        return None
    for _ in range(PRE_MONEY_SEARCH_STEPS):
        middle = math.sqrt(low * high)
        if adapter.founders_after(adapter.with_round(scenario, index, pre_money=middle), index) >= target:
            high = middle
        else:
            low = middle
        if high / low < 1.01:
            break
    return high


def founder_check(scenario, thresholds: Thresholds) -> dict:
    limit = thresholds.min_founder_ownership
    index = founder_round_index(scenario, thresholds)
    after = "after all rounds" if index is None else f"after {scenario.event_name(index)}"
    share = adapter.founders_after(scenario, index)
    label = f"Founders keep at least {percent(limit, 0)} {after}"
    if scenario.equity.common_shares + scenario.equity.unused_options == 0:
        return _check("founders", label, True, None, limit, "The scenario has no equity to dilute.", None)
    sentence = f"Founders hold {percent(share)} fully diluted {after} (threshold {percent(limit, 0)})."
    fix = None
    if share < limit:
        before = adapter.founders_after(scenario, None) if index is None else None
        if index is not None and scenario.rounds[index].kind == "priced":
            pre_money = _pre_money_for(scenario, index, limit)
            event = scenario.rounds[index]
            fix = (
                f"Raise {scenario.event_name(index)} at a pre-money of at least {money(pre_money)} (now "
                f"{money(event.pre_money)}), or raise less than {money(event.amount)}, or a smaller option pool."
                if pre_money
                else f"Raise less than {money(event.amount)} in {scenario.event_name(index)} or at a higher price; "
                "smaller or higher-capped SAFEs; or a smaller option pool."
            )
        else:
            fix = (
                f"Raise less, at higher caps or valuations, or a smaller option pool (now {percent(before or share)})."
            )
    return _check("founders", label, share >= limit, share, limit, sentence, fix)


def verdict(scenario, funding: dict, thresholds: Thresholds, training: dict, serving: dict) -> dict:
    checks = [
        money_check(scenario, thresholds, training, serving),
        cushion_check(scenario, funding, thresholds),
        survival_check(funding, thresholds),
        founder_check(scenario, thresholds),
    ]
    failing = [check for check in checks if not check["passed"]]
    reasons = [f"{check['sentence']} Suggested fix: {check['fix']}" for check in failing]
    reasons += [check["sentence"] for check in checks if check["passed"]]
    return {"holds": not failing, "reasons": reasons, "checks": checks}
