"""Funding scenarios: the scenario model, cap table, cash flow, Monte Carlo risk, analysis and storage."""
