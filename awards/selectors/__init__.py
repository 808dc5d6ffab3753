"""Reads of the awards app, one module per area: nominations, jury, decisions, publication."""
