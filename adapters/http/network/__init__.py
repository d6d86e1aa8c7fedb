"""Follow and connection endpoints."""
