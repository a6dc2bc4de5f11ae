"""Tandem's named date formats in English (Django's own fill in the rest).

Templates name a format (``|date:"LONG_DATE_FORMAT"``) instead of spelling it, so each
language writes a date the way it is read: "Tuesday 8 December" / "martes 8 de diciembre".
"""

LONG_DATE_FORMAT = "j F Y"  # 8 December 2026
FULL_DATE_FORMAT = "l j F Y"  # Tuesday 8 December 2026
FULL_DATETIME_FORMAT = "l j F Y, H:i"  # Tuesday 8 December 2026, 16:30
DAY_FORMAT = "l j F"  # Tuesday 8 December
DAY_TIME_FORMAT = "l j F, H:i"  # Tuesday 8 December, 16:30
MEDIUM_DATE_FORMAT = "j M Y"  # 8 Dec 2026
SHORT_DAY_FORMAT = "D j M"  # Tue 8 Dec
SHORT_MONTH_DAY_FORMAT = "j M"  # 8 Dec
SHORT_YEAR_MONTH_FORMAT = "M Y"  # Dec 2026
MEDIUM_DATETIME_FORMAT = "j M Y, H:i"  # 8 Dec 2026, 16:30
SHORT_DAY_TIME_FORMAT = "j M, H:i"  # 8 Dec, 16:30
STAMP_FORMAT = "j M Y H:i"  # 8 Dec 2026 16:30 (when a note was signed, a token last used)
