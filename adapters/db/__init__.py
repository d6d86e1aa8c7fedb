"""adapters db adapters."""
