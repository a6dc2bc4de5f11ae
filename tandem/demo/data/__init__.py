"""The demo's tables: people, clinical stories, home life and the library, as literals.

Data, not code: these modules hold values only (their shapes are in ``demo.shapes``).
"""
