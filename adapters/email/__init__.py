"""adapters email adapters."""
