"""adapters http adapters."""
