"""feed domain."""
