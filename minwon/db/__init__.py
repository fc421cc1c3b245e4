"""Database schema and sessions (SQLite by default, PostgreSQL in production)."""
