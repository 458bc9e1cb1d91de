"""`python -m core.lab`: train, measure and store the reference model."""

from core.lab.train import main

raise SystemExit(main())
