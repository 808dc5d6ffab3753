"""Full-text search of practices: Finnish morphology (Voikko), the indexed document of a practice, the query."""
