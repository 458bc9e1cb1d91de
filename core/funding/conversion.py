"""Solving one priced round: its price, the pool top-up, and the shares of every SAFE and note converting in it.

Exact arithmetic (the default). Unknowns: u = 1/price, X = pool increase, C = the post-money SAFE's Company
Capitalization (every share, option and unissued option before the round plus every converting security's shares,
without X) and P = the pre-money share count (C + X). With S the shares and options before the round (pool
included), each converting security's shares are linear in them, by the price it converts at:
  post-money SAFE at its cap:   amount x C / cap
  pre-money SAFE at its cap:    amount x (S + X) / cap        (its capitalization leaves out SAFEs and notes)
  note at its cap:              owed x P / cap                (cap price = round price x cap / pre-money)
  round price less discount d:  amount x u / (1 - d)
and C = S + their sum, P = C + X, pre-money x u = P (or u fixed by a given price), pool + X = target x (P + new
money x u). The 4x4 system is solved in fractions. Each security takes the lowest of its prices; which one is settled
by re-solving until none changes. A pool already above its target is left as it is. Shares are rounded down, the
pool increase up (the YC Post-Money Safe User Guide's convention).

Rounded ("rounding": {"price_decimals": N, "shares": "down"}): the legal-spreadsheet convention of 1984 Ventures'
cap-table library. For a trial total share count T: pool = max(floor(target x T), pool before); price = (pre-money
+ new money) / T rounded UP to N decimals; each investor's shares = floor(amount / price); C = T - new-money shares -
pool increase; each security's price = its lowest price rounded up to N decimals, its shares rounded down; the new T
is the sum of all of it. T is iterated from S until it repeats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from core.funding.model import ScenarioError

MAX_PASSES = 200


@dataclass
class Converting:
    """A SAFE or note converting in a round: its converting amount and the terms it may convert at."""

    name: str
    amount: Fraction
    caps: list[tuple[Fraction, str]] = field(default_factory=list)  # (cap, basis): basis post | pre | note
    discount: Fraction = Fraction(0)


@dataclass
class Conversion:
    security: Converting
    price: Fraction
    basis: str  # cap | discount | round price
    shares: int


@dataclass
class RoundSolution:
    price: Fraction
    pool_increase: int
    capitalization: Fraction
    pre_money_shares: Fraction
    conversions: list[Conversion]
    investor_shares: list[int]


def round_up(value: Fraction, decimals: int) -> Fraction:
    scale = 10**decimals
    return Fraction(math.ceil(value * scale), scale)


def solve_round(
    shares_before: int,
    pool_before: int,
    pre_money: Fraction | None,
    price: Fraction | None,
    investments: list[Fraction],
    target: Fraction | None,
    converting: list[Converting],
    price_decimals: int | None = None,
) -> RoundSolution:
    """Price, pool increase and conversions for a round; price_decimals selects the rounded convention."""
    if price_decimals is None:
        return _solve_exact(shares_before, pool_before, pre_money, price, investments, target, converting)
    return _solve_rounded(shares_before, pool_before, pre_money, price, investments, target, converting, price_decimals)


def _candidate_prices(security: Converting, u: Fraction, bases: dict[str, Fraction]) -> list[tuple[Fraction, str]]:
    prices = [(cap / bases[basis], f"cap:{number}") for number, (cap, basis) in enumerate(security.caps)]
    prices.append(((1 - security.discount) / u, "discount"))
    return prices


def _solve_exact(
    shares_before: int,
    pool_before: int,
    pre_money: Fraction | None,
    price: Fraction | None,
    investments: list[Fraction],
    target: Fraction | None,
    converting: list[Converting],
) -> RoundSolution:
    amount = sum(investments, Fraction(0))
    s = Fraction(shares_before)
    modes = {id(c): (f"cap:{_lowest_cap(c)}" if c.caps else "discount") for c in converting}
    use_target = target is not None and target > 0
    for _ in range(4 * len(converting) + 6):
        solved = _linear_solve(
            s, pool_before, pre_money, price, amount, target if use_target else None, converting, modes
        )
        if solved is None:
            raise ScenarioError("rounds: SAFEs, notes, pool target and new money leave nothing for existing holders")
        u, increase, capitalization, pre_shares = solved
        if use_target and increase < 0:
            use_target = False
            continue
        if u <= 0 or capitalization <= 0 or pre_shares <= 0:
            raise ScenarioError("rounds: SAFEs, notes, pool target and new money leave nothing for existing holders")
        bases = {"post": capitalization, "pre": s + increase, "note": pre_shares}
        changed = False
        for security in converting:
            best_price, best_mode = min(_candidate_prices(security, u, bases), key=lambda item: item[0])
            current = dict((mode, p) for p, mode in _candidate_prices(security, u, bases))[modes[id(security)]]
            if best_price < current:
                modes[id(security)] = best_mode
                changed = True
        if not changed:
            break
    conversions = []
    for security in converting:
        prices = dict((mode, p) for p, mode in _candidate_prices(security, u, bases))
        mode = modes[id(security)]
        basis = "cap" if mode.startswith("cap") else ("discount" if security.discount > 0 else "round price")
        conversions.append(Conversion(security, prices[mode], basis, math.floor(security.amount / prices[mode])))
    round_price = 1 / u
    return RoundSolution(
        price=round_price,
        pool_increase=math.ceil(increase),
        capitalization=capitalization,
        pre_money_shares=pre_shares,
        conversions=conversions,
        investor_shares=[math.floor(a / round_price) for a in investments],
    )


def _lowest_cap(security: Converting) -> int:
    return min(range(len(security.caps)), key=lambda number: security.caps[number][0])


def _linear_solve(
    s: Fraction,
    pool_before: int,
    pre_money: Fraction | None,
    price: Fraction | None,
    amount: Fraction,
    target: Fraction | None,
    converting: list[Converting],
    modes: dict[int, str],
) -> tuple[Fraction, Fraction, Fraction, Fraction] | None:
    """Solve for (u, X, C, P) with each security at its current mode; None when the system has no solution."""
    # the converting shares as constant + coefficients on (u, X, C, P)
    constant, on_u, on_x, on_c, on_p = (Fraction(0),) * 5
    for security in converting:
        mode = modes[id(security)]
        if mode == "discount":
            on_u += security.amount / (1 - security.discount)
            continue
        cap, basis = security.caps[int(mode.split(":")[1])]
        ratio = security.amount / cap
        if basis == "post":
            on_c += ratio
        elif basis == "pre":
            constant += ratio * s
            on_x += ratio
        else:
            on_p += ratio
    if on_c >= 1:
        raise ScenarioError("rounds: the converting SAFEs' post-money caps give them 100% or more of the company")
    # rows: C - sum = S;  P - X - C = 0;  price;  pool
    rows = [
        [-on_u, -on_x, 1 - on_c, -on_p, s + constant],
        [Fraction(0), Fraction(-1), Fraction(-1), Fraction(1), Fraction(0)],
    ]
    if price is not None:
        rows.append([Fraction(1), Fraction(0), Fraction(0), Fraction(0), 1 / price])
    else:
        rows.append([pre_money, Fraction(0), Fraction(0), Fraction(-1), Fraction(0)])
    if target is not None:
        rows.append([-target * amount, Fraction(1), Fraction(0), -target, -Fraction(pool_before)])
    else:
        rows.append([Fraction(0), Fraction(1), Fraction(0), Fraction(0), Fraction(0)])
    solution = _gauss(rows)
    return None if solution is None else tuple(solution)


def _gauss(rows: list[list[Fraction]]) -> list[Fraction] | None:
    size = len(rows)
    rows = [row[:] for row in rows]
    for column in range(size):
        pivot = next((r for r in range(column, size) if rows[r][column] != 0), None)
        if pivot is None:
            return None
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for r in range(size):
            if r != column and rows[r][column] != 0:
                factor = rows[r][column] / rows[column][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def _solve_rounded(
    shares_before: int,
    pool_before: int,
    pre_money: Fraction | None,
    price: Fraction | None,
    investments: list[Fraction],
    target: Fraction | None,
    converting: list[Converting],
    decimals: int,
) -> RoundSolution:
    total = shares_before
    seen: set[int] = set()
    for _ in range(MAX_PASSES):
        trial = _rounded_pass(
            shares_before, pool_before, pre_money, price, investments, target, converting, decimals, total
        )
        seen.add(total)
        if trial["total"] == total or trial["total"] in seen:
            total = trial["total"]
            break
        total = trial["total"]
    final = _rounded_pass(
        shares_before, pool_before, pre_money, price, investments, target, converting, decimals, total
    )
    return RoundSolution(
        price=final["price"],
        pool_increase=final["increase"],
        capitalization=Fraction(final["capitalization"]),
        pre_money_shares=Fraction(final["pre_shares"]),
        conversions=final["conversions"],
        investor_shares=final["investor_shares"],
    )


def _rounded_pass(
    shares_before: int,
    pool_before: int,
    pre_money: Fraction | None,
    price: Fraction | None,
    investments: list[Fraction],
    target: Fraction | None,
    converting: list[Converting],
    decimals: int,
    total: int,
) -> dict:
    amount = sum(investments, Fraction(0))
    if total <= 0:
        raise ScenarioError("rounds: SAFEs, notes, pool target and new money leave nothing for existing holders")
    pool = max(math.floor(target * total), pool_before) if target else pool_before
    increase = pool - pool_before
    round_price = price if price is not None else round_up((pre_money + amount) / total, decimals)
    investor_shares = [math.floor(a / round_price) for a in investments]
    new_money_shares = sum(investor_shares)
    capitalization = total - new_money_shares - increase
    pre_shares = total - new_money_shares
    if capitalization <= 0:
        raise ScenarioError("rounds: SAFEs, notes, pool target and new money leave nothing for existing holders")
    bases = {"post": Fraction(capitalization), "pre": Fraction(shares_before + increase), "note": Fraction(pre_shares)}
    conversions = []
    for security in converting:
        candidates = _candidate_prices(security, 1 / round_price, bases)
        lowest, mode = min(candidates, key=lambda item: item[0])
        conversion_price = round_up(lowest, decimals)
        basis = "cap" if mode.startswith("cap") else ("discount" if security.discount > 0 else "round price")
        conversions.append(
            Conversion(security, conversion_price, basis, math.floor(security.amount / conversion_price))
        )
    return {
        "total": shares_before + increase + sum(c.shares for c in conversions) + new_money_shares,
        "price": round_price,
        "increase": increase,
        "capitalization": capitalization,
        "pre_shares": pre_shares,
        "conversions": conversions,
        "investor_shares": investor_shares,
    }
