"""The authorization matrix over the installable app's routes (tandem/core/testing/matrix)."""

from tandem.core.testing.matrix import walks

globals().update(walks("offline"))
