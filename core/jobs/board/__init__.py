"""Board use cases: postings (employers and their organization members), seeking (everyone), alerts and
expiry (background work)."""
