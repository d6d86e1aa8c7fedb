"""adapters storage adapters."""
