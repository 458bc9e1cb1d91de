"""A funding scenario as validated data: cash, equity, monthly costs, revenue, funding events, brand, risk and
rounding settings.

Month convention used everywhere: months are numbered from 0 (the first month of the plan). An event at month m
lands at the start of month m; costs and revenue of month m happen during it. Sections left out of a scenario file
mean zero (no costs, no revenue, no events); unknown keys are ignored so richer files from other tools still load.
A scenario with SAFEs, notes or priced rounds but no equity section is answered on an assumed 10,000,000 founder
shares (ownership percentages do not depend on the count); the result says so.
"""

from __future__ import annotations

import json
import math
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from core.funding.events import (
    EQUITY_KINDS,
    EVENT_KINDS,
    KIND_LABELS,
    MAX_SHARES,
    RAISE_KINDS,
    Credits,
    Event,
    FundingModel,
    Grant,
    Investor,
    Note,
    OptionGrant,
    Priced,
    Safe,
)

__all__ = [
    "EQUITY_KINDS",
    "EVENT_KINDS",
    "RAISE_KINDS",
    "Credits",
    "Event",
    "Grant",
    "Investor",
    "Note",
    "OptionGrant",
    "Priced",
    "Safe",
]

DAYS_PER_MONTH = 365.25 / 12
MAX_HORIZON_MONTHS = 600
ASSUMED_FOUNDER_SHARES = 10_000_000


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message starts with the offending field's path."""


_Model = FundingModel


class Equity(_Model):
    common_shares: int = Field(0, ge=0, le=MAX_SHARES, description="Common shares incl. issued and promised options")
    unused_options: int = Field(0, ge=0, le=MAX_SHARES, description="Unissued option pool")
    founder_shares: int | None = Field(None, ge=0, description="Founders' part of common_shares (default: all)")
    issued_options: int = Field(0, ge=0, le=MAX_SHARES, description="Part of common_shares: granted options")
    promised_options: int = Field(0, ge=0, le=MAX_SHARES, description="Part of common_shares: promised, not granted")
    assumed: bool = Field(False, description="Set when the scenario had no equity section")

    @model_validator(mode="after")
    def _parts_within_common(self) -> Equity:
        if self.founder_shares is not None and self.founder_shares > self.common_shares:
            raise ValueError("founder_shares cannot exceed common_shares")
        if self.issued_options + self.promised_options > self.common_shares - (self.founder_shares or 0):
            raise ValueError("issued_options: founders, issued and promised options cannot exceed common_shares")
        return self

    @property
    def founders(self) -> int:
        return self.common_shares if self.founder_shares is None else self.founder_shares


class TeamRole(_Model):
    role: str = "Team"
    headcount: float = Field(1.0, ge=0)
    monthly_cost: float = Field(0.0, ge=0, description="Loaded cost per head per month (salary, tax, benefits)")
    start_month: int = Field(0, ge=0)
    end_month: int | None = Field(None, ge=0, description="First month the role no longer costs anything")


class Compute(_Model):
    monthly: float = Field(0.0, ge=0, description="Flat compute spend per month")
    training_cost_usd: float = Field(0.0, ge=0, description="One training run, spread evenly over its months")
    training_start_month: int = Field(0, ge=0)
    training_months: int = Field(1, ge=1)
    serving_monthly_usd: float = Field(0.0, ge=0)
    serving_start_month: int | None = Field(None, ge=0, description="Default: the month after training ends")
    estimate: str | None = Field(None, description="Name of the saved GPU-budget estimate these figures came from")

    @property
    def serving_from(self) -> int:
        if self.serving_start_month is not None:
            return self.serving_start_month
        return self.training_start_month + self.training_months if self.training_cost_usd > 0 else 0


class Costs(_Model):
    team: list[TeamRole] = Field(default_factory=list)
    compute: Compute = Field(default_factory=Compute)
    other: float = Field(0.0, ge=0)

    @field_validator("team", mode="before")
    @classmethod
    def _team_number(cls, value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return [{"role": "Team", "headcount": 1, "monthly_cost": value}]
        return value

    @field_validator("compute", mode="before")
    @classmethod
    def _compute_number(cls, value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"monthly": value}
        return value


class Revenue(_Model):
    mrr: float = Field(0.0, ge=0, description="Monthly recurring revenue in month 0")
    monthly_growth: float = Field(0.0, gt=-1, le=1)
    gross_margin: float = Field(1.0, ge=0, le=1, description="1 when cost of revenue is already in costs")


class Brand(_Model):
    valuation_premium: float = Field(0.0, gt=-1, description="0.2 = caps and pre-money valuations 20% higher")
    growth_uplift: float = Field(0.0, ge=-0.5, le=0.5, description="Added to monthly revenue growth")


class Risk(_Model):
    growth_sd: float = Field(0.02, ge=0, le=1, description="Spread of monthly growth across paths")
    cost_overrun_mean: float = Field(0.10, ge=-0.5, le=5, description="Expected overrun: 0.1 = costs 10% higher")
    cost_overrun_sd: float = Field(0.10, ge=0, le=2)
    delay_mean_months: float = Field(2.0, ge=0, le=36, description="Mean delay of each raise (Poisson months)")
    raise_fail_probability: float = Field(0.0, ge=0, le=1, description="Chance a future raise never closes")
    survival_month: int = Field(24, ge=1, le=MAX_HORIZON_MONTHS, description="Month to survive past")
    exit_arr_multiple: float = Field(10.0, ge=0, description="Exit value at the survival month = ARR x multiple")
    arr_multiple_low: float | None = Field(None, gt=0, le=1000, description="Pre-money investors pay at least ARR x")
    arr_multiple_high: float | None = Field(None, gt=0, le=1000, description="Pre-money investors pay at most ARR x")
    bridge_below: float = Field(
        0.5, ge=0, le=1, description="Traction worth less than this share of the planned pre-money: a bridge instead"
    )
    bridge_fraction: float = Field(0.25, gt=0, le=1, description="A bridge raises this share of the planned amount")

    @model_validator(mode="after")
    def _multiple_range(self) -> Risk:
        low, high = self.arr_multiple_low, self.arr_multiple_high
        if (low is None) != (high is None):
            raise ValueError("arr_multiple_high: give both ends of the ARR multiple range, or neither")
        if low is not None and low > high:
            raise ValueError("arr_multiple_high: must be at least arr_multiple_low")
        return self

    @property
    def traction_priced(self) -> bool:
        return self.arr_multiple_low is not None


class Rounding(_Model):
    """The legal-spreadsheet convention: prices rounded up to price_decimals, share counts rounded down."""

    price_decimals: int = Field(5, ge=0, le=12)
    shares: Literal["down"] = "down"


class Scenario(_Model):
    name: str = "Scenario"
    start_month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Calendar month 0, YYYY-MM")
    horizon_months: int = Field(60, ge=1, le=MAX_HORIZON_MONTHS)
    cash: float = Field(0.0, ge=0)
    equity: Equity = Field(default_factory=Equity)
    costs: Costs = Field(default_factory=Costs)
    revenue: Revenue = Field(default_factory=Revenue)
    rounds: list[Event] = Field(default_factory=list)
    brand: Brand = Field(default_factory=Brand)
    risk: Risk = Field(default_factory=Risk)
    rounding: Rounding | None = None

    @model_validator(mode="before")
    @classmethod
    def _assume_equity(cls, data):
        """No equity section but SAFEs, notes or priced rounds: answer on an assumed founder share count."""
        if isinstance(data, dict) and data.get("equity") in (None, {}) and isinstance(data.get("rounds"), list):
            if any(isinstance(r, dict) and r.get("kind") in EQUITY_KINDS for r in data["rounds"]):
                return {**data, "equity": {"common_shares": ASSUMED_FOUNDER_SHARES, "assumed": True}}
        return data

    @field_validator("rounds", mode="before")
    @classmethod
    def _known_kind(cls, value):
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict) and item.get("kind") not in EVENT_KINDS:
                    raise ValueError(f"rounds[{index}].kind must be one of {', '.join(EVENT_KINDS)}")
        return value

    @model_validator(mode="after")
    def _equity_for_rounds(self) -> Scenario:
        equity_events = [e for e in self.rounds if e.kind in EQUITY_KINDS]
        if equity_events and self.equity.common_shares + self.equity.unused_options <= 0:
            raise ValueError("equity.common_shares must be positive when the scenario has SAFEs, notes or rounds")
        return self

    @model_validator(mode="after")
    def _unique_names(self) -> Scenario:
        """Holders, payouts and tables are keyed by event name, so two events cannot share one."""
        seen: dict[str, int] = {}
        for index in range(len(self.rounds)):
            name = self.event_name(index)
            if name in seen:
                raise ValueError(f"rounds[{index}].name: {name!r} is already the name of rounds[{seen[name]}]")
            seen[name] = index
        return self

    def event_name(self, index: int) -> str:
        """The event's own name, else 'SAFE n' / 'Series A, B, …' / 'Grant n' / 'Credits n' in file order."""
        event = self.rounds[index]
        if event.name:
            return event.name
        same_kind = [e for e in self.rounds[: index + 1] if e.kind == event.kind]
        number = len(same_kind)
        if event.kind == "priced":
            return f"Series {chr(ord('A') + number - 1)}" if number <= 26 else f"Priced {number}"
        return f"{KIND_LABELS[event.kind]} {number}"


def _field_path(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in EVENT_KINDS and parts and parts[-1].startswith("["):
            continue  # the discriminated union's tag adds nothing the reader needs
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "scenario"


def describe_validation_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    message = first["msg"].removeprefix("Value error, ")
    path = _field_path(first["loc"])
    if message.startswith(("rounds[", "equity.")):
        return message
    field, separator, rest = message.partition(": ")
    if separator and field.isidentifier() and path != "scenario":
        return f"{path}.{field}: {rest}"  # a validator that names the field inside the object it checks
    return f"{path}: {message}"


def parse_scenario(data: dict | Scenario) -> Scenario:
    """A validated Scenario from a dict; raises ScenarioError naming the first bad field."""
    if isinstance(data, Scenario):
        return data
    if not isinstance(data, dict):
        raise ScenarioError(f"scenario: expected a JSON object, got {type(data).__name__}")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(describe_validation_error(exc)) from None
    _check_finite(scenario.model_dump(), "")
    return scenario


def _check_finite(value, path: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ScenarioError(f"{path}: must be a finite number")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_finite(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_finite(item, f"{path}[{index}]")


def scenario_from_json(text: str) -> Scenario:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"file: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise ScenarioError("file: JSON nested too deeply to be a scenario") from None
    return parse_scenario(data)


def scenario_to_dict(scenario: Scenario) -> dict:
    return scenario.model_dump(mode="json", exclude_none=True)


def compute_from_estimate(outputs: dict, name: str | None = None, start_month: int = 0) -> Compute:
    """Compute costs from a saved GPU-budget estimate's outputs (training_cost_usd, training_wall_days, serving)."""
    if not isinstance(outputs, dict):
        raise ScenarioError("estimate.outputs: expected an object")
    try:
        training = float(outputs.get("training_cost_usd") or 0.0)
        days = float(outputs.get("training_wall_days") or 0.0)
        serving = float(outputs.get("serving_monthly_cost_usd") or 0.0)
    except (TypeError, ValueError):
        raise ScenarioError("estimate.outputs: costs and days must be numbers") from None
    if not all(math.isfinite(value) for value in (training, days, serving)):
        raise ScenarioError("estimate.outputs: costs and days must be finite numbers")
    months = max(1, math.ceil(days / DAYS_PER_MONTH - 1e-9)) if days > 0 else 1
    try:
        return Compute(
            training_cost_usd=training,
            training_months=months,
            training_start_month=start_month,
            serving_monthly_usd=serving,
            estimate=name,
        )
    except ValidationError as exc:
        raise ScenarioError("estimate." + describe_validation_error(exc)) from None
