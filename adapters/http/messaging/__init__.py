"""Chat endpoints."""
