"""Alembic migrations for the claim store, run from Store on open (script_location is this folder)."""
