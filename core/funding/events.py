"""Funding events of a scenario: SAFEs (post-money, pre-money, MFN), convertible notes, priced rounds with several
investors and preference terms, option grants, grants and cloud credits.

Every event lands at the start of its month (0-based). Amounts are US dollars. Bounds keep every figure finite.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_MONEY = 1e13  # more than any company has raised; keeps every sum finite
MAX_SHARES = 10**13
MAX_MONTH = 600
# Every other number of a scenario (revenue, headcount, multiples, fractions) lies within these magnitudes, or is
# 0: the projections stay finite, and no ratio of two figures overflows.
MAX_FIGURE = 1e15
MIN_FIGURE = 1e-9


class FundingModel(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    @field_validator("*", mode="after")
    @classmethod
    def _bounded(cls, value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if abs(value) > MAX_FIGURE:
                raise ValueError(f"must be at most {MAX_FIGURE:g} in size, got {value:g}")
            if 0 < abs(value) < MIN_FIGURE:
                raise ValueError(f"must be 0 or at least {MIN_FIGURE:g} in size, got {value:g}")
        return value


Money = Annotated[float, Field(gt=0, le=MAX_MONEY)]
Month = Annotated[int, Field(ge=0, le=MAX_MONTH)]


class Safe(FundingModel):
    """A SAFE. post_money_cap makes it a post-money SAFE (YC 2018), pre_money_cap a pre-money SAFE (YC 2013);
    with neither it converts at the round price less its discount. mfn: it takes the best cap and discount of any
    SAFE issued after it and before it converts. pro_rata: it buys its share of the next priced round."""

    kind: Literal["safe"]
    name: str | None = Field(None, max_length=200)
    month: Month = 0
    amount: Money
    post_money_cap: float | None = Field(None, gt=0, le=MAX_MONEY)
    pre_money_cap: float | None = Field(None, gt=0, le=MAX_MONEY)
    discount: float | None = Field(None, ge=0, lt=1, description="0.2 = converts at 80% of the round price")
    mfn: bool = False
    pro_rata: bool = False

    @model_validator(mode="after")
    def _one_cap(self) -> Safe:
        if self.post_money_cap is not None and self.pre_money_cap is not None:
            raise ValueError("pre_money_cap: give a post-money cap or a pre-money cap, not both")
        return self

    @property
    def cap(self) -> float | None:
        return self.post_money_cap if self.post_money_cap is not None else self.pre_money_cap

    @property
    def pre_money(self) -> bool:
        return self.pre_money_cap is not None


class Note(FundingModel):
    """A convertible note: principal plus simple interest converts in the next priced round at the lower of the
    round price less the discount and the cap price (round price x cap / pre-money). At maturity, if no priced
    round came first, it is repaid in cash (on_maturity "repay") or converts into common at the cap."""

    kind: Literal["note"]
    name: str | None = Field(None, max_length=200)
    month: Month = 0
    amount: Money
    interest_rate: float = Field(0.0, ge=0, le=1, description="Simple annual interest: 0.08 = 8% a year")
    maturity_months: int = Field(24, ge=1, le=MAX_MONTH, description="Months from issue to maturity")
    valuation_cap: float | None = Field(None, gt=0, le=MAX_MONEY, description="Pre-money valuation cap")
    discount: float | None = Field(None, ge=0, lt=1)
    on_maturity: Literal["repay", "convert"] = "repay"
    pro_rata: bool = False

    @model_validator(mode="after")
    def _convertible_at_maturity(self) -> Note:
        if self.on_maturity == "convert" and self.valuation_cap is None:
            raise ValueError("on_maturity: a note converts at maturity only at its valuation_cap; set one")
        return self

    def owed(self, months: float) -> float:
        """Principal plus simple interest after `months` months."""
        return self.amount * (1.0 + self.interest_rate * max(months, 0.0) / 12.0)


class Investor(FundingModel):
    name: str = Field(min_length=1, max_length=200)
    amount: Money
    pro_rata: bool = False


class Priced(FundingModel):
    """A priced round. Price from pre_money (the option-pool shuffle and converting SAFEs and notes inside it) or
    given as price_per_share. Preferences: liquidation_multiple x invested, non-participating unless participating
    (then up to participation_cap x invested in all), paid by seniority (higher first, equal ranks pari passu)."""

    kind: Literal["priced"]
    name: str | None = Field(None, max_length=200)
    month: Month = 0
    amount: float | None = Field(None, gt=0, le=MAX_MONEY, description="New money; default: the investors' sum")
    pre_money: float | None = Field(None, gt=0, le=MAX_MONEY)
    price_per_share: float | None = Field(None, gt=0, le=1e9)
    pool_target: float | None = Field(None, ge=0, lt=1, description="Unissued pool as a fraction of post-money")
    investors: list[Investor] = Field(default_factory=list, max_length=100)
    liquidation_multiple: float = Field(1.0, ge=0, le=10)
    participating: bool = False
    participation_cap: float | None = Field(None, gt=0, le=100, description="Total return cap, x invested")
    seniority: int = Field(0, ge=0, le=100, description="Higher is paid first; equal ranks share pari passu")
    pro_rata: bool = False

    @model_validator(mode="after")
    def _price_and_amount(self) -> Priced:
        if (self.pre_money is None) == (self.price_per_share is None):
            raise ValueError("pre_money: give the pre-money valuation or the price_per_share (one of them)")
        total = sum(i.amount for i in self.investors)
        if self.amount is None:
            if not self.investors:
                raise ValueError("amount: give the round's new money or its investors")
            self.__dict__["amount"] = total
        elif self.investors and abs(total - self.amount) > max(0.01, 1e-9 * self.amount):
            raise ValueError(f"investors: their amounts add up to {total:,.2f}, not the round's {self.amount:,.2f}")
        if self.participation_cap is not None and self.participation_cap < self.liquidation_multiple:
            raise ValueError("participation_cap: must be at least the liquidation_multiple")
        return self


class OptionGrant(FundingModel):
    """Options granted from the unissued pool: the fully diluted count does not change."""

    kind: Literal["options"]
    name: str | None = Field(None, max_length=200)
    month: Month = 0
    shares: int = Field(gt=0, le=MAX_SHARES)


class Grant(FundingModel):
    kind: Literal["grant"]
    name: str | None = Field(None, max_length=200)
    month: Month = 0
    amount: Money


class Credits(FundingModel):
    kind: Literal["credits"]
    name: str | None = Field(None, max_length=200)
    month: Month = 0
    amount: Money
    months_valid: int = Field(12, ge=1, le=MAX_MONTH)


Event = Annotated[Safe | Note | Priced | OptionGrant | Grant | Credits, Field(discriminator="kind")]
EVENT_KINDS = ("safe", "note", "priced", "options", "grant", "credits")
RAISE_KINDS = ("safe", "note", "priced")  # money for equity: can be late, can fail, dilutes
EQUITY_KINDS = ("safe", "note", "priced", "options")  # change the cap table
KIND_LABELS = {
    "safe": "SAFE",
    "note": "Note",
    "priced": "Priced",
    "options": "Option grant",
    "grant": "Grant",
    "credits": "Credits",
}
