"""The authorization matrix over the imports app's pages (tandem/core/testing/matrix)."""

from tandem.core.testing.matrix import walks

globals().update(walks("imports"))
