"""Application-scenario catalog: where large models pay off, what each takes, and a feasibility score whose weights
the user sets. `python -m core.catalog --json` prints the catalog of a (freshly seeded) database."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields

from core.text import defuse_csv_cell, name_key, undefuse_csv_cell

HORIZONS = ("today", "emerging")
RISK_LEVELS = ("low", "medium", "high")
MATURITY_LEVELS = ("research", "pilot", "early adoption", "growing", "mainstream")

LIST_FIELDS = ("tasks", "regulations", "example_products", "key_risks")
# The order every export, the CLI and the comparison table use.
FIELDS = (
    "name", "sector", "horizon", "tasks", "description", "typical_model", "typical_params", "training_tokens",
    "data_needs", "data_availability", "compute_profile", "regulatory_risk", "regulations", "privacy_risk",
    "explainability_need", "maturity", "example_products", "key_risks",
)  # fmt: skip
# Columns an export adds that an import may carry back in; they are never taken from a file.
META_FIELDS = ("id", "is_seed", "created_at", "updated_at", "feasibility_score")
LIST_SEPARATOR = " | "
CHINCHILLA_TOKENS_PER_PARAM = 20

CRITERIA = {
    "data_availability": "Data availability",
    "compute_cost": "Compute affordability",
    "regulatory_risk": "Regulatory headroom",
    "market_maturity": "Market maturity",
}
CRITERION_HELP = {
    "data_availability": "the scenario's data availability, 1 (scarce, proprietary) to 5 (abundant, public)",
    "compute_cost": "5 − log10(typical parameters ÷ 100 M), kept within 1..5: 100 M or fewer → 5, 1 B → 4, "
    "10 B → 3, 100 B → 2, 1 T or more → 1",
    "regulatory_risk": "regulatory risk low → 5, medium → 3, high → 1",
    "market_maturity": "research → 1, pilot → 2, early adoption → 3, growing → 4, mainstream → 5",
}
REGULATORY_POINTS = {"low": 5.0, "medium": 3.0, "high": 1.0}
MATURITY_POINTS = {level: float(points) for points, level in enumerate(MATURITY_LEVELS, start=1)}

MAX_WEIGHT = 1e6
_COUNT_SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
# The largest published models have about 2e12 parameters and 4e13 training tokens; beyond these bounds a figure is
# a typo, and the costs computed from it would overflow.
COUNT_LIMITS = {"typical_params": (1.0, 1e15), "training_tokens": (1.0, 1e17)}
# A description the app itself exported must import again; the csv module's default limit is 128 KiB per field.
MAX_CSV_FIELD_BYTES = 16 * 1024 * 1024


class ScenarioError(ValueError):
    """Invalid scenario input or catalog operation; the message starts with the field (or row) at fault."""


def parse_count(value: object, field: str) -> float:
    """A positive count: a number, or text such as '7e9', '7,000,000,000', '70B', '1.3 B', '350M'."""
    if isinstance(value, bool):
        raise ScenarioError(f"{field}: must be a positive number, got {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        match = re.fullmatch(r"([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([kKmMbBgGtT]?)", text)
        if not match:
            raise ScenarioError(f"{field}: must be a positive number such as 7e9 or 7B, got {value!r}")
        number = float(match.group(1)) * _COUNT_SUFFIXES.get(match.group(2).lower(), 1.0)
    else:
        raise ScenarioError(f"{field}: must be a positive number, got {value!r}")
    if not math.isfinite(number) or number <= 0:
        raise ScenarioError(f"{field}: must be a positive number, got {value!r}")
    low, high = COUNT_LIMITS.get(field, (0.0, math.inf))
    if not low <= number <= high:
        raise ScenarioError(f"{field}: must lie between {low:g} and {high:g}, got {number:g}")
    return number


def _text(data: Mapping, field: str, max_length: int | None = None) -> str:
    value = data.get(field)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ScenarioError(f"{field}: required")
    if not isinstance(value, str):
        raise ScenarioError(f"{field}: must be text, got {value!r}")
    value = value.strip()
    if not value:
        raise ScenarioError(f"{field}: required")
    if max_length and len(value) > max_length:
        raise ScenarioError(f"{field}: at most {max_length} characters, got {len(value)}")
    return value


def _choice(data: Mapping, field: str, allowed: tuple[str, ...]) -> str:
    raw = data.get(field)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ScenarioError(f"{field}: required, one of {', '.join(allowed)}")
    value = re.sub(r"[\s_-]+", " ", str(raw).strip().lower())
    if value not in allowed:
        raise ScenarioError(f"{field}: must be one of {', '.join(allowed)}, got {raw!r}")
    return value


def _string_list(data: Mapping, field: str) -> tuple[str, ...]:
    raw = data.get(field)
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            try:
                raw = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ScenarioError(f"{field}: not a valid JSON list ({exc.msg})") from None
        else:
            raw = re.split(r"\s*\|\s*|\n", text)
    if raw is None or not isinstance(raw, list | tuple):
        raise ScenarioError(f"{field}: required, a list of at least one item")
    items = []
    for item in raw:
        if not isinstance(item, str):
            raise ScenarioError(f"{field}: every item must be text, got {item!r}")
        if "|" in item:
            raise ScenarioError(f"{field}: an item may not contain '|' (it separates items in CSV)")
        if item.strip():
            items.append(item.strip())
    if not items:
        raise ScenarioError(f"{field}: required, a list of at least one item")
    return tuple(items)


def _availability(data: Mapping) -> int:
    raw = data.get("data_availability")
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise ScenarioError(f"data_availability: must be a whole number from 1 to 5, got {raw!r}") from None
    if isinstance(raw, bool) or not number.is_integer() or not 1 <= number <= 5:
        raise ScenarioError(f"data_availability: must be a whole number from 1 to 5, got {raw!r}")
    return int(number)


@dataclass(frozen=True)
class Scenario:
    """One validated application scenario. Build it with `Scenario.from_mapping`, which names the bad field."""

    name: str
    sector: str
    horizon: str
    tasks: tuple[str, ...]
    description: str
    typical_model: str
    typical_params: float
    training_tokens: float
    data_needs: str
    data_availability: int
    compute_profile: str
    regulatory_risk: str
    regulations: tuple[str, ...]
    privacy_risk: str
    explainability_need: str
    maturity: str
    example_products: tuple[str, ...]
    key_risks: tuple[str, ...]

    @classmethod
    def from_mapping(cls, data: Mapping) -> Scenario:
        if not isinstance(data, Mapping):
            raise ScenarioError(f"scenario: must be an object with the fields {', '.join(FIELDS)}")
        unknown = sorted(set(data) - set(FIELDS) - set(META_FIELDS))
        if unknown:
            raise ScenarioError(f"{unknown[0]}: unknown field (known: {', '.join(FIELDS)})")
        params = parse_count(data.get("typical_params"), "typical_params")
        tokens_raw = data.get("training_tokens")
        if tokens_raw is None or (isinstance(tokens_raw, str) and not tokens_raw.strip()):
            tokens = CHINCHILLA_TOKENS_PER_PARAM * params
        else:
            tokens = parse_count(tokens_raw, "training_tokens")
        return cls(
            name=_text(data, "name", 200),
            sector=_text(data, "sector", 100),
            horizon=_choice(data, "horizon", HORIZONS),
            tasks=_string_list(data, "tasks"),
            description=_text(data, "description"),
            typical_model=_text(data, "typical_model", 200),
            typical_params=params,
            training_tokens=tokens,
            data_needs=_text(data, "data_needs"),
            data_availability=_availability(data),
            compute_profile=_text(data, "compute_profile"),
            regulatory_risk=_choice(data, "regulatory_risk", RISK_LEVELS),
            regulations=_string_list(data, "regulations"),
            privacy_risk=_choice(data, "privacy_risk", RISK_LEVELS),
            explainability_need=_choice(data, "explainability_need", RISK_LEVELS),
            maturity=_choice(data, "maturity", MATURITY_LEVELS),
            example_products=_string_list(data, "example_products"),
            key_risks=_string_list(data, "key_risks"),
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        for field in LIST_FIELDS:
            data[field] = list(data[field])
        return data


assert tuple(f.name for f in fields(Scenario)) == FIELDS


# ---- feasibility ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeasibilityWeights:
    """How much each criterion counts; only the ratios matter. All zero is refused."""

    data_availability: float = 1.0
    compute_cost: float = 1.0
    regulatory_risk: float = 1.0
    market_maturity: float = 1.0

    def __post_init__(self) -> None:
        for name in CRITERIA:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ScenarioError(f"weights.{name}: must be a number ≥ 0, got {value!r}")
            if value > MAX_WEIGHT:
                raise ScenarioError(f"weights.{name}: at most {MAX_WEIGHT:g} (only the ratios matter), got {value:g}")
        if self.total == 0:
            raise ScenarioError("weights: at least one weight must be above zero")

    @property
    def total(self) -> float:
        return float(sum(getattr(self, name) for name in CRITERIA))

    def shares(self) -> dict[str, float]:
        return {name: getattr(self, name) / self.total for name in CRITERIA}

    @classmethod
    def parse(cls, text: str) -> FeasibilityWeights:
        """From 'data_availability=2,compute_cost=1,...' (criteria left out keep weight 1)."""
        values: dict[str, float] = {}
        for part in filter(None, (piece.strip() for piece in text.split(","))):
            key, sep, raw = part.partition("=")
            key = key.strip()
            if not sep or key not in CRITERIA:
                raise ScenarioError(f"weights: expected NAME=NUMBER with NAME in {', '.join(CRITERIA)}, got {part!r}")
            try:
                values[key] = float(raw)
            except ValueError:
                raise ScenarioError(f"weights.{key}: must be a number ≥ 0, got {raw.strip()!r}") from None
        return cls(**values)


def compute_affordability(typical_params: float) -> float:
    return min(5.0, max(1.0, 5.0 - math.log10(typical_params / 1e8)))


def criterion_scores(scenario: Mapping | Scenario) -> dict[str, float]:
    """Each criterion on 1 (worst for a startup) .. 5 (best); the rules are in CRITERION_HELP."""
    data = scenario.to_dict() if isinstance(scenario, Scenario) else scenario
    return {
        "data_availability": float(data["data_availability"]),
        "compute_cost": compute_affordability(float(data["typical_params"])),
        "regulatory_risk": REGULATORY_POINTS[data["regulatory_risk"]],
        "market_maturity": MATURITY_POINTS[data["maturity"]],
    }


def feasibility(scenario: Mapping | Scenario, weights: FeasibilityWeights | None = None) -> dict:
    """Score 0..100 = 100 × Σ weight·(points − 1)/4 ÷ Σ weight, with each criterion's contribution shown."""
    weights = weights or FeasibilityWeights()
    shares = weights.shares()
    breakdown = []
    for name, points in criterion_scores(scenario).items():
        contribution = 100.0 * shares[name] * (points - 1.0) / 4.0
        breakdown.append(
            {
                "criterion": name,
                "label": CRITERIA[name],
                "points": round(points, 3),
                "weight": getattr(weights, name),
                "weight_share": shares[name],
                "contribution": contribution,
            }
        )
    return {"score": sum(row["contribution"] for row in breakdown), "breakdown": breakdown}


def rank(scenarios: Iterable[Mapping], weights: FeasibilityWeights | None = None) -> list[dict]:
    """The scenarios with `feasibility_score` added, best first (ties by name)."""
    scored = [{**s, "feasibility_score": feasibility(s, weights)["score"]} for s in scenarios]
    return sorted(scored, key=lambda s: (-s["feasibility_score"], s["name"].lower()))


# ---- filtering (pure, for the page and the CLI) ------------------------------------------------------------------


def filter_scenarios(
    scenarios: Iterable[Mapping],
    search: str = "",
    sectors: Iterable[str] = (),
    horizons: Iterable[str] = (),
    regulatory_risks: Iterable[str] = (),
    maturities: Iterable[str] = (),
) -> list[dict]:
    """Keep scenarios matching every given filter; an empty filter keeps all. Search looks at every text field."""
    words = search.lower().split()
    sectors, horizons = {s.lower() for s in sectors}, set(horizons)
    regulatory_risks, maturities = set(regulatory_risks), set(maturities)
    kept = []
    for scenario in scenarios:
        if sectors and scenario["sector"].lower() not in sectors:
            continue
        if horizons and scenario["horizon"] not in horizons:
            continue
        if regulatory_risks and scenario["regulatory_risk"] not in regulatory_risks:
            continue
        if maturities and scenario["maturity"] not in maturities:
            continue
        if words:
            haystack = " ".join(
                " ".join(value) if isinstance(value, list | tuple) else str(value)
                for key, value in scenario.items()
                if key in FIELDS
            ).lower()
            if not all(word in haystack for word in words):
                continue
        kept.append(dict(scenario))
    return kept


# ---- storage -----------------------------------------------------------------------------------------------------


def _row_to_dict(row) -> dict:
    data = {field: getattr(row, field) for field in FIELDS}
    for field in LIST_FIELDS:
        data[field] = list(data[field] or [])
    data["id"] = row.id
    data["is_seed"] = bool(row.is_seed)
    return data


def _find(session, name: str):
    """The scenario called `name` in any case or Unicode spelling ("école ai" finds "ÉCOLE AI")."""
    from sqlalchemy import select

    from db.models import AppScenario

    return session.scalar(select(AppScenario).where(AppScenario.name_key == name_key(name)))


def _exists(name: str) -> ScenarioError:
    return ScenarioError(f"name: a scenario called {name!r} already exists")


def _integrity_error():
    from sqlalchemy.exc import IntegrityError

    return IntegrityError


def _write(row, scenario: Scenario) -> None:
    for field, value in scenario.to_dict().items():
        setattr(row, field, value)


def list_scenarios() -> list[dict]:
    """Every scenario in the database, by sector then name."""
    from sqlalchemy import select

    from db.engine import session_scope
    from db.models import AppScenario

    with session_scope() as session:
        rows = session.scalars(select(AppScenario).order_by(AppScenario.sector, AppScenario.name))
        return [_row_to_dict(row) for row in rows]


def get_scenario(name: str) -> dict | None:
    from db.engine import session_scope

    with session_scope() as session:
        row = _find(session, name)
        return _row_to_dict(row) if row else None


def create_scenario(data: Mapping | Scenario) -> dict:
    from db.engine import session_scope
    from db.models import AppScenario

    scenario = data if isinstance(data, Scenario) else Scenario.from_mapping(data)
    try:
        with session_scope() as session:
            if _find(session, scenario.name) is not None:
                raise _exists(scenario.name)
            row = AppScenario(is_seed=False)
            _write(row, scenario)
            session.add(row)
            session.flush()
            return _row_to_dict(row)
    except _integrity_error():  # another process added the same name between the check and the commit
        raise _exists(scenario.name) from None


def update_scenario(name: str, data: Mapping | Scenario) -> dict:
    """Replace the scenario called `name` with `data` (which may rename it)."""
    from db.engine import session_scope

    scenario = data if isinstance(data, Scenario) else Scenario.from_mapping(data)
    try:
        with session_scope() as session:
            row = _find(session, name)
            if row is None:
                raise ScenarioError(f"name: no scenario called {name!r}")
            clash = _find(session, scenario.name)
            if clash is not None and clash.id != row.id:
                raise _exists(scenario.name)
            _write(row, scenario)
            session.flush()
            return _row_to_dict(row)
    except _integrity_error():
        raise _exists(scenario.name) from None


def delete_scenario(name: str) -> bool:
    from db.engine import session_scope

    with session_scope() as session:
        row = _find(session, name)
        if row is None:
            return False
        session.delete(row)
        return True


def restore_seeded() -> int:
    """Put the seeded scenarios back as shipped (edits to them are undone; user-added ones stay)."""
    from db.engine import session_scope
    from db.seed import restore_app_scenarios

    with session_scope() as session:
        return restore_app_scenarios(session)


def seeded_scenarios() -> list[Scenario]:
    from db.seed import app_scenario_seed_rows

    return [Scenario.from_mapping(row) for row in app_scenario_seed_rows()]


# ---- import and export -------------------------------------------------------------------------------------------


def export_json(scenarios: Iterable[Mapping]) -> str:
    return json.dumps([{field: s[field] for field in FIELDS} for s in scenarios], indent=2, ensure_ascii=False)


def export_csv(scenarios: Iterable[Mapping]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for scenario in scenarios:
        row = {field: scenario[field] for field in FIELDS}
        for field in LIST_FIELDS:
            row[field] = LIST_SEPARATOR.join(row[field])
        for field in ("typical_params", "training_tokens"):
            row[field] = f"{row[field]:.6g}"
        writer.writerow({field: defuse_csv_cell(value) for field, value in row.items()})
    return buffer.getvalue()


def _undefused(record: dict) -> dict:
    """export_csv put an apostrophe before cells a spreadsheet would run as formulas; the import takes it off."""
    return {key: undefuse_csv_cell(value) for key, value in record.items()}


def parse_import(content: str | bytes, fmt: str) -> list[Scenario]:
    """Validate a whole file; the first bad row raises ScenarioError naming the row and the field."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError("file: not UTF-8 text; save it as UTF-8 and try again") from None
    fmt = fmt.lower().lstrip(".")
    if fmt == "json":
        try:
            records = json.loads(content)
        except json.JSONDecodeError as exc:
            raise ScenarioError(f"file: not valid JSON (line {exc.lineno}: {exc.msg})") from None
        except RecursionError:
            raise ScenarioError("file: JSON nested too deeply to be a list of scenarios") from None
        if isinstance(records, dict) and isinstance(records.get("scenarios"), list):
            records = records["scenarios"]
        if not isinstance(records, list):
            raise ScenarioError("file: a JSON list of scenario objects expected")
        labelled = [(f"row {index}", record) for index, record in enumerate(records, start=1)]
    elif fmt == "csv":
        csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_FIELD_BYTES))
        reader = csv.DictReader(io.StringIO(content))
        labelled = []
        try:
            header = reader.fieldnames or []
            missing = [field for field in FIELDS if field != "training_tokens" and field not in header]
            if missing:
                raise ScenarioError(f"file: CSV header lacks the column {missing[0]!r}")
            for index, record in enumerate(reader, start=1):
                if None in record:
                    raise ScenarioError(f"row {index} (line {reader.line_num}): more cells than header columns")
                labelled.append((f"row {index} (line {reader.line_num})", _undefused(record)))
        except csv.Error as exc:
            raise ScenarioError(f"file: not readable CSV (line {reader.line_num}: {exc})") from None
    else:
        raise ScenarioError(f"format: must be csv or json, got {fmt!r}")
    if not labelled:
        raise ScenarioError("file: no scenarios in it")
    scenarios, seen = [], {}
    for label, record in labelled:
        try:
            scenario = Scenario.from_mapping(record)
        except ScenarioError as exc:
            name = record.get("name") if isinstance(record, Mapping) else None
            raise ScenarioError(f"{label}{f' {name!r}' if name else ''}: {exc}") from None
        key = name_key(scenario.name)
        if key in seen:
            raise ScenarioError(f"{label}: name: {scenario.name!r} appears twice (also {seen[key]})")
        seen[key] = label
        scenarios.append(scenario)
    return scenarios


def import_scenarios(content: str | bytes, fmt: str) -> dict:
    """Add new scenarios and replace same-named ones, all in one transaction; a bad file changes nothing. New rows go
    in as one bulk insert, so thousands import in about a second."""
    from sqlalchemy import insert, select, update

    from db.engine import session_scope
    from db.models import AppScenario, utcnow

    scenarios = parse_import(content, fmt)
    try:
        with session_scope() as session:
            stored = dict(session.execute(select(AppScenario.name_key, AppScenario.id)).all())
            new_rows, changed_rows, now = [], [], utcnow()
            for scenario in scenarios:
                key = name_key(scenario.name)
                values = {**scenario.to_dict(), "name_key": key}
                if key in stored:
                    changed_rows.append({**values, "id": stored[key], "updated_at": now})
                else:
                    new_rows.append({**values, "is_seed": False})
            if changed_rows:
                session.execute(update(AppScenario), changed_rows)
            if new_rows:
                session.execute(insert(AppScenario), new_rows)
    except _integrity_error():  # a concurrent import or edit added one of these names meanwhile
        raise ScenarioError("file: another user added some of these scenarios meanwhile; import again") from None
    return {"created": len(new_rows), "updated": len(changed_rows)}


# ---- compute budget and links to the GPU-budget and funding pages ------------------------------------------------

DEFAULT_GPU = "H100 SXM"
DAYS_PER_MONTH = 365.25 / 12


def _budget_from_estimator(params: float, tokens: float, gpu: str) -> dict:
    """Training on `gpu` at the estimator's default MFU and GPU count; serving on the same GPU with the GPU Budget
    page's serving defaults (core.compute.serving.serving_inputs_for), so both pages show the same dollars."""
    from core.compute.estimate import TrainingInputs, estimate_serving, estimate_training, serving_inputs_for
    from core.compute.gpus import resolve_gpu

    spec = resolve_gpu(gpu)
    training = estimate_training(TrainingInputs(params=params, tokens=tokens, gpu=spec), memory_bands=False)
    serving = estimate_serving(serving_inputs_for(params, spec))
    return {
        "status": "ok",
        "training_flops": training["training_flops"],
        "method": f"core.estimate: {training['mfu']:.0%} MFU, {training['gpus']} GPUs",
        "gpu": training["gpu"],
        "gpu_hours": training["gpu_hours"],
        "training_cost_usd": training["cost_usd"],
        "training_cost_usd_low": training["cost_usd_low"],
        "training_cost_usd_high": training["cost_usd_high"],
        "training_wall_days": training["wall_days"],
        "price_per_hour_usd": training["price_per_hour_usd"],
        "serving_gpu": serving["gpu"],
        "serving_gpus": serving["gpus_needed"],
        "serving_monthly_usd": serving["monthly_cost_usd"],
        "serving_monthly_usd_low": serving["monthly_cost_low"],
        "serving_monthly_usd_high": serving["monthly_cost_high"],
        "serving_note": f"{serving['requests_per_day']:,.0f} requests a day (the GPU Budget page's default traffic) "
        f"on {serving['gpus_needed']} × {serving['gpu']}, {serving['utilization']:.0%} busy",
    }


def compute_budget(scenario: Mapping | Scenario, gpu: str = DEFAULT_GPU) -> dict:
    """Training cost of the scenario's typical model on its training tokens and a monthly serving bill, both from
    the GPU-budget estimator. A GPU the catalog lacks (or cannot price) gives status 'pick_gpu' and a message,
    never a made-up figure."""
    from core.compute.estimate import EstimateInputError
    from core.compute.gpus import GpuLookupError

    data = scenario.to_dict() if isinstance(scenario, Scenario) else scenario
    params, tokens = float(data["typical_params"]), float(data["training_tokens"])
    try:
        budget = _budget_from_estimator(params, tokens, gpu)
    except (GpuLookupError, EstimateInputError) as exc:
        return {
            "status": "pick_gpu",
            "message": f"Pick a GPU on the GPU Budget page: {exc.args[0] if exc.args else exc}",
            "gpu": gpu,
        }
    if budget["training_cost_usd"] is None or budget["serving_monthly_usd"] is None:
        return {
            "status": "pick_gpu",
            "message": f"Pick a GPU with a price: the catalog has none for the {budget['gpu']}",
            "gpu": gpu,
        }
    budget["training_months"] = max(1, math.ceil(budget["training_wall_days"] / DAYS_PER_MONTH))
    return budget


def gpu_budget_query(scenario: Mapping | Scenario, gpu: str = DEFAULT_GPU) -> dict[str, str]:
    """Query parameters that pre-fill the GPU-budget page with the scenario's typical model and the GPU the
    catalog's budget used, so the page shows the same figures."""
    data = scenario.to_dict() if isinstance(scenario, Scenario) else scenario
    return {
        "params": f"{float(data['typical_params']):.6g}",
        "tokens": f"{float(data['training_tokens']):.6g}",
        "gpu": gpu,
        "scenario": data["name"],
    }


def funding_query(scenario: Mapping | Scenario, budget: Mapping | None = None) -> dict[str, str]:
    """Query parameters that start a funding scenario from the scenario's compute budget ({} without one)."""
    data = scenario.to_dict() if isinstance(scenario, Scenario) else scenario
    budget = budget or compute_budget(data)
    if budget.get("status") != "ok":
        return {}
    return {
        "training_cost_usd": f"{budget['training_cost_usd']:.2f}",
        "training_months": str(budget["training_months"]),
        "serving_monthly_usd": f"{budget['serving_monthly_usd']:.2f}",
        "scenario": data["name"],
    }


# ---- CLI ---------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from core.cli import ArgumentParser, exit_with_error, strict_json

    parser = ArgumentParser(prog="python -m core.catalog", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the catalog as a JSON list")
    parser.add_argument("--sector", action="append", default=[], help="keep this sector (repeatable)")
    parser.add_argument("--horizon", choices=HORIZONS, action="append", default=[])
    parser.add_argument("--risk", choices=RISK_LEVELS, action="append", default=[], help="regulatory risk")
    parser.add_argument("--maturity", choices=MATURITY_LEVELS, action="append", default=[])
    parser.add_argument("--search", default="", help="words every listed scenario must contain")
    parser.add_argument("--weights", help="add feasibility_score, e.g. data_availability=2,regulatory_risk=1")
    parser.add_argument("--import", dest="import_path", metavar="FILE", help="import a .csv or .json file first")
    parser.add_argument("--restore", action="store_true", help="restore the seeded scenarios first")
    args = parser.parse_args(argv)
    try:
        weights = FeasibilityWeights.parse(args.weights) if args.weights is not None else None
        if args.restore:
            restore_seeded()
        if args.import_path:
            from pathlib import Path

            path = Path(args.import_path)
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise ScenarioError(f"--import: cannot read {path} ({exc.strerror})") from None
            counts = import_scenarios(content, path.suffix)
            print(f"imported {path}: {counts['created']} created, {counts['updated']} updated", file=sys.stderr)
        scenarios = filter_scenarios(list_scenarios(), args.search, args.sector, args.horizon, args.risk, args.maturity)
    except ScenarioError as exc:
        exit_with_error(str(exc))
    if weights is not None:
        scenarios = rank(scenarios, weights)
    out_fields = FIELDS + (("feasibility_score",) if weights is not None else ())
    records = [{field: s[field] for field in out_fields} for s in scenarios]
    if args.json:
        print(strict_json(records, indent=2, ensure_ascii=False))
        return 0
    for record in records:
        score = f"  score {record['feasibility_score']:5.1f}" if weights is not None else ""
        print(
            f"{record['name'][:44]:44}  {record['sector'][:26]:26}  {record['horizon']:8}  "
            f"{record['typical_params']:9.3g} params  risk {record['regulatory_risk']:6}  "
            f"{record['maturity']:14}{score}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
