"""JobHax compatibility: OAuth clients of its token endpoints and username aliases (issue 25)."""
