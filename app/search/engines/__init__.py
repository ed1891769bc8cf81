"""Search engines behind `app.search.backend.SearchBackend`: Whoosh (embedded) and PostgreSQL (scale-out)."""
