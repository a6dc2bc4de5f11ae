"""Models of the childmode app."""
