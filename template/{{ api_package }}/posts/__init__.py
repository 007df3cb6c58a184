"""Posts: the example domain (model, service, API)."""
