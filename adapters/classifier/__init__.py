"""adapters classifier adapters."""
