"""adapters payments adapters."""
