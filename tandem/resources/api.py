"""The resources API (mounted under /api/v1/ by tandem/api/api.py)."""

from ninja import Router

router = Router(tags=["resources"])
