"""Forms of the awards app, one module per area; each form carries its crispy-forms helper."""
