"""Applications page: weights and filters, helpers the tabs share, and one module per tab."""
