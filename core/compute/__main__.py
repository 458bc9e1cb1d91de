"""`python -m core.compute`: GPU budget for training and serving."""

from core.compute.estimate import main

raise SystemExit(main())
