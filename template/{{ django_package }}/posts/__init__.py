"""Posts: the example domain (model, services, API, admin)."""
