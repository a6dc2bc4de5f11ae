"""Pages of the resources app."""
