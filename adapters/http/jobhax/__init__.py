"""The JobHax-compatible face: ``/api/users/*``, ``/api/jobapps/*``, ``/api/metrics/*`` (issue 25)."""
