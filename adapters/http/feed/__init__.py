"""Feed and network endpoints."""
