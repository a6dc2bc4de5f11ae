"""What the authorization matrix needs to know about the installable app's routes.

All three are public (``PUBLIC_ROUTES`` in tandem/core/testing/matrix/rules.py): the
service worker, the manifest and the offline page hold nothing of anyone's record.
"""
