"""GPU Budget: the parallel layout as a picture, memory per GPU against the card, and where a step's time goes."""

import plotly.graph_objects as go

from core.formatting import compact

MAX_DRAWN_STAGES = 16
PARTS = (("weights_gb", "weights"), ("gradients_gb", "gradients"), ("optimizer_gb", "Adam states"),
         ("activations_gb", "own activations"))  # fmt: skip


def layout_figure(layout: dict, gpus: int, gpu_name: str) -> go.Figure:
    """One data-parallel replica drawn as pipeline stages (columns) × tensor-parallel ranks (rows); servers of 8 GPUs
    outlined; the replica is repeated DP times."""
    tensor, pipeline, data = layout["tensor_parallel"], layout["pipeline_parallel"], layout["data_parallel"]
    drawn = min(pipeline, MAX_DRAWN_STAGES)
    xs, ys, text = [], [], []
    for stage in range(drawn):
        for rank in range(tensor):
            xs.append(stage)
            ys.append(rank)
            text.append(f"stage {stage + 1}, tensor rank {rank + 1}: GPU {stage * tensor + rank + 1} of the replica")
    figure = go.Figure(
        go.Scatter(
            x=xs, y=ys, mode="markers", text=text, hoverinfo="text",
            marker={"symbol": "square", "size": 26 if drawn * tensor <= 64 else 14, "color": xs,
                    "colorscale": "Viridis", "line": {"width": 1, "color": "#333"}},
        )
    )  # fmt: skip
    per_server = max(1, 8 // tensor)
    for first in range(0, drawn, per_server):
        figure.add_shape(
            type="rect", x0=first - 0.45, x1=min(first + per_server, drawn) - 0.55, y0=-0.5, y1=tensor - 0.5,
            line={"dash": "dot", "color": "#888"},
        )  # fmt: skip
    more = f" (first {drawn} of {pipeline} stages drawn)" if drawn < pipeline else ""
    idle = gpus - tensor * pipeline * data
    figure.update_layout(
        title=f"Layout: TP {tensor} × PP {pipeline} × DP {compact(data)} = {compact(tensor * pipeline * data)} "
        f"{gpu_name}, ZeRO-{layout['zero_stage']}{more}" + (f"; {compact(idle)} idle" if idle else ""),
        xaxis={"title": "pipeline stage", "tickmode": "array", "tickvals": list(range(drawn)),
               "ticktext": [str(stage + 1) for stage in range(drawn)]},
        yaxis={"title": "tensor-parallel rank", "tickvals": list(range(tensor))},
        showlegend=False, height=320,
        annotations=[{"text": f"× {compact(data)} data-parallel replicas; dotted boxes: 8-GPU servers",
                      "xref": "paper", "yref": "paper", "x": 1, "y": 1.08, "showarrow": False}],
    )  # fmt: skip
    return figure


def memory_figure(layout: dict, capacity_gb: float, memory_gb: float) -> go.Figure:
    memory = layout["memory"]
    figure = go.Figure()
    for key, label in PARTS:
        figure.add_bar(x=["per GPU"], y=[memory[key]], name=label)
    figure.add_hline(y=capacity_gb, line_dash="dot", annotation_text=f"usable {capacity_gb:,.0f} of {memory_gb:g} GB")
    return figure.update_layout(barmode="stack", title="Memory on the busiest GPU", yaxis_title="GB", height=320)


def step_figure(layout: dict) -> go.Figure:
    compute = layout["step_compute_s"]
    parts = {
        "compute": compute,
        "tensor-parallel all-reduce": layout["tensor_comm_s"],
        "pipeline sends": layout["pipeline_comm_s"],
        "gradient sync not hidden": layout["data_comm_exposed_s"],
        "pipeline bubble": layout["bubble_fraction"] * compute,
    }
    figure = go.Figure(go.Bar(x=list(parts), y=list(parts.values())))
    return figure.update_layout(
        title=f"One optimizer step: {layout['overhead_fraction']:.0%} on top of compute "
        f"(slowdown ×{layout['slowdown']:.2f} beyond what the fitted MFU already carries)",
        yaxis_title="seconds", height=320,
    )  # fmt: skip
