"""What the notes app tells the apps above it, without importing them.

``note_signed`` is sent, inside the signing transaction, when a note becomes signed for
good: at its author's signature, or at the co-signature of an assistant's note. Billing
makes the session's charges from it; a receiver that raises undoes the signature.
"""

from django.dispatch import Signal

# Sent with ``note`` (the signed SessionNote) and ``at`` (the signing instant, or None).
note_signed = Signal()
