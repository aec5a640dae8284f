"""Shared by the benches that fill a database of their own."""

from sqlalchemy import create_engine, text


def empty_postgres(url: str) -> None:
    """Drop and recreate the public schema of a PostgreSQL database (nothing for SQLite)."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
