"""`python -m core.applications`: the application-scenario catalog."""

from core.applications.catalog import main

raise SystemExit(main())
