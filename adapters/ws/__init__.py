"""adapters ws adapters."""
