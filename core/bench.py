"""`python -m core.bench`, the README's name for `python -m core.lab.bench`: speed benchmark, one JSON object."""

if __name__ == "__main__":
    from core.lab.bench import main

    raise SystemExit(main())
