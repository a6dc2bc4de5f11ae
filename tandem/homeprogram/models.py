"""Models of the homeprogram app."""
