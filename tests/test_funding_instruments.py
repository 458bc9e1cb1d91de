"""Instruments real rounds use, each checked to the share or the dollar against a public worked example: notes,
pre-money SAFEs, MFN SAFEs, participating and capped preferences, and the legal-spreadsheet rounding convention."""

from __future__ import annotations

import pytest

from core.funding.analysis import analyze
from core.funding.captable import Holder, build_cap_tables
from core.funding.model import ScenarioError, parse_scenario
from core.funding.waterfall import exit_classes, waterfall


def entries(data: dict) -> list[dict]:
    return build_cap_tables(parse_scenario(data))[0]


def converted(entry: dict) -> dict:
    return {c["round"]: c for c in entry["converted_safes"]}


@pytest.mark.parametrize(
    ("common", "pre_money", "shares", "price", "basis"),
    [(1_990_000, 10e6, 10_000, 2.50, "cap"), (1_193_750, 6e6, 6_250, 4.00, "discount")],
)
def test_note_with_cap_and_discount_fundersclub(common, pre_money, shares, price, basis):
    """FundersClub, "Numerical Example: $25k convertible note with $5M cap, 20% discount"
    (https://fundersclub.com/learn/convertible-notes/convertible-notes-numerical-examples/convertible-note-cap-discount/):
    Series A at $5.00 a share. At a $10M pre-money the cap applies ($5.00 x 5M/10M = $2.50): 10,000 shares. At $6M
    the discount wins ($4.00 against $4.1667): 6,250 shares. Common is chosen so the round prices at $5.00."""
    data = {
        "equity": {"common_shares": common},
        "rounds": [
            {"kind": "note", "amount": 25_000, "valuation_cap": 5e6, "discount": 0.2},
            {"kind": "priced", "month": 6, "amount": 1e6, "pre_money": pre_money},
        ],
    }
    series_a = entries(data)[-1]
    assert series_a["price_per_share"] == pytest.approx(5.00, abs=1e-12)
    note = converted(series_a)["Note 1"]
    assert (note["shares"], note["basis"]) == (shares, basis)
    assert note["conversion_price"] == pytest.approx(price, abs=1e-12)


def test_note_interest_converts_with_the_principal_fundersclub():
    """FundersClub glossary, "Interest (in a convertible note)"
    (https://fundersclub.com/learn/glossary/q/convertible-note-interest/): $1M at 5% converting a year later at a
    $10M valuation owns $1.05M / $10M = 10.5% (of the pre-money shares here: 1,050,000 of 10,000,000)."""
    data = {
        "equity": {"common_shares": 8_950_000},
        "rounds": [
            {"kind": "note", "amount": 1e6, "interest_rate": 0.05},
            {"kind": "priced", "month": 12, "amount": 2e6, "pre_money": 10e6},
        ],
    }
    series_a = entries(data)[-1]
    note = converted(series_a)["Note 1"]
    assert note["amount"] == pytest.approx(1_050_000)
    assert note["shares"] == 1_050_000
    assert note["shares"] / (series_a["total_shares"] - series_a["new_shares"]) == pytest.approx(0.105)


def test_note_reaching_maturity_is_repaid_in_cash_or_converts_at_its_cap():
    note = {"kind": "note", "amount": 500_000, "interest_rate": 0.06, "maturity_months": 12, "valuation_cap": 5e6}
    data = {"cash": 1e6, "costs": {"team": 10_000}, "equity": {"common_shares": 9_000_000}, "rounds": [note]}
    repaid = analyze(data, risk_paths=0)
    assert repaid["monthly"][12]["funding"] == pytest.approx(-530_000)  # principal plus a year at 6%
    assert repaid["cap_table"][-1]["kind"] == "maturity" and repaid["cap_table"][-1]["repaid"] is True
    assert [r["name"] for r in repaid["final_cap_table"]] == ["Common", "Unissued option pool"]
    converting = {**data, "rounds": [{**note, "on_maturity": "convert"}]}
    result = analyze(converting, risk_paths=0)
    assert result["monthly"][12]["funding"] == 0
    shares = {r["name"]: r["shares"] for r in result["final_cap_table"]}
    assert shares["Note 1"] == int(530_000 / (5e6 / 9_000_000))  # owed / (cap / fully diluted shares)
    priced_first = {**data, "rounds": [note, {"kind": "priced", "month": 12, "amount": 1e6, "pre_money": 9e6}]}
    assert analyze(priced_first, risk_paths=0)["monthly"][12]["funding"] == 1e6  # converted, nothing repaid


@pytest.mark.parametrize(
    ("cap", "discount", "shares", "price"), [(8e6, 0.15, 137_500, 8 / 11), (5e6, None, 220_000, 5 / 11)]
)
def test_pre_money_safe_yc_primer(cap, discount, shares, price):
    """YC SAFE Primer (pre-money safe), as reproduced by FundersClub (https://fundersclub.com/learn/safe-primer/
    safe-numerical-examples/safe-cap-and-discount/ and .../safe-cap-no-discount/):
    $100,000; 11,000,000 fully diluted shares before the Series A including the pool. Cap $8M with an 85% discount
    rate: $0.72727, 137,500 shares. Cap $5M: $5M / 11M; the primer prints 220,022 shares because it divides by its
    rounded $0.4545, exact arithmetic gives 220,000. The pre-money safe's capitalization leaves the SAFE out."""
    safe = {"kind": "safe", "amount": 100_000, "pre_money_cap": cap}
    if discount:
        safe["discount"] = discount
    data = {
        "equity": {"common_shares": 10_000_000, "unused_options": 1_000_000},
        "rounds": [safe, {"kind": "priced", "month": 3, "amount": 1e6, "pre_money": 10e6}],
    }
    result = converted(entries(data)[-1])["SAFE 1"]
    assert (result["shares"], result["basis"]) == (shares, "cap")
    assert result["conversion_price"] == pytest.approx(price, rel=1e-12)


def test_discount_safe_at_the_primers_series_a_price():
    """YC SAFE Primer, discount only: the Series A sells 1,100,110 shares at $0.909; an 85% discount rate gives the
    safe $0.77265 and 129,424 shares (round given by its price per share, as the primer states it)."""
    data = {
        "equity": {"common_shares": 10_000_000, "unused_options": 1_000_000},
        "rounds": [
            {"kind": "safe", "amount": 100_000, "discount": 0.15},
            {"kind": "priced", "month": 3, "amount": 1e6, "price_per_share": 0.909},
        ],
    }
    series_a = entries(data)[-1]
    assert series_a["new_shares"] == 1_100_110
    safe = converted(series_a)["SAFE 1"]
    assert safe["shares"] == 129_424 and safe["conversion_price"] == pytest.approx(0.77265, abs=1e-12)


def test_mfn_safe_takes_a_later_safes_cap_entrepreneur_first():
    """Entrepreneur First, "Illustrative cap tables" (https://www.joinef.com/illustrative-cap-tables/): a $1.25M SAFE
    round at a $12.5M cap converts into 10%, EF's SAFE into a fixed 8%, and the uncapped MFN SAFE inherits the $12.5M
    cap, giving it 1%; a 10% pool sits in the Company Capitalization. Founders hold the other 71%. The MFN adopts only
    later SAFEs: EF's earlier, lower cap is not offered to it."""
    data = {
        "equity": {"common_shares": 7_100_000, "unused_options": 1_000_000, "founder_shares": 7_100_000},
        "rounds": [
            {"kind": "safe", "name": "EF", "amount": 250_000, "post_money_cap": 3_125_000},
            {"kind": "safe", "name": "MFN", "amount": 125_000, "mfn": True},
            {"kind": "safe", "name": "Investors (1)", "month": 3, "amount": 1_250_000, "post_money_cap": 12.5e6},
            {"kind": "priced", "name": "Series A", "month": 9, "amount": 10e6, "pre_money": 40e6, "pool_target": 0.1},
        ],
    }
    steps = entries(data)
    assert steps[1]["shares"]["MFN"] is None  # nothing later to adopt yet
    series_a = steps[-1]
    assert series_a["company_capitalization"] == 10_000_000
    shares = {name: c["shares"] for name, c in converted(series_a).items()}
    assert shares == {"EF": 800_000, "MFN": 100_000, "Investors (1)": 1_000_000}
    plain = {**data, "rounds": [dict(r, mfn=False) if r.get("name") == "MFN" else r for r in data["rounds"]]}
    assert converted(entries(plain)[-1])["MFN"]["basis"] == "round price"


def test_participating_preference_gust():
    """Gust, "Participating Preferred" (https://docs.equity.gust.com/article/42-participating-preferred): $2M for 30%
    with a 1x participating preference; a $10M sale pays the investor $2M + 30% of $8M = $4.4M."""
    classes = [
        Holder("Investor", "preferred", 300_000, 2e6, 2e6, participating=True),
        Holder("Common", "common", 700_000),
    ]
    assert waterfall(classes, 10e6) == pytest.approx({"Investor": 4.4e6, "Common": 5.6e6})


@pytest.mark.parametrize(
    ("exit_value", "investor"),
    [(1e6, 1e6), (10e6, 4e6), (24e6, 7.5e6), (26e6, 8e6), (30e6, 8e6), (32e6, 8e6), (40e6, 10e6)],
)
def test_capped_participation_venturesouth(exit_value, investor):
    """VentureSouth, "Capped participation preferreds: the real impact" (https://venturesouth.vc/the-grey-zone/ and
    https://venturesouth.vc/capped-participation-preference-impact/): $2M for 25%, 1x, participation capped at 4x.
    $10M: $4M. $24M: $2M + 25% of $22M. Capped at $8M from $26M to $32M, then converting to 25% pays more."""
    classes = [
        Holder("Investor", "preferred", 250_000, 2e6, 2e6, participating=True, participation_cap=8e6),
        Holder("Common", "common", 750_000),
    ]
    payouts = waterfall(classes, exit_value)
    assert payouts["Investor"] == pytest.approx(investor)
    assert sum(payouts.values()) == pytest.approx(exit_value)


def test_multiple_preferences_and_a_seniority_stack():
    """Series B ($10M, 2x, senior) before Series A ($5M, 1x) before common; each converts when that pays more.
    Shares: common 6M, A 2M, B 2M (20% each). By hand: at $18M B takes it all; at $30M B $20M, A $5M, common $5M;
    at $150M both convert: 20%, 20%, 60%. Between them, A converts first (its $2.50 a share is the lower bar)."""
    classes = [
        Holder("Common", "common", 6_000_000),
        Holder("Series A", "preferred", 2_000_000, 5e6, 5e6, series="Series A"),
        Holder("Series B", "preferred", 2_000_000, 10e6, 20e6, series="Series B", seniority=1),
    ]
    assert waterfall(classes, 18e6) == pytest.approx({"Common": 0, "Series A": 0, "Series B": 18e6})
    assert waterfall(classes, 30e6) == pytest.approx({"Common": 5e6, "Series A": 5e6, "Series B": 20e6})
    # A converts once 2/8 of (V - $20M) beats $5M (above $40M); B once 20% of V beats $20M (above $100M)
    assert waterfall(classes, 60e6) == pytest.approx({"Common": 30e6, "Series A": 10e6, "Series B": 20e6})
    assert waterfall(classes, 150e6) == pytest.approx({"Common": 90e6, "Series A": 30e6, "Series B": 30e6})


def test_priced_round_terms_flow_into_the_exit_and_per_class_payouts():
    data = {
        "equity": {"common_shares": 8_000_000, "founder_shares": 8_000_000},
        "rounds": [
            {"kind": "safe", "name": "Angel", "amount": 500_000, "post_money_cap": 5e6},
            {
                "kind": "priced",
                "name": "Seed",
                "month": 6,
                "pre_money": 12e6,
                "investors": [{"name": "Lead", "amount": 2e6}, {"name": "Follow", "amount": 1e6}],
                "liquidation_multiple": 1.5,
                "participating": True,
            },
        ],
    }
    result = analyze(data, risk_paths=0)
    seed = result["cap_table"][-1]
    assert [i["name"] for i in seed["investors"]] == ["Seed · Lead", "Seed · Follow"]
    lead, follow = seed["investors"]
    assert abs(lead["shares"] - 2 * follow["shares"]) <= 2
    low = result["exit_payouts"][0]
    classes = low["class_payouts"]
    assert set(classes) == {"Common & options", "Seed"}  # the converted Angel SAFE holds Seed shadow shares
    assert sum(classes.values()) == pytest.approx(low["exit_value"])
    seed_holders = [h for h in result["final_cap_table"] if h.get("series") == "Seed"]
    assert sum(h["preference"] for h in seed_holders) == pytest.approx(1.5 * 3.5e6)


def test_pro_rata_keeps_the_holders_ownership():
    data = {
        "equity": {"common_shares": 9_000_000, "unused_options": 1_000_000},
        "rounds": [
            {"kind": "safe", "name": "Angel", "amount": 1e6, "post_money_cap": 10e6, "pro_rata": True},
            {"kind": "priced", "name": "Seed", "month": 6, "amount": 4e6, "pre_money": 16e6},
        ],
    }
    seed = entries(data)[-1]
    shares = seed["shares"]
    angel = shares["Angel"] + shares["Angel · pro rata in Seed"]
    before = shares["Angel"] / (seed["total_shares"] - seed["new_shares"])
    assert angel / seed["total_shares"] == pytest.approx(before, abs=2e-7)
    assert sum(i["amount"] for i in seed["investors"]) == pytest.approx(4e6)


def test_option_grants_come_from_the_pool_and_promised_options_count_in_company_capitalization():
    """YC Post-Money Safe User Guide, example 1, with the cap table as the guide lists it (9,250,000 founders,
    300,000 issued options, 350,000 promised options, 100,000 unissued): Company Capitalization 11,764,705."""
    data = {
        "equity": {
            "common_shares": 9_900_000,
            "founder_shares": 9_250_000,
            "issued_options": 300_000,
            "promised_options": 350_000,
            "unused_options": 100_000,
        },
        "rounds": [
            {"kind": "safe", "amount": 200_000, "post_money_cap": 4e6},
            {"kind": "safe", "month": 1, "amount": 800_000, "post_money_cap": 8e6},
            {"kind": "options", "month": 2, "shares": 60_000},
            {"kind": "priced", "month": 6, "amount": 5e6, "pre_money": 15e6, "pool_target": 0.10},
        ],
    }
    steps = entries(data)
    grant = steps[2]
    assert grant["shares"]["Option grant 1"] == 60_000 and grant["options"] == 40_000
    series_a = steps[-1]
    assert series_a["company_capitalization"] == 11_764_705
    assert series_a["shares"]["Promised options"] == 350_000 and series_a["shares"]["Issued options"] == 300_000
    too_many = {**data, "rounds": [{"kind": "options", "shares": 100_001}]}
    with pytest.raises(ScenarioError, match=r"rounds\[0\]\.shares"):
        entries(too_many)


def test_uncapped_safe_converts_at_an_exit_by_its_terms():
    """Post-money SAFE, discount only, at a Liquidity Event: the greater of the purchase amount and conversion at
    the exit price less the discount, which on an all-common company is worth amount / (1 - discount)."""
    data = {
        "equity": {"common_shares": 9_000_000},
        "rounds": [{"kind": "safe", "name": "Angel", "amount": 1e6, "discount": 0.2}],
    }
    _, table, pending = build_cap_tables(parse_scenario(data))
    classes = exit_classes(table, pending)
    assert waterfall(classes, 100e6)["Angel"] == pytest.approx(1.25e6)
    assert waterfall(classes, 1e6) == pytest.approx({"Common": 0.0, "Angel": 1e6})
    capped = {**data, "rounds": [{"kind": "safe", "name": "Angel", "amount": 1e6, "post_money_cap": 10e6}]}
    _, table, pending = build_cap_tables(parse_scenario(capped))
    assert waterfall(exit_classes(table, pending), 100e6)["Angel"] == pytest.approx(10e6, rel=1e-6)  # 10% at its cap


SHEET_SAFES = [(125_000, 125_000 / 0.07), (375_000, 10e6), (475_000, 10e6), (28_500, 13e6), (2_997_500, 30e6)]
TRUTH_SAFES = [(50_000, 10e6), (1_000_000, 10e6), (25_000, 10e6), (175_000, 10e6), (150_000, 10e6), (50_000, 10e6)]
TRUTH_SAFES += [(5_000, 20e6), (50_000, 20e6), (311_147.8, 20e6), (250_000, 20e6)]


def legal_sheet(common: int, unused: int, safes: list, investors: list[float], pre: float, rounding: bool) -> dict:
    rounds = [{"kind": "safe", "amount": a, "post_money_cap": c} for a, c in safes]
    investors = [{"name": f"Investor {n + 1}", "amount": a} for n, a in enumerate(investors)]
    rounds.append({"kind": "priced", "month": 1, "pre_money": pre, "pool_target": 0.1, "investors": investors})
    data = {"equity": {"common_shares": common, "unused_options": unused}, "rounds": rounds}
    if rounding:
        data["rounding"] = {"price_decimals": 5, "shares": "down"}
    return data


def test_rounding_key_reproduces_legal_spreadsheets_to_the_share():
    """1984 Ventures' cap-table library, conversion-solver tests "matches our Google Sheet" and "matches our known
    truth" (github.com/1984vc): prices rounded up to 5 decimals, shares down. Sheet: 21,040,767 shares, 2,104,076
    options of which 1,494,804 new, Company Capitalization 15,480,138, $20,700,117 post-money. Known truth:
    19,436,361 shares, 1,943,636 options, $60,000,046."""
    sheet = entries(legal_sheet(9_390_728, 609_272, SHEET_SAFES, [3e6, 1e6], 16.7e6, rounding=True))[-1]
    assert (sheet["total_shares"], sheet["options"], sheet["pool_increase"]) == (21_040_767, 2_104_076, 1_494_804)
    assert sheet["company_capitalization"] == 15_480_138
    assert round(sheet["price_per_share"] * sheet["total_shares"]) == 20_700_117
    truth = entries(legal_sheet(11_694_118, 0, TRUTH_SAFES, [10_199_995.29], 49.8e6, rounding=True))[-1]
    assert (truth["total_shares"], truth["options"]) == (19_436_361, 1_943_636)
    assert round(truth["price_per_share"] * truth["total_shares"]) == 60_000_046
    assert truth["price_per_share"] == 3.087  # rounded up to 5 decimals: 3.08700


def test_without_the_rounding_key_the_arithmetic_stays_exact():
    exact = entries(legal_sheet(9_390_728, 609_272, SHEET_SAFES, [3e6, 1e6], 16.7e6, rounding=False))[-1]
    assert exact["total_shares"] != 21_040_767  # the spreadsheet's figure needs its rounding
    assert exact["price_per_share"] * exact["total_shares"] == pytest.approx(20.7e6, rel=1e-6)
    assert "rounding" not in exact
