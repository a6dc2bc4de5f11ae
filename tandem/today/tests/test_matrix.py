"""The authorization matrix over the appointments app's pages and API operations: every persona
against own, other-family and other-clinic objects (tandem/core/testing/matrix.py holds
the personas, the walkers and the oracle; this app's rules are in tests/matrix.py)."""

from tandem.core.testing.matrix import walks

globals().update(walks("today"))
