"""Pages of the appointments app."""
