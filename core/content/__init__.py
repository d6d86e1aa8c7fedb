"""content domain."""
