"""Storage: SQLAlchemy models, engine and session, Alembic migrations and seed data. No business logic."""
