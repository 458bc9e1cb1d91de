"""A plan as validated data: a name, an optional catalog application, training and serving estimate inputs with
the month each starts, a funding scenario and the verdict's thresholds.

The plan file keeps only inputs. The funding scenario's training and serving costs are never stored: analysis
derives them from the two estimates, so editing an estimate changes the runway at once.
"""

from __future__ import annotations

import json
import math

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

MAX_NAME_LENGTH = 200
MAX_START_MONTH = 600


class PlanError(ValueError):
    """A plan that cannot be used; the message starts with the offending field's path."""


class Thresholds(BaseModel):
    """When the plan holds. Every test and its number is shown next to the verdict and can be edited."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    serving_months_covered: int = Field(
        12, ge=0, le=120, description="The money must pay for training, this many months of serving and the team"
    )
    min_cushion_months: float = Field(3.0, ge=0, le=60, description="Months of cash left before every raise")
    min_survival_probability: float = Field(0.5, ge=0, le=1, description="Share of simulated paths that survive")
    min_founder_ownership: float = Field(0.5, ge=0, le=1, description="Founders' fully diluted share after the round")
    founder_round: str | None = Field(
        None, description="Name of the round founders' share is checked after (default: the first priced round)"
    )


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    application: str | None = Field(None, description="Name of an application in the catalog")
    training: dict = Field(description="The estimator's training inputs plus start_month")
    serving: dict = Field(description="The estimator's serving inputs plus start_month")
    funding: dict = Field(description="A funding scenario as core.funding reads it; compute costs are derived")
    thresholds: Thresholds = Field(default_factory=Thresholds)

    @field_validator("name")
    @classmethod
    def _clean_name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("give the plan a name")
        return value

    @field_validator("application")
    @classmethod
    def _clean_application(cls, value: str | None) -> str | None:
        return (value.strip() or None) if isinstance(value, str) else value

    @field_validator("training", "serving")
    @classmethod
    def _start_month(cls, value: dict) -> dict:
        start = value.get("start_month", 0)
        if isinstance(start, bool) or not isinstance(start, int | float) or start != int(start):
            raise ValueError(f"start_month: a whole month number from 0, got {start!r}")
        if not 0 <= start <= MAX_START_MONTH:
            raise ValueError(f"start_month: between 0 and {MAX_START_MONTH}, got {start!r}")
        return {**value, "start_month": int(start)} if "start_month" in value else value

    def estimator_inputs(self, part: str) -> dict:
        """The training or serving section without start_month: what the estimator itself reads."""
        return {key: value for key, value in getattr(self, part).items() if key != "start_month"}

    def start_month(self, part: str) -> int | None:
        return getattr(self, part).get("start_month")


def _field_path(loc: tuple) -> str:
    return "".join(f"[{item}]" if isinstance(item, int) else f".{item}" for item in loc).lstrip(".") or "plan"


def parse_plan(data: dict | Plan) -> Plan:
    """A validated Plan from a dict; raises PlanError naming the first bad field. The funding scenario, the
    estimates and the application are checked when the plan is analysed (they need the catalogs)."""
    if isinstance(data, Plan):
        return data
    if not isinstance(data, dict):
        raise PlanError(f"plan: expected a JSON object, got {type(data).__name__}")
    _check_finite(data, "")
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        path = _field_path(first["loc"])
        if first["type"] == "extra_forbidden":
            message = "unknown key (a plan has name, application, training, serving, funding and thresholds)"
        elif first["type"] == "missing":
            message = "required"
        if ":" in message.split(" ")[0]:  # a validator that names the key inside the section
            return _raise(f"{path}.{message}")
        return _raise(f"{path}: {message}")


def _raise(message: str):
    raise PlanError(message) from None


def _check_finite(value, path: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise PlanError(f"{path}: must be a finite number")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_finite(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_finite(item, f"{path}[{index}]")


def plan_from_json(text: str | bytes) -> Plan:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise PlanError("file: not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(f"file: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return parse_plan(data)


def plan_to_dict(plan: Plan) -> dict:
    data = plan.model_dump(mode="json")
    if data["application"] is None:
        del data["application"]
    if data["thresholds"]["founder_round"] is None:
        del data["thresholds"]["founder_round"]
    return data


def plan_to_json(plan: Plan) -> str:
    return json.dumps(plan_to_dict(plan), indent=2, allow_nan=False)
