"""System adapters: clock and rate limiting (memory, Redis)."""
