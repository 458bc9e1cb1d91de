"""Who is paid what at an exit: liquidation preferences by seniority, participation (capped or not), conversion
decisions, and SAFEs and notes that never converted.

Order of payment: unconverted notes are debt and come first (principal plus interest, or conversion at their cap
if that pays more). Then preferences, highest seniority first; classes of equal seniority share a shortfall in
proportion to their preferences. Unconverted SAFEs take their purchase amount on par with the most junior
preferred, or convert. What is left goes to common, to every class that converted, and to participating classes
(each up to its participation cap, total preference included). Every class with a preference converts to common
when that pays it more, given what the others do; classes are tried in order of preference per share until none
wants to change.

An unconverted SAFE converts at an exit by its own terms (YC post-money SAFE, Liquidity Event): with a cap, at cap /
Liquidity Capitalization (issued shares and options plus converting SAFEs and notes, without the unissued pool);
without one, at the exit's price per share less its discount, so it is worth about amount / (1 - discount).
"""

from __future__ import annotations

import math
from fractions import Fraction

from core.funding.captable import CapTable, Holder, PendingSafe

DEBT_SENIORITY = 1_000_000
TOLERANCE = 1e-9


def exit_classes(table: CapTable, pending: list[PendingSafe], month: int | None = None) -> list[Holder]:
    """Who shares an exit: issued shares (the unissued pool gets nothing), unconverted SAFEs and notes."""
    classes = [Holder(**vars(h)) for h in table.holders if h.shares > 0 or h.preference > 0]
    issued = Fraction(sum(h.shares for h in table.holders))
    preferred = [h.seniority for h in table.holders if h.preference > 0]
    junior = min(preferred) if preferred else 0
    at = {p.name: p.owed(p.month if month is None else max(month, p.month)) for p in pending}
    fixed, post = {}, Fraction(0)
    for safe in pending:
        best = safe.best_cap()
        if best is None:
            continue
        if best[1] == "post":
            post += at[safe.name] / best[0]
        else:
            fixed[safe.name] = at[safe.name] * issued / best[0]
    capitalization = (issued + sum(fixed.values(), Fraction(0))) / (1 - post) if post < 1 else issued
    for safe in pending:
        best = safe.best_cap()
        owed = at[safe.name]
        if best is None:
            shares, exit_discount = 0, (float(safe.best_discount()) if safe.kind == "safe" else None)
        else:
            shares = math.floor(owed * capitalization / best[0]) if best[1] == "post" else math.floor(fixed[safe.name])
            exit_discount = None
        seniority = DEBT_SENIORITY if safe.kind == "note" else junior
        classes.append(
            Holder(
                safe.name,
                safe.kind,
                shares,
                float(safe.amount),
                float(owed),
                seniority=seniority,
                exit_discount=exit_discount,
            )
        )
    return classes


def _exit_shares(classes: list[Holder], value: float) -> list[Holder]:
    """Uncapped SAFEs' shares at this exit: amount / ((1 - d) x exit price per share), that price counting them."""
    uncapped = [c for c in classes if c.exit_discount is not None]
    if not uncapped:
        return classes
    base = sum(c.shares for c in classes if c.exit_discount is None)
    claims = sum(c.preference / (1 - c.exit_discount) for c in uncapped)
    resolved = []
    for c in classes:
        if c.exit_discount is not None:
            c = Holder(**vars(c))
            c.shares = c.preference / (1 - c.exit_discount) * base / (value - claims) if value > claims else 0
        resolved.append(c)
    return resolved


def waterfall(classes: list[Holder], exit_value: float) -> dict[str, float]:
    """Payout per class at one exit value; the classes' conversion decisions are settled first."""
    value = max(float(exit_value), 0.0)
    classes = _exit_shares(classes, value)
    holding = {c.name for c in classes if c.preference > 0}
    order = sorted(
        (c for c in classes if c.preference > 0), key=lambda c: c.preference / c.shares if c.shares else math.inf
    )
    payouts = _distribute(classes, holding, value)
    for _ in range(4 * len(order) + 4):
        switch = None
        for c in order:
            if c.name in holding and c.shares <= 0:
                continue
            flipped = holding ^ {c.name}
            trial = _distribute(classes, flipped, value)
            if trial[c.name] > payouts[c.name] + TOLERANCE * max(1.0, payouts[c.name]):
                switch = flipped, trial
                break
        if switch is None:
            break
        holding, payouts = switch
    return payouts


def _distribute(classes: list[Holder], holding: set[str], value: float) -> dict[str, float]:
    """Payouts when the classes in `holding` keep their preference and every other class is common."""
    payouts = {c.name: 0.0 for c in classes}
    remaining = value
    preferred = [c for c in classes if c.name in holding]
    for rank in sorted({c.seniority for c in preferred}, reverse=True):
        tier = [c for c in preferred if c.seniority == rank]
        owed = sum(c.preference for c in tier)
        if owed >= remaining:
            for c in tier:
                payouts[c.name] = remaining * c.preference / owed if owed else 0.0
            return payouts
        for c in tier:
            payouts[c.name] = c.preference
        remaining -= owed
    sharing = [c for c in classes if (c.name not in holding or c.participating) and c.shares > 0]
    while sharing and remaining > TOLERANCE:
        shares = sum(c.shares for c in sharing)
        per_share = remaining / shares
        capped = [
            c
            for c in sharing
            if c.name in holding
            and c.participation_cap is not None
            and payouts[c.name] + per_share * c.shares > c.participation_cap
        ]
        if not capped:
            for c in sharing:
                payouts[c.name] += per_share * c.shares
            return payouts
        for c in capped:
            take = max(c.participation_cap - payouts[c.name], 0.0)
            payouts[c.name] += take
            remaining -= take
            sharing.remove(c)
    return payouts


def class_payouts(classes: list[Holder], payouts: dict[str, float]) -> dict[str, float]:
    """Payouts summed by class: common and options together, each preferred series, each SAFE or note."""
    totals: dict[str, float] = {}
    for c in classes:
        group = "Common & options" if c.kind in ("common", "options") else (c.series or c.name)
        totals[group] = totals.get(group, 0.0) + payouts.get(c.name, 0.0)
    return totals
