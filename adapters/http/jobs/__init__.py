"""Job board endpoints under ``/job/``."""
