"""Cap table after every equity event: SAFEs (post-money, pre-money, MFN), convertible notes, option grants and
priced rounds with several investors, pro-rata rights and preference terms. How a round is solved is in
core/funding/conversion.py; who is paid what at an exit is in core/funding/waterfall.py.

Company Capitalization follows the post-money SAFE: every issued share, issued and promised option and the unissued
pool before the round, plus every converting security's shares, without the round's pool increase. A SAFE's or
note's own event row shows it as converted at its cap on the company as it stands then; once a priced round converts
it, the row shows the price it actually converted at. A note that reaches maturity before any priced round is repaid
(the cash flow pays it) or, with on_maturity "convert", converts into common at cap / fully diluted shares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from core.funding.conversion import Converting, solve_round
from core.funding.model import EQUITY_KINDS, Note, OptionGrant, Priced, Safe, Scenario, ScenarioError

COMMON = "Common"
FOUNDERS = "Founders"
OTHER_COMMON = "Other common"
ISSUED_OPTIONS = "Issued options"
PROMISED_OPTIONS = "Promised options"
POOL = "Unissued option pool"


def exact(value: float | int) -> Fraction:
    """The decimal the user typed (0.1 is one tenth, not the nearest binary float)."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


@dataclass
class Holder:
    """One line of the cap table and one class at an exit. preference and participation_cap are dollars."""

    name: str
    kind: str  # common | options | preferred | safe | note
    shares: int
    invested: float = 0.0
    preference: float = 0.0
    series: str | None = None  # the priced round whose terms it holds
    participating: bool = False
    participation_cap: float | None = None
    seniority: int = 0
    pro_rata: bool = False
    exit_discount: float | None = None  # an uncapped SAFE at an exit: converts at the exit price less this


@dataclass
class CapTable:
    holders: list[Holder] = field(default_factory=list)
    pool: int = 0

    @property
    def outstanding(self) -> int:
        """Issued shares, options and the unissued pool: the fully diluted count before any unconverted SAFE."""
        return sum(h.shares for h in self.holders) + self.pool

    def copy(self) -> CapTable:
        return CapTable([Holder(**vars(h)) for h in self.holders], self.pool)


@dataclass
class PendingSafe:
    """A SAFE or note not yet converted. basis: post | pre | note (how its cap turns into a price)."""

    name: str
    month: int
    amount: Fraction
    cap: Fraction | None
    discount: Fraction
    kind: str = "safe"
    basis: str = "post"
    mfn: bool = False
    pro_rata: bool = False
    interest_rate: Fraction = Fraction(0)
    maturity_month: int | None = None
    on_maturity: str = "repay"
    adopted: list[tuple[Fraction | None, str, Fraction]] = field(default_factory=list)  # MFN: later SAFEs' terms

    def owed(self, month: int) -> Fraction:
        """What converts at `month`: the amount, plus simple interest for a note."""
        return self.amount * (1 + self.interest_rate * Fraction(max(month - self.month, 0), 12))

    def caps(self) -> list[tuple[Fraction, str]]:
        caps = [(self.cap, self.basis)] if self.cap is not None else []
        caps += [(cap, basis) for cap, basis, _ in self.adopted if cap is not None]
        return caps

    def best_discount(self) -> Fraction:
        return max([self.discount] + [discount for _, _, discount in self.adopted])

    def best_cap(self) -> tuple[Fraction, str] | None:
        caps = self.caps()
        return min(caps, key=lambda item: item[0]) if caps else None


def opening_cap_table(scenario: Scenario) -> CapTable:
    equity = scenario.equity
    options = equity.issued_options + equity.promised_options
    holders = []
    if equity.founder_shares is None:
        holders.append(Holder(COMMON, "common", equity.common_shares - options))
    else:
        holders.append(Holder(FOUNDERS, "common", equity.founders))
        rest = equity.common_shares - equity.founders - options
        if rest > 0:
            holders.append(Holder(OTHER_COMMON, "common", rest))
    if equity.issued_options:
        holders.append(Holder(ISSUED_OPTIONS, "options", equity.issued_options))
    if equity.promised_options:
        holders.append(Holder(PROMISED_OPTIONS, "options", equity.promised_options))
    return CapTable(holders, equity.unused_options)


def as_converted(table: CapTable, pending: list[PendingSafe], month: int) -> tuple[dict[str, int | None], Fraction]:
    """Each pending SAFE's or note's shares if it converted at its cap now, and the Company Capitalization
    (uncapped ones have no share count before a priced round)."""
    outstanding = Fraction(table.outstanding)
    fixed, post = {}, Fraction(0)
    for safe in pending:
        best = safe.best_cap()
        if best is None:
            continue
        cap, basis = best
        if basis == "post":
            post += safe.owed(month) / cap
        else:
            fixed[safe.name] = safe.owed(month) * outstanding / cap
    if post >= 1:
        raise ScenarioError("rounds: the SAFEs outstanding would own 100% or more of the company")
    capitalization = (outstanding + sum(fixed.values(), Fraction(0))) / (1 - post)
    shares: dict[str, int | None] = {}
    for safe in pending:
        best = safe.best_cap()
        if best is None:
            shares[safe.name] = None
        elif best[1] == "post":
            shares[safe.name] = math.floor(safe.owed(month) * capitalization / best[0])
        else:
            shares[safe.name] = math.floor(fixed[safe.name])
    return shares, capitalization


def _holder_rows(table: CapTable, pending: list[PendingSafe] | None = None, converted: dict | None = None) -> dict:
    converted = converted or {}
    total = table.outstanding + sum(v for v in converted.values() if v is not None)
    rows = [
        {"name": h.name, "kind": h.kind, "shares": h.shares, "percent": 100.0 * h.shares / total if total else 0.0}
        for h in table.holders
    ]
    for safe in pending or []:
        shares = converted.get(safe.name)
        rows.append(
            {
                "name": safe.name,
                "kind": safe.kind,
                "shares": shares,
                "percent": 100.0 * shares / total if shares is not None and total else None,
                "converted": False,
            }
        )
    rows.append(
        {"name": POOL, "kind": "pool", "shares": table.pool, "percent": 100.0 * table.pool / total if total else 0}
    )
    return {"holders": rows, "shares": {row["name"]: row["shares"] for row in rows}}


def _pending_view(table: CapTable, pending: list[PendingSafe], event: PendingSafe, month: int) -> dict:
    """A SAFE's or note's row: the company as it stands, every capped SAFE and note converted at its cap."""
    shares, capitalization = as_converted(table, pending, month)
    best = event.best_cap()
    price = None
    if best is not None:
        base = capitalization if best[1] == "post" else Fraction(table.outstanding)
        price = best[0] / base
    return {
        "price_per_share": float(price) if price is not None else None,
        "estimated_price_per_share": float(price) if price is not None else None,
        "conversion_price": None,
        "converted_in": None,
        "total_shares": table.outstanding + sum(v for v in shares.values() if v is not None),
        "options": table.pool,
        "post_money": float(best[0]) if best is not None and best[1] == "post" else None,
        "company_capitalization": math.floor(capitalization),
        "as_converted": True,
        **_holder_rows(table, pending, shares),
    }


@dataclass
class _Build:
    scenario: Scenario
    multiplier: Fraction
    decimals: int | None
    table: CapTable
    pending: list[PendingSafe] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)
    open_entries: dict[str, dict] = field(default_factory=dict)
    last_price: Fraction | None = None


def build_cap_tables(scenario: Scenario, as_of: int | None = None) -> tuple[list[dict], CapTable, list[PendingSafe]]:
    """One entry per equity event in month order (notes maturing before `as_of`, default the horizon, included);
    the final table; SAFEs and notes still unconverted at the end."""
    build = _Build(
        scenario=scenario,
        multiplier=1 + exact(scenario.brand.valuation_premium),
        decimals=scenario.rounding.price_decimals if scenario.rounding else None,
        table=opening_cap_table(scenario),
    )
    order = sorted(
        (i for i, e in enumerate(scenario.rounds) if e.kind in EQUITY_KINDS),
        key=lambda i: (scenario.rounds[i].month, i),
    )
    for index in order:
        event = scenario.rounds[index]
        _mature_notes(build, event.month)
        name = scenario.event_name(index)
        field_name = f"rounds[{index}]"
        base = {"round": name, "kind": event.kind, "month": event.month, "amount": getattr(event, "amount", None)}
        if isinstance(event, Safe | Note):
            _add_convertible(build, event, name, base, field_name)
        elif isinstance(event, OptionGrant):
            _grant_options(build, event, name, base, field_name)
        elif isinstance(event, Priced):
            _priced_round(build, event, name, base, field_name)
    _mature_notes(build, scenario.horizon_months if as_of is None else as_of)
    return build.entries, build.table, build.pending


def _add_convertible(build: _Build, event: Safe | Note, name: str, base: dict, field_name: str) -> None:
    if isinstance(event, Safe):
        pending = PendingSafe(
            name=name,
            month=event.month,
            amount=exact(event.amount),
            cap=exact(event.cap) * build.multiplier if event.cap is not None else None,
            discount=exact(event.discount or 0.0),
            basis="pre" if event.pre_money else "post",
            mfn=event.mfn,
            pro_rata=event.pro_rata,
        )
        for earlier in build.pending:
            if earlier.mfn and earlier.kind == "safe":
                earlier.adopted.append((pending.cap, pending.basis, pending.discount))
        extra = {"post_money_cap": float(pending.cap) if event.post_money_cap else None}
        extra["pre_money_cap"] = float(pending.cap) if event.pre_money_cap else None
        extra["mfn"] = event.mfn
    else:
        pending = PendingSafe(
            name=name,
            month=event.month,
            amount=exact(event.amount),
            cap=exact(event.valuation_cap) * build.multiplier if event.valuation_cap is not None else None,
            discount=exact(event.discount or 0.0),
            kind="note",
            basis="note",
            pro_rata=event.pro_rata,
            interest_rate=exact(event.interest_rate),
            maturity_month=event.month + event.maturity_months,
            on_maturity=event.on_maturity,
        )
        extra = {"valuation_cap": float(pending.cap) if pending.cap is not None else None}
        extra |= {"interest_rate": event.interest_rate, "maturity_month": pending.maturity_month}
    build.pending.append(pending)
    entry = {**base, **extra, "discount": getattr(event, "discount", None)}
    try:
        entry |= _pending_view(build.table, build.pending, pending, event.month)
    except ScenarioError as exc:
        cap_field = "valuation_cap" if pending.kind == "note" else "post_money_cap"
        raise ScenarioError(f"{field_name}.{cap_field}: {str(exc).removeprefix('rounds: ')}") from None
    build.entries.append(entry)
    build.open_entries[name] = entry


def _mature_notes(build: _Build, month: int) -> None:
    """Notes whose maturity comes before `month` with no priced round first: repaid, or converted into common."""
    for note in [p for p in build.pending if p.kind == "note" and p.maturity_month < month]:
        build.pending.remove(note)
        owed = note.owed(note.maturity_month)
        entry = {
            "round": f"{note.name} matures",
            "kind": "maturity",
            "month": note.maturity_month,
            "amount": float(owed),
            "price_per_share": None,
            "options": build.table.pool,
            "post_money": None,
            "as_converted": False,
        }
        if note.on_maturity == "convert":
            price = note.cap / build.table.outstanding
            shares = math.floor(owed / price)
            build.table.holders.append(Holder(note.name, "common", shares, float(note.amount)))
            entry["price_per_share"] = float(price)
            build.open_entries[note.name] |= {"price_per_share": float(price), "conversion_price": float(price)}
            build.open_entries[note.name]["converted_in"] = entry["round"]
        entry |= {"total_shares": build.table.outstanding, "repaid": note.on_maturity == "repay"}
        entry |= _holder_rows(build.table)
        build.entries.append(entry)


def _grant_options(build: _Build, event: OptionGrant, name: str, base: dict, field_name: str) -> None:
    if event.shares > build.table.pool:
        raise ScenarioError(f"{field_name}.shares: only {build.table.pool:,} unissued options are left to grant")
    build.table.pool -= event.shares
    build.table.holders.append(Holder(name, "options", event.shares))
    converted, _ = as_converted(build.table, build.pending, event.month)
    total = build.table.outstanding + sum(v for v in converted.values() if v is not None)
    entry = {**base, "shares_granted": event.shares, "price_per_share": None, "post_money": None}
    entry |= {"total_shares": total, "options": build.table.pool, "as_converted": bool(build.pending)}
    build.entries.append(entry | _holder_rows(build.table, build.pending, converted))


def _converting(pending: list[PendingSafe], month: int) -> list[Converting]:
    return [Converting(p.name, p.owed(month), p.caps(), p.best_discount()) for p in pending]


def _pro_rata_amounts(build: _Build, solution, converting: list[Converting], amount: Fraction) -> dict[str, Fraction]:
    """Rights holders buy amount x (their shares / pre-money shares), so they keep their ownership."""
    rights = {h.name: Fraction(h.shares) for h in build.table.holders if h.pro_rata and h.shares > 0}
    by_name = {p.name: p for p in build.pending}
    for conversion in solution.conversions:
        if by_name[conversion.security.name].pro_rata:
            rights[conversion.security.name] = Fraction(conversion.shares)
    wanted = {name: amount * shares / solution.pre_money_shares for name, shares in rights.items()}
    total = sum(wanted.values(), Fraction(0))
    if total > amount:
        wanted = {name: value * amount / total for name, value in wanted.items()}
    return wanted


def _priced_round(build: _Build, event: Priced, name: str, base: dict, field_name: str) -> None:
    table, scenario = build.table, build.scenario
    pre = exact(event.pre_money) * build.multiplier if event.pre_money is not None else None
    given_price = exact(event.price_per_share) * build.multiplier if event.price_per_share is not None else None
    target = exact(event.pool_target) if event.pool_target is not None else None
    amount = exact(event.amount)
    investors = [(f"{name} · {i.name}", exact(i.amount), i.pro_rata) for i in event.investors]
    investors = investors or [(name, amount, event.pro_rata)]
    converting = _converting(build.pending, event.month)
    outstanding_before = table.outstanding

    def solve(amounts: list[Fraction]):
        try:
            return solve_round(
                outstanding_before, table.pool, pre, given_price, amounts, target, converting, build.decimals
            )
        except ScenarioError as exc:
            raise ScenarioError(f"{field_name}.pre_money: {str(exc).removeprefix('rounds: ')}") from None

    solution = solve([a for _, a, _ in investors])
    pro_rata = _pro_rata_amounts(build, solution, converting, amount)
    if pro_rata:
        left = amount - sum(pro_rata.values(), Fraction(0))
        buyers = [(f"{holder} · pro rata in {name}", value, True) for holder, value in pro_rata.items()]
        investors = buyers + [(n, a * left / amount, right) for n, a, right in investors if a * left / amount > 0]
        solution = solve([a for _, a, _ in investors])
    price = solution.price
    terms = {
        "series": name,
        "participating": event.participating,
        "seniority": event.seniority,
    }

    def preferred(holder_name: str, shares: int, invested: Fraction, basis: Fraction, right: bool) -> Holder:
        cap = event.participation_cap
        return Holder(
            holder_name,
            "preferred",
            shares,
            float(invested),
            float(event.liquidation_multiple * basis),
            participation_cap=float(cap * basis) if event.participating and cap is not None else None,
            pro_rata=right,
            **terms,
        )

    by_name = {p.name: p for p in build.pending}
    converted = []
    for conversion in solution.conversions:
        security = by_name[conversion.security.name]
        owed = conversion.security.amount
        table.holders.append(preferred(security.name, conversion.shares, security.amount, owed, security.pro_rata))
        converted.append(
            {
                "round": security.name,
                "kind": security.kind,
                "shares": conversion.shares,
                "conversion_price": float(conversion.price),
                "basis": conversion.basis,
                "amount": float(owed),
            }
        )
        build.open_entries[security.name] |= {
            "price_per_share": float(conversion.price),
            "conversion_price": float(conversion.price),
            "converted_in": name,
        }
    investor_rows = []
    for (holder_name, invested, right), shares in zip(investors, solution.investor_shares, strict=True):
        table.holders.append(preferred(holder_name, shares, invested, invested, right))
        investor_rows.append({"name": holder_name, "amount": float(invested), "shares": shares, "pro_rata": right})
    table.pool += solution.pool_increase
    company_capitalization = math.floor(solution.capitalization) if build.pending else None
    build.pending = []
    build.open_entries = {}
    pre_value = pre if pre is not None else price * solution.pre_money_shares
    down_round = build.last_price is not None and price < build.last_price
    build.last_price = price
    build.entries.append(
        {
            **base,
            "amount": float(amount),
            "pre_money": float(pre_value),
            "post_money": float(pre_value + amount),
            "pool_target": event.pool_target,
            "price_per_share": float(price),
            "total_shares": table.outstanding,
            "options": table.pool,
            "pool_increase": solution.pool_increase,
            "new_shares": sum(solution.investor_shares),
            "shares_before": outstanding_before,
            "company_capitalization": company_capitalization,
            "converted_safes": converted,
            "investors": investor_rows,
            "liquidation_multiple": event.liquidation_multiple,
            "participating": event.participating,
            "participation_cap": event.participation_cap,
            "seniority": event.seniority,
            "down_round": down_round,
            "as_converted": False,
            **_holder_rows(table),
        }
    )
    if scenario.rounding is not None:
        build.entries[-1]["rounding"] = scenario.rounding.model_dump()
