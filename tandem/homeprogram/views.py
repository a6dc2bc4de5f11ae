"""Pages of the homeprogram app."""
