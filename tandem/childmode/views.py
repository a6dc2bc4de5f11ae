"""Pages of the childmode app."""
