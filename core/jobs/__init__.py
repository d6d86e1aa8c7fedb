"""The jobs domain: the job board now; the personal application tracker and the recruiter ATS join it as
modules beside ``board`` over the shared model in ``core.jobs.model`` (``../shared/behaviors/tracker-ats.md`` §4)."""
