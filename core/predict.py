"""`python -m core.predict`, the README's name for `python -m core.demo`: read handwritten digits from image files."""

if __name__ == "__main__":
    from core.demo.predict import main

    raise SystemExit(main())
