"""`python -m db`: migrate the database to the newest schema and apply seed data; prints where it lives."""

from db.engine import init_db

if __name__ == "__main__":
    engine = init_db()
    print(f"database ready: {engine.url.render_as_string(hide_password=True)}")
