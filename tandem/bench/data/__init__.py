"""Literal tables of the synthetic clinic (data, not code)."""
