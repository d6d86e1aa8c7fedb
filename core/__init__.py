"""Pure domain core: models and services. Standard library only."""
