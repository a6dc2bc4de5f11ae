"""The authorization matrix over the school-plans pages (tandem/core/testing/matrix.py)."""

from tandem.core.testing.matrix import walks

globals().update(walks("schoolplans"))
