"""The open data API: read-only JSON of what the public pages show, under /api/v1/."""
