"""`python -m core.train`, the README's name for `python -m core.lab`: train, measure and store the reference model."""

if __name__ == "__main__":
    from core.lab.train import main

    raise SystemExit(main())
