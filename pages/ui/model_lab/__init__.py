"""Model Lab page: the training form, the stored runs and the benchmarks."""
