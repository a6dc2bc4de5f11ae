"""Pages of the messaging app."""
