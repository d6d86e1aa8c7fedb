"""The personal application tracker: owner-only tracked applications, events, notes, sites, opportunities and
metrics, over ``ports/tracker.py``."""
