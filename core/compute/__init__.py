"""GPU budget: training and serving estimates, the GPU catalog, MFU defaults and saved estimates."""
