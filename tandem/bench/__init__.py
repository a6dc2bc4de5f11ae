"""Performance tooling: the synthetic clinic generator and ``make bench`` (issue 16)."""
