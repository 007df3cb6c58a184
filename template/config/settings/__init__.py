"""Settings, split by environment: base (shared), dev, prod, test."""
