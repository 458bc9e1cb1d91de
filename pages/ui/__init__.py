"""What the pages draw: shared page code (common.py) and, per page, one module per tab."""
