"""adapters identity adapters."""
