"""Pages of the consent app."""
