"""The demo clinics (``manage.py demo_clinic``): made-up people and months of record.

The top layer: it imports every app and no app imports it. Records are written through
the apps' actions, each with the moment it would have been written (``at=``); the
tables of people, stories and texts are data modules under ``data/``.
"""
