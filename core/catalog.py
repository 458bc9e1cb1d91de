"""`python -m core.catalog`, the README's name for `python -m core.applications`: the application-scenario catalog."""

if __name__ == "__main__":
    from core.applications.catalog import main

    raise SystemExit(main())
