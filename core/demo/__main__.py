"""`python -m core.demo`: read handwritten digits from image files."""

from core.demo.predict import main

raise SystemExit(main())
