"""The authorization matrix over the break-glass pages and API operations: every persona
against own and other-clinic grants (tandem/core/testing/matrix.py holds the personas, the
walkers and the oracle; this app's rules are in tests/matrix.py)."""

from tandem.core.testing.matrix import walks

globals().update(walks("breakglass"))
