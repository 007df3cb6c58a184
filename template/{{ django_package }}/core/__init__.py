"""Cross-cutting views: liveness and readiness probes."""
