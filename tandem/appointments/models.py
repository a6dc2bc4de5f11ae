"""Models of the appointments app."""
