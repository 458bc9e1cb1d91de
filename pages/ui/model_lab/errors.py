"""Model Lab, error gallery: the test digits a stored model misread, each with why (integrated gradients)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

ERRORS_SHOWN = 16


def show_error_gallery(run: dict) -> None:
    st.markdown("**Error gallery** · the test digits this model misread, and why")
    if not run.get("model_path") or not Path(run["model_path"]).is_file():
        st.caption("This run kept no model file (scaling-lab runs do not), so its errors cannot be shown.")
        return
    from pages.ui.live_demo.gallery import test_digits, test_predictions
    from pages.ui.live_demo.why import pictures_for

    images, labels, _ = test_digits()
    path = run["model_path"]
    predicted = test_predictions(path, Path(path).stat().st_mtime)
    wrong = np.flatnonzero(predicted != labels)
    if not len(wrong):
        st.caption("No misread test digit.")
        return
    shown = wrong[:ERRORS_SHOWN]
    st.image(
        pictures_for(path, images[shown], predicted[shown]),
        caption=[f"read {predicted[i]}, is {labels[i]}" for i in shown],
        width=112,
    )
    st.caption(
        f"{len(wrong)} of {len(labels)} misread; the first {len(shown)} shown. Red: ink that pushed the model towards "
        "its (wrong) answer; blue: ink that pushed away from it."
    )
