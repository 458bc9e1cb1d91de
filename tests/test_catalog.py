"""The catalog's pure logic: the seed file, validation naming the field, the feasibility score, filters, CSV/JSON."""

import json
import math

import pytest

from core.applications.catalog import (
    FIELDS,
    LIST_FIELDS,
    FeasibilityWeights,
    Scenario,
    ScenarioError,
    compute_affordability,
    export_csv,
    export_json,
    feasibility,
    filter_scenarios,
    parse_count,
    parse_import,
    rank,
    seeded_scenarios,
)

SEED_FIELDS = {
    "Natural language processing": {"translation", "sentiment analysis", "question answering"},
    "Computer vision": {"image classification", "object detection", "text-to-image generation"},
    "Speech": {"speech-to-text", "text-to-speech"},
    "Recommendation": {"personalised ranking", "content recommendation"},
    "Healthcare": {"disease risk prediction", "molecule generation"},
    "Finance": {"credit scoring", "transaction fraud detection"},
    "Manufacturing": {"failure prediction", "process setpoint optimisation"},
    "Autonomous driving": {"3-D object detection", "motion planning"},
}


def seeded() -> list[dict]:
    return [s.to_dict() for s in seeded_scenarios()]


def valid(**changes) -> dict:
    data = {
        "name": "Contract copilot",
        "sector": "Legal and professional services",
        "horizon": "today",
        "tasks": ["contract review"],
        "description": "Reviews contracts.",
        "typical_model": "Llama 3.1 8B",
        "typical_params": 8e9,
        "training_tokens": 1e9,
        "data_needs": "Contracts.",
        "data_availability": 3,
        "compute_profile": "Inference-heavy.",
        "regulatory_risk": "medium",
        "regulations": ["GDPR"],
        "privacy_risk": "high",
        "explainability_need": "high",
        "maturity": "growing",
        "example_products": ["Harvey"],
        "key_risks": ["Hallucinated case law"],
    }
    return {**data, **changes}


def test_seed_file_covers_every_field_of_the_brief_with_complete_valid_scenarios():
    scenarios = seeded()
    assert len(scenarios) >= 16
    assert len({s["name"].lower() for s in scenarios}) == len(scenarios)
    for sector, tasks in SEED_FIELDS.items():
        seen = {task for s in scenarios if s["sector"] == sector for task in s["tasks"]}
        assert tasks <= seen, (sector, tasks - seen)
    sectors = {s["sector"] for s in scenarios}
    assert {"Software development", "Customer service", "Legal and professional services", "Education"} <= sectors
    assert {s["horizon"] for s in scenarios} == {"today", "emerging"}
    for scenario in scenarios:
        assert set(scenario) == set(FIELDS)
        assert scenario["typical_params"] > 0 and scenario["training_tokens"] > 0
        for field in LIST_FIELDS:
            assert scenario[field], (scenario["name"], field)


def test_seed_names_the_rules_the_brief_calls_for():
    rules = {s["name"]: " ".join(s["regulations"]) for s in seeded()}
    assert "Annex III point 5(b)" in rules["Credit scoring and underwriting"]
    assert "ECOA" in rules["Credit scoring and underwriting"] and "FCRA" in rules["Credit scoring and underwriting"]
    assert "HIPAA" in rules["Disease prediction and diagnostic imaging"]
    assert "GDPR Art. 9" in rules["Disease prediction and diagnostic imaging"]
    assert "Software as a Medical Device" in rules["Disease prediction and diagnostic imaging"]
    assert "157" in rules["Autonomous driving perception"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"sector": None}, "sector"),
        ({"horizon": "tomorrow"}, "horizon"),
        ({"typical_params": -7e9}, "typical_params"),
        ({"typical_params": 0}, "typical_params"),
        ({"typical_params": "lots"}, "typical_params"),
        ({"typical_params": float("nan")}, "typical_params"),
        ({"training_tokens": -1}, "training_tokens"),
        ({"data_availability": 6}, "data_availability"),
        ({"data_availability": 2.5}, "data_availability"),
        ({"regulatory_risk": "extreme"}, "regulatory_risk"),
        ({"privacy_risk": ""}, "privacy_risk"),
        ({"explainability_need": "very"}, "explainability_need"),
        ({"maturity": "hype"}, "maturity"),
        ({"tasks": []}, "tasks"),
        ({"example_products": ["  "]}, "example_products"),
        ({"key_risks": ["a | b"]}, "key_risks"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_validation_names_the_field(changes, field):
    with pytest.raises(ScenarioError) as error:
        Scenario.from_mapping(valid(**changes))
    assert str(error.value).startswith(f"{field}:")


def test_validation_normalises_what_people_type():
    scenario = Scenario.from_mapping(
        valid(typical_params="70B", training_tokens="", maturity="Early-Adoption", regulatory_risk=" HIGH ",
              tasks="contract review | clause search", data_availability="4")
    )  # fmt: skip
    assert scenario.typical_params == 70e9
    assert scenario.training_tokens == 20 * 70e9  # compute-optimal default
    assert scenario.maturity == "early adoption" and scenario.regulatory_risk == "high"
    assert scenario.tasks == ("contract review", "clause search") and scenario.data_availability == 4


@pytest.mark.parametrize(
    ("text", "number"), [("7e9", 7e9), ("1.3 B", 1.3e9), ("350M", 3.5e8), ("7,000,000", 7e6), ("2T", 2e12), (86, 86)]
)
def test_parse_count(text, number):
    assert parse_count(text, "typical_params") == pytest.approx(number)


def test_feasibility_worked_example_credit_scoring():
    credit = next(s for s in seeded() if s["name"] == "Credit scoring and underwriting")
    # data 2 → 0.25; compute 5 − log10(8e9 / 1e8) = 3.0969 → 0.5242; high risk → 0; growing (4) → 0.75
    result = feasibility(credit)
    assert result["score"] == pytest.approx(100 * (0.25 + (4 - math.log10(80)) / 4 + 0 + 0.75) / 4)
    assert result["score"] == pytest.approx(38.11, abs=0.01)
    assert sum(row["contribution"] for row in result["breakdown"]) == pytest.approx(result["score"])
    assert [row["weight_share"] for row in result["breakdown"]] == [0.25] * 4


def test_compute_affordability_scale():
    assert compute_affordability(1e7) == 5 and compute_affordability(1e8) == 5
    assert compute_affordability(1e9) == pytest.approx(4) and compute_affordability(1e11) == pytest.approx(2)
    assert compute_affordability(5e12) == 1


def test_score_reacts_to_the_weights():
    credit = next(s for s in seeded() if s["name"] == "Credit scoring and underwriting")
    only_regulation = FeasibilityWeights(0, 0, 1, 0)
    only_maturity = FeasibilityWeights(0, 0, 0, 1)
    assert feasibility(credit, only_regulation)["score"] == pytest.approx(0)
    assert feasibility(credit, only_maturity)["score"] == pytest.approx(75)
    doubled = FeasibilityWeights(data_availability=2, compute_cost=2, regulatory_risk=2, market_maturity=2)
    assert feasibility(credit, doubled)["score"] == pytest.approx(feasibility(credit)["score"])  # only ratios count
    legal = next(s for s in seeded() if s["name"] == "Document and legal AI")
    fraud = next(s for s in seeded() if s["name"] == "Financial risk control and fraud detection")
    by_compute = [s["name"] for s in rank([legal, fraud], FeasibilityWeights(0, 1, 0, 0))]
    by_data = [s["name"] for s in rank([legal, fraud], FeasibilityWeights(1, 0, 0, 0))]
    assert by_compute == [fraud["name"], legal["name"]]  # 100 M params beats 70 B
    assert by_data == [legal["name"], fraud["name"]]  # availability 3 beats 2


def test_weights_are_validated():
    with pytest.raises(ScenarioError, match="at least one weight"):
        FeasibilityWeights(0, 0, 0, 0)
    with pytest.raises(ScenarioError, match=r"^weights\.compute_cost:"):
        FeasibilityWeights(compute_cost=-1)
    assert FeasibilityWeights.parse("regulatory_risk=3,market_maturity=0").shares()["regulatory_risk"] == 0.6
    with pytest.raises(ScenarioError, match="NAME=NUMBER"):
        FeasibilityWeights.parse("risk=3")


def test_filters_combine():
    scenarios = seeded()
    finance = filter_scenarios(scenarios, sectors=["Finance"])
    assert {s["name"] for s in finance} == {
        "Credit scoring and underwriting",
        "Financial risk control and fraud detection",
    }
    assert [s["name"] for s in filter_scenarios(finance, regulatory_risks=["high"])] == [
        "Credit scoring and underwriting"
    ]
    hipaa = filter_scenarios(scenarios, search="hipaa")
    assert hipaa and all("HIPAA" in " ".join(s["regulations"]) for s in hipaa)
    emerging_high = filter_scenarios(scenarios, horizons=["emerging"], regulatory_risks=["high"], maturities=["pilot"])
    assert emerging_high == []
    assert len(filter_scenarios(scenarios)) == len(scenarios)
    assert filter_scenarios(scenarios, search="whisper 680,000")[0]["name"] == "Speech recognition"


def test_csv_and_json_round_trip():
    scenarios = seeded()
    for text, fmt in ((export_csv(scenarios), "csv"), (export_json(scenarios), "json")):
        back = [s.to_dict() for s in parse_import(text, fmt)]
        assert back == scenarios


def test_a_bad_import_names_the_row_and_field():
    rows = [valid(name="A"), valid(name="B", typical_params=-1)]
    with pytest.raises(ScenarioError, match=r"^row 2 'B': typical_params: must be a positive number"):
        parse_import(json.dumps(rows), "json")
    csv_text = export_csv([valid(name="A"), valid(name="B")]).replace(",medium,", ",severe,", 1)
    with pytest.raises(ScenarioError, match=r"^row 1 \(line 2\) 'A': regulatory_risk: must be one of"):
        parse_import(csv_text, "csv")
    with pytest.raises(ScenarioError, match=r"^row 2: name: 'a' appears twice"):
        parse_import(json.dumps([valid(name="A"), valid(name="a")]), "json")
    with pytest.raises(ScenarioError, match=r"^file: not valid JSON"):
        parse_import("[{", "json")
    with pytest.raises(ScenarioError, match=r"^file: CSV header lacks the column 'name'"):
        parse_import("title\nx\n", "csv")
    with pytest.raises(ScenarioError, match=r"^format:"):
        parse_import("", "xlsx")
