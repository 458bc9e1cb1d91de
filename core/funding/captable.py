"""Cap table after every equity event: post-money SAFEs, priced rounds with the option-pool shuffle, exit waterfall.

Conversion is solved exactly in rational arithmetic, then rounded the way the YC Post-Money Safe User Guide does:
- every issue of shares (SAFE conversion shares, new-money shares) is rounded DOWN to a whole share;
- the pool top-up is rounded UP, so the unissued pool reaches at least its target;
- Company Capitalization is reported rounded down; prices are exact (the guide prints them truncated).
Company Capitalization for the Safe Price counts every share, option and unissued option before the round plus all
converting SAFEs' own shares, and leaves out the round's pool increase. The round price counts the pool increase in
the pre-money (the option-pool shuffle), so price, pool and SAFE shares depend on each other: with u = 1/price,
  CC = S + k*CC + u*D            (k = sum of amount/cap over SAFEs at their cap, D = sum of amount/(1-discount)
                                  over SAFEs at the round or discount price)
  CC + X = pre * u,  pool + X = target * (pre + amount) * u   (X: pool increase)
which is linear in CC and u and has a closed form. Which price each SAFE converts at (the one giving more shares)
is settled by re-solving until no SAFE changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from core.funding.model import Priced, Safe, Scenario, ScenarioError

COMMON = "Common"
FOUNDERS = "Founders"
OTHER_COMMON = "Other common & issued options"
POOL = "Unissued option pool"


def exact(value: float | int) -> Fraction:
    """The decimal the user typed (0.1 is one tenth, not the nearest binary float)."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def floor_int(value: Fraction) -> int:
    return math.floor(value)


@dataclass
class Holder:
    name: str
    kind: str  # common | safe | preferred
    shares: int
    invested: float = 0.0
    preference: float = 0.0  # 1x non-participating liquidation preference, in dollars


@dataclass
class CapTable:
    holders: list[Holder] = field(default_factory=list)
    pool: int = 0

    @property
    def outstanding(self) -> int:
        """Issued shares plus the unissued pool: the fully diluted count before any unconverted SAFE."""
        return sum(h.shares for h in self.holders) + self.pool

    def copy(self) -> CapTable:
        return CapTable([Holder(**vars(h)) for h in self.holders], self.pool)


def opening_cap_table(scenario: Scenario) -> CapTable:
    equity = scenario.equity
    holders = []
    if equity.founder_shares is None:
        holders.append(Holder(COMMON, "common", equity.common_shares))
    else:
        holders.append(Holder(FOUNDERS, "common", equity.founders))
        if equity.common_shares > equity.founders:
            holders.append(Holder(OTHER_COMMON, "common", equity.common_shares - equity.founders))
    return CapTable(holders, equity.unused_options)


@dataclass
class PendingSafe:
    name: str
    month: int
    amount: Fraction
    cap: Fraction | None
    discount: Fraction


def _holder_rows(table: CapTable, pending: list[PendingSafe] | None = None, as_converted: dict | None = None) -> dict:
    total = table.outstanding + sum((as_converted or {}).values())
    rows = [
        {"name": h.name, "kind": h.kind, "shares": h.shares, "percent": 100.0 * h.shares / total if total else 0.0}
        for h in table.holders
    ]
    for safe in pending or []:
        shares = (as_converted or {}).get(safe.name)
        rows.append(
            {
                "name": safe.name,
                "kind": "safe",
                "shares": shares,
                "percent": 100.0 * shares / total if shares is not None and total else None,
                "converted": False,
            }
        )
    rows.append(
        {"name": POOL, "kind": "pool", "shares": table.pool, "percent": 100.0 * table.pool / total if total else 0}
    )
    return {"holders": rows, "shares": {row["name"]: row["shares"] for row in rows}}


def _safe_view(table: CapTable, pending: list[PendingSafe], event: PendingSafe, field_name: str) -> dict:
    """A post-money SAFE's own promise: with every capped SAFE converted at its cap, amount/cap of the company."""
    capped = [s for s in pending if s.cap is not None]
    fraction = sum((s.amount / s.cap for s in capped), Fraction(0))
    if fraction >= 1:
        raise ScenarioError(f"{field_name}.post_money_cap: the SAFEs outstanding would own 100% or more")
    capitalization = Fraction(table.outstanding) / (1 - fraction)
    as_converted = {s.name: floor_int(s.amount * capitalization / s.cap) for s in capped}
    price = event.cap / capitalization if event.cap is not None else None
    return {
        "price_per_share": float(price) if price is not None else None,
        "total_shares": table.outstanding + sum(as_converted.values()),
        "options": table.pool,
        "post_money": float(event.cap) if event.cap is not None else None,
        "company_capitalization": floor_int(capitalization),
        "as_converted": True,
        **_holder_rows(table, pending, as_converted),
    }


def _solve_round(
    outstanding: int, pool: int, pre: Fraction, amount: Fraction, target: Fraction | None, safes: list[PendingSafe]
) -> dict:
    """Exact price, pool increase, Company Capitalization and SAFE prices for one priced round."""
    post = pre + amount
    at_cap = {s.name: s.cap is not None for s in safes}
    use_pool_target = target is not None and target > 0
    for _ in range(2 * len(safes) + 4):
        k = sum((s.amount / s.cap for s in safes if at_cap[s.name]), Fraction(0))
        d = sum((s.amount / (1 - s.discount) for s in safes if not at_cap[s.name]), Fraction(0))
        if k >= 1:
            raise ScenarioError("rounds: the converting SAFEs' caps give them 100% or more of the company")
        if use_pool_target:
            e = pre - target * post
            denominator = e * (1 - k) - d
            u = (outstanding - pool * (1 - k)) / denominator if denominator > 0 else None
            increase = target * post * u - pool if u is not None else None
            if u is not None and increase < 0:
                use_pool_target = False
                continue
        if not use_pool_target:
            denominator = pre * (1 - k) - d
            u = Fraction(outstanding) / denominator if denominator > 0 else None
            increase = Fraction(0)
        if u is None or u <= 0:
            raise ScenarioError("rounds: SAFEs, pool target and new money leave nothing for existing holders")
        capitalization = (outstanding + u * d) / (1 - k)
        price = 1 / u
        changed = False
        for s in safes:
            cap_price = s.cap / capitalization if s.cap is not None else None
            round_price = price * (1 - s.discount)
            wants_cap = cap_price is not None and cap_price < round_price
            if wants_cap != at_cap[s.name]:
                at_cap[s.name] = wants_cap
                changed = True
        if not changed:
            break
    conversions = []
    for s in safes:
        if at_cap[s.name]:
            conversion_price, basis = s.cap / capitalization, "cap"
        else:
            conversion_price, basis = price * (1 - s.discount), "discount" if s.discount > 0 else "round price"
        conversions.append((s, conversion_price, basis, floor_int(s.amount / conversion_price)))
    return {"price": price, "increase": increase, "capitalization": capitalization, "conversions": conversions}


def build_cap_tables(scenario: Scenario) -> tuple[list[dict], CapTable, list[PendingSafe]]:
    """One entry per SAFE or priced round in month order; the final table; SAFEs still unconverted at the end."""
    premium = exact(scenario.brand.valuation_premium)
    multiplier = 1 + premium
    table = opening_cap_table(scenario)
    pending: list[PendingSafe] = []
    entries: list[dict] = []
    order = sorted(range(len(scenario.rounds)), key=lambda i: (scenario.rounds[i].month, i))
    for index in order:
        event = scenario.rounds[index]
        name = scenario.event_name(index)
        field_name = f"rounds[{index}]"
        base = {"round": name, "kind": event.kind, "month": event.month, "amount": event.amount}
        if isinstance(event, Safe):
            safe = PendingSafe(
                name=name,
                month=event.month,
                amount=exact(event.amount),
                cap=exact(event.post_money_cap) * multiplier if event.post_money_cap is not None else None,
                discount=exact(event.discount or 0.0),
            )
            pending.append(safe)
            entries.append(
                {
                    **base,
                    "post_money_cap": float(safe.cap) if safe.cap else None,
                    "discount": event.discount,
                    **_safe_view(table, pending, safe, field_name),
                }
            )
        elif isinstance(event, Priced):
            entries.append({**base, **_priced_round(table, pending, event, name, multiplier, field_name)})
            pending = []
    return entries, table, pending


def _priced_round(
    table: CapTable, pending: list[PendingSafe], event: Priced, name: str, multiplier: Fraction, field_name: str
) -> dict:
    pre = exact(event.pre_money) * multiplier
    amount = exact(event.amount)
    target = exact(event.pool_target) if event.pool_target is not None else None
    outstanding_before = table.outstanding
    try:
        solved = _solve_round(outstanding_before, table.pool, pre, amount, target, pending)
    except ScenarioError as exc:
        raise ScenarioError(f"{field_name}.pre_money: {str(exc).removeprefix('rounds: ')}") from None
    price = solved["price"]
    increase = math.ceil(solved["increase"])
    new_shares = floor_int(amount / price)
    converted = []
    for safe, conversion_price, basis, shares in solved["conversions"]:
        table.holders.append(Holder(safe.name, "preferred", shares, float(safe.amount), float(safe.amount)))
        converted.append(
            {"round": safe.name, "shares": shares, "conversion_price": float(conversion_price), "basis": basis}
        )
    table.pool += increase
    table.holders.append(Holder(name, "preferred", new_shares, float(amount), float(amount)))
    return {
        "pre_money": float(pre),
        "post_money": float(pre + amount),
        "pool_target": event.pool_target,
        "price_per_share": float(price),
        "price_per_share_guide": math.floor(price * 10_000) / 10_000,
        "total_shares": table.outstanding,
        "options": table.pool,
        "pool_increase": increase,
        "new_shares": new_shares,
        "shares_before": outstanding_before,
        "company_capitalization": floor_int(solved["capitalization"]) if pending else None,
        "converted_safes": converted,
        "as_converted": False,
        **_holder_rows(table),
    }


def exit_classes(table: CapTable, pending: list[PendingSafe]) -> list[Holder]:
    """Who shares an exit: issued shares (the unissued pool gets nothing) and unconverted SAFEs at their cap."""
    classes = [Holder(**vars(h)) for h in table.holders if h.shares > 0 or h.preference > 0]
    capped = [s for s in pending if s.cap is not None]
    fraction = sum((s.amount / s.cap for s in capped), Fraction(0))
    capitalization = Fraction(table.outstanding) / (1 - fraction) if fraction < 1 else Fraction(table.outstanding)
    for safe in pending:
        shares = floor_int(safe.amount * capitalization / safe.cap) if safe.cap is not None else 0
        classes.append(Holder(safe.name, "safe", shares, float(safe.amount), float(safe.amount)))
    return classes


def waterfall(classes: list[Holder], exit_value: float) -> dict[str, float]:
    """Payouts under 1x non-participating preferences, pari passu: each preferred class takes the greater of its
    preference or converting to common; classes convert in order of lowest preference per share first."""
    value = max(float(exit_value), 0.0)
    preferred = [c for c in classes if c.preference > 0]
    converting = {c.name for c in classes if c.preference <= 0}
    order = sorted(preferred, key=lambda c: c.preference / c.shares if c.shares else math.inf)
    while True:
        payouts = _distribute(classes, converting, value)
        switch = next(
            (
                c
                for c in order
                if c.name not in converting
                and c.shares > 0
                and _as_converted(classes, converting, c, value) > payouts[c.name]
            ),
            None,
        )
        if switch is None:
            return payouts
        converting.add(switch.name)


def _as_converted(classes: list[Holder], converting: set[str], candidate: Holder, value: float) -> float:
    return _distribute(classes, converting | {candidate.name}, value)[candidate.name]


def _distribute(classes: list[Holder], converting: set[str], value: float) -> dict[str, float]:
    payouts = {c.name: 0.0 for c in classes}
    holding_prefs = [c for c in classes if c.name not in converting]
    preference_total = sum(c.preference for c in holding_prefs)
    if preference_total >= value:
        for c in holding_prefs:
            payouts[c.name] = value * c.preference / preference_total if preference_total else 0.0
        return payouts
    for c in holding_prefs:
        payouts[c.name] = c.preference
    rest = value - preference_total
    sharing = [c for c in classes if c.name in converting]
    shares = sum(c.shares for c in sharing)
    for c in sharing:
        payouts[c.name] = rest * c.shares / shares if shares else 0.0
    return payouts
