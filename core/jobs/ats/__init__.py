"""The recruiter ATS module of the jobs domain (issue 26)."""
