"""Funding page: the draft scenario and its editor, and one module per tab."""
