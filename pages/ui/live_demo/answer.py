"""Live Demo: the answer with its controls shown: digit or "not sure", confidence, latency, top 3, what the model
saw and why it answered so."""

from __future__ import annotations

import numpy as np
import plotly.express as px
import streamlit as st
from PIL import Image

from core.demo.predict import Prediction
from pages.ui.common import escape_markdown
from pages.ui.live_demo.models import Choice
from pages.ui.live_demo.why import pictures_for

NOT_SURE = "I'm not sure that's a digit"


def show_answer(prediction: Prediction, pixels: np.ndarray, choice: Choice) -> None:
    cols = st.columns(3)
    cols[0].metric("Prediction", "not sure" if prediction.unsure else prediction.digit)
    cols[1].metric("Confidence", f"{prediction.confidence:.1%}")
    cols[2].metric(
        "Latency",
        f"{prediction.latency_ms:.1f} ms",
        help=f"Preprocessing {prediction.preprocess_ms:.1f} ms, model {prediction.model_ms:.2f} ms"
        + (" (int8 TFLite)" if choice.int8 else ""),
    )
    if prediction.unsure:
        st.warning(
            f"**{NOT_SURE}.** Best guess {prediction.guess} at {prediction.confidence:.1%}; "
            f"{escape_markdown(', '.join(prediction.reasons))}. Draw one digit, large and clear."
        )
    st.progress(prediction.confidence, text=f"Confidence {prediction.confidence:.1%}")
    top = prediction.top(3)
    chart = px.bar(
        x=[p for _, p in top], y=[str(d) for d, _ in top], orientation="h", text=[f"{p:.1%}" for _, p in top],
        labels={"x": "probability", "y": "digit"}, title="Top 3", range_x=[0, 1],
    )  # fmt: skip
    chart.update_yaxes(autorange="reversed", type="category").update_layout(height=240, margin={"t": 40, "b": 0})
    chart.update_xaxes(tickformat=".0%")
    st.plotly_chart(chart, width="stretch")
    seen = Image.fromarray((pixels * 255).astype(np.uint8)).resize((140, 140), Image.Resampling.NEAREST)
    [why] = pictures_for(choice.run["model_path"], pixels, [prediction.guess])
    pictures = st.columns(2)
    pictures[0].image(seen, caption="What the model sees: 28×28, light ink on black, as MNIST", width=140)
    pictures[1].image(
        Image.fromarray(why).resize((140, 140), Image.Resampling.NEAREST),
        caption=f"Why {prediction.guess}: red ink pushed towards it, blue away (integrated gradients)",
        width=140,
    )
