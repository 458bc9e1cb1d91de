"""Home: what ModelRunway answers, the reference model's latest measured run, and a way into every page."""

import streamlit as st

from pages.ui.common import PAGES, configure_page, ensure_database

# The title is drawn before anything touches the database, so the page shows at once on a cold start.
configure_page("Home")

st.title("ModelRunway")
st.markdown(
    "**Does the plan hold?** ModelRunway tells the founder of an AI-model startup how far the money goes, "
    "what the GPUs will cost, which applications fit, and shows a live model that proves the numbers are real. "
    "Every estimate cites a reference model (the classic 784-512-256-128-10 MLP on MNIST) trained and measured "
    "on this machine."
)


def show_latest_run() -> None:
    from core.lab.runs import latest_successful_run

    run = latest_successful_run()
    st.subheader("Latest reference run")
    if run is None:
        st.info("No reference run yet. Train one on the Model Lab page (about a minute on a laptop CPU).")
        return
    cols = st.columns(4)
    cols[0].metric("Test accuracy", f"{run['test_accuracy']:.2%}", help=f"{run['n_test']:,} held-out digits")
    cols[1].metric("Samples/s", f"{run['samples_per_second']:,.0f}", help=f"Training throughput; MFU {run['mfu']:.1%}")
    cols[2].metric("Device", (run["device"] or "").upper(), help=run["device_name"])
    cols[3].metric(
        "Cost of the run",
        f"${run['cost_usd']:.5f}" if run["cost_usd"] is not None else "n/a",
        help=f"{run['wall_seconds']:.1f} s at ${run['price_per_hour'] or 0:.3f}/h",
    )
    st.caption(
        f"Run {run['id']}: {run['epochs']} epochs, batch {run['batch_size']}, {run['n_train']:,} training digits "
        f"({run['dataset']}), finished {run['finished_at']}."
    )


ensure_database()
show_latest_run()

st.subheader("Pages")
for entry in PAGES[1:]:
    st.page_link(entry.path, label=entry.title, icon=entry.icon)
