"""The crash test's helpers (tandem/core/tests/test_crash_safety.py): its database and
the production environment of its processes (``site``), the processes it kills and the
people who write meanwhile (``driver``), what it checks in the database (``checks``),
and what runs inside those processes: the clinic it writes into (``world``), a task that
records each run (``tasks``) and a mail outbox on disk (``mail``)."""
