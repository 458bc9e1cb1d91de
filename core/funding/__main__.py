"""`python -m core.funding SCENARIO.json`: runway, cap table, exits and risk of a funding scenario."""

from core.funding.analysis import main

raise SystemExit(main())
