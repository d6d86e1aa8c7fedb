"""Support: dispute tickets users open and administrators answer, and corporate leads."""
