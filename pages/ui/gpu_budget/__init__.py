"""GPU Budget page: one module per tab, plus the inputs' defaults and link pre-fill."""
