"""`python -m core.estimate`, the README's name for `python -m core.compute`: GPU budget for training and serving."""

if __name__ == "__main__":
    from core.compute.estimate import main

    raise SystemExit(main())
