"""The plan's charts as plotly figures, built from analyze_plan's result alone: the home page and the pitch pack
draw the same ones. Money axes are labelled by core.formatting, so "$2.5M" reads the same in a chart and a card."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from core.formatting import compact, money

HEIGHT = 460
COLORS = {"plan": "#1f77b4", "band": "rgba(31,119,180,0.18)", "bad": "#d62728", "good": "#2ca02c", "muted": "#7f7f7f"}


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × 10^n apart) covering low..high."""
    low, high = min(low, 0.0) if low >= 0 else low, max(high, 0.0)
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(power * factor for factor in (1, 2, 2.5, 5, 10) if power * factor >= raw)
    first = math.floor(low / step) * step
    return [first + step * index for index in range(int(math.ceil((high - first) / step)) + 1)]


def money_axis(figure: go.Figure, values, axis: str = "yaxis") -> None:
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))] or [0.0]
    ticks = nice_ticks(min(finite), max(finite))
    figure.update_layout({axis: {"tickvals": ticks, "ticktext": [money(t) for t in ticks]}})


def _layout(figure: go.Figure, title: str, **extra) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0.01},
        template="plotly_white",
        height=HEIGHT,
        margin={"l": 70, "r": 30, "t": 60, "b": 60},
        legend={"orientation": "h", "y": -0.18},
        **extra,
    )
    return figure


def runway_figure(result: dict) -> go.Figure:
    """Planned cash month by month, the Monte Carlo P10–P90 band around it, and every raise."""
    monthly = result["funding"]["monthly"]
    month_axis = [row["month"] for row in monthly]
    cash = [row["cash"] for row in monthly]
    figure = go.Figure()
    risk = result["funding"].get("risk")
    values = list(cash)
    if risk:
        fan = risk["fan_months"]
        figure.add_trace(
            go.Scatter(x=fan, y=risk["cash_p90"], line={"width": 0}, mode="lines", showlegend=False, hoverinfo="skip")
        )
        figure.add_trace(
            go.Scatter(
                x=fan,
                y=risk["cash_p10"],
                fill="tonexty",
                mode="lines",
                fillcolor=COLORS["band"],
                line={"width": 0},
                name="P10–P90 of simulated paths",
                hoverinfo="skip",
            )
        )
        values += risk["cash_p90"] + risk["cash_p10"]
    figure.add_trace(
        go.Scatter(
            x=month_axis,
            y=cash,
            name="Planned cash",
            line={"color": COLORS["plan"], "width": 3},
            hovertemplate="Month %{x}: $%{y:,.0f}<extra></extra>",
        )
    )
    figure.add_hline(y=0, line={"color": COLORS["bad"], "dash": "dot"})
    for event in result["funding"]["cap_table"]:
        if event.get("month", 0) > 0 and event.get("amount"):
            figure.add_vline(x=event["month"], line={"color": COLORS["muted"], "dash": "dash"})
            figure.add_annotation(
                x=event["month"],
                y=1,
                yref="paper",
                text=event["round"],
                showarrow=False,
                yanchor="bottom",
                font={"size": 11},
            )
    money_axis(figure, values)
    return _layout(figure, "Cash by month: plan and simulated range", xaxis_title="Month of the plan")


def cap_table_figure(result: dict) -> go.Figure:
    """Fully diluted ownership after each round, one stacked bar per round."""
    entries = result["funding"]["cap_table"]
    holders: list[str] = []
    for entry in entries:
        for holder in entry["holders"]:
            if holder["name"] not in holders:
                holders.append(holder["name"])
    figure = go.Figure()
    labels = [f"{entry['round']}<br>month {entry['month']}" for entry in entries]
    for name in holders:
        shares = [next((h["percent"] for h in entry["holders"] if h["name"] == name), 0.0) for entry in entries]
        figure.add_trace(
            go.Bar(
                x=labels,
                y=shares,
                name=name,
                text=[f"{s:.1f}%" if s >= 4 else "" for s in shares],
                hovertemplate=name + ": %{y:.1f}%<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", yaxis={"range": [0, 100], "ticksuffix": "%"})
    return _layout(figure, "Cap table after each round (fully diluted)")


def exits_figure(result: dict) -> go.Figure:
    """What each holder takes home at a range of exit values (1x non-participating preferences)."""
    rows = result["funding"]["exit_payouts"]
    exits = [row["exit_value"] for row in rows]
    names = list(rows[0]["payouts"]) if rows else []
    figure = go.Figure()
    for name in names:
        figure.add_trace(
            go.Scatter(
                x=exits,
                y=[row["payouts"][name] for row in rows],
                name=name,
                mode="lines+markers",
                hovertemplate=name + ": $%{y:,.0f}<extra></extra>",
            )
        )
    money_axis(figure, [v for row in rows for v in row["payouts"].values()])
    money_axis(figure, exits, axis="xaxis")
    return _layout(figure, "Payout by exit value", xaxis_title="Exit value")


def training_band_figure(result: dict) -> go.Figure:
    """The training run's cost with its low–high band on every priced catalog GPU; the plan's GPU highlighted."""
    rows = result["training_by_gpu"]
    chosen = result["training"]["gpu"]
    figure = go.Figure(
        go.Bar(
            y=[row["gpu"] for row in rows],
            x=[row["cost_usd"] for row in rows],
            orientation="h",
            marker={"color": [COLORS["plan"] if row["gpu"] == chosen else "#aec7e8" for row in rows]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [row["cost_usd_high"] - row["cost_usd"] for row in rows],
                "arrayminus": [row["cost_usd"] - row["cost_usd_low"] for row in rows],
            },
            customdata=[[money(row["cost_usd_low"]), money(row["cost_usd_high"])] for row in rows],
            hovertemplate="%{y}: $%{x:,.0f} (%{customdata[0]}–%{customdata[1]})<extra></extra>",
        )
    )
    money_axis(figure, [row["cost_usd_high"] for row in rows], axis="xaxis")
    figure.update_layout(yaxis={"autorange": "reversed"})
    training = result["training"]
    title = (
        f"Training: {money(training['cost_usd'])} on {training['gpus']} × {chosen} "
        f"(band {money(training['cost_usd_low'])}–{money(training['cost_usd_high'])})"
    )
    return _layout(figure, title, xaxis_title="Cost of the run, default MFU per GPU")


def serving_traffic_figure(result: dict) -> go.Figure:
    """The monthly serving bill against traffic, with its band; the plan's traffic marked."""
    rows = result["serving_by_traffic"]
    traffic = [row["requests_per_day"] for row in rows]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=traffic,
            y=[r["monthly_cost_usd_high"] for r in rows],
            line={"width": 0},
            mode="lines",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=traffic,
            y=[r["monthly_cost_usd_low"] for r in rows],
            fill="tonexty",
            mode="lines",
            fillcolor=COLORS["band"],
            line={"width": 0},
            name="Low–high band",
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=traffic,
            y=[r["monthly_cost_usd"] for r in rows],
            name="Monthly serving bill",
            mode="lines+markers",
            line={"color": COLORS["plan"], "width": 3},
            hovertemplate="%{x:,.0f}/day: $%{y:,.0f}<extra></extra>",
        )
    )
    plan_traffic = result["serving_inputs"]["requests_per_day"]
    figure.add_vline(x=plan_traffic, line={"color": COLORS["muted"], "dash": "dash"})
    figure.add_annotation(x=math.log10(plan_traffic), y=1, yref="paper", text="plan", showarrow=False, yanchor="bottom")
    money_axis(figure, [r["monthly_cost_usd_high"] for r in rows])
    figure.update_xaxes(type="log", tickvals=traffic, ticktext=[compact(t) for t in traffic])
    serving = result["serving"]
    title = f"Serving: {money(serving['monthly_cost_usd'])}/month on {serving['gpus_needed']} × {serving['gpu']}"
    return _layout(figure, title, xaxis_title="Requests per day")


def application_figure(result: dict) -> go.Figure | None:
    """The application's four feasibility criteria, 1 (hard for a startup) to 5 (easy)."""
    application = result.get("application")
    if not application:
        return None
    breakdown = application["feasibility"]["breakdown"]
    labels = [row["label"] for row in breakdown]
    points = [row["points"] for row in breakdown]
    figure = go.Figure(
        go.Scatterpolar(r=points + points[:1], theta=labels + labels[:1], fill="toself", name=application["name"])
    )
    figure.update_layout(polar={"radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5]}}, showlegend=False)
    title = f"{application['name']}: feasibility {application['feasibility']['score']:.0f}/100"
    figure = _layout(figure, title)
    figure.update_layout(margin={"l": 110, "r": 110, "t": 80, "b": 50})  # room for the axis labels
    return figure


def proof_figure(result: dict) -> go.Figure | None:
    """The reference model's measured run: accuracy and loss per epoch."""
    run = result.get("reference_run")
    if not run or not run.get("history"):
        return None
    history = run["history"]
    epochs = [row["epoch"] for row in history]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=epochs, y=[row["accuracy"] for row in history], name="Training accuracy", mode="lines+markers", yaxis="y"
        )
    )
    figure.add_trace(
        go.Scatter(x=epochs, y=[row["loss"] for row in history], name="Training loss", mode="lines+markers", yaxis="y2")
    )
    figure.update_layout(
        xaxis={"title": "Epoch", "tickmode": "array", "tickvals": epochs},
        yaxis={"title": "Accuracy", "tickformat": ".0%", "rangemode": "tozero"},
        yaxis2={"title": "Loss", "overlaying": "y", "side": "right", "rangemode": "tozero"},
    )
    return _layout(figure, f"Reference run #{run['id']}: test accuracy {run['test_accuracy']:.2%}")
