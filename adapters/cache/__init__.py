"""adapters cache adapters."""
