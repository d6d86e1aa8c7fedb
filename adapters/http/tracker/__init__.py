"""The tracker's HTTP faces: the native ``/tracker/`` API and the job-search-tracker-compatible ``/api/`` paths."""
