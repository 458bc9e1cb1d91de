"""A plan: application, training and serving estimates and a funding scenario, with one verdict."""
