"""Tandem's named date formats in Spanish: "martes 8 de diciembre", month names in lower case.

``b`` is the month's lower-case abbreviation ("dic"); Django's ``M`` would write "Dic".
"""

LONG_DATE_FORMAT = r"j \d\e F \d\e Y"  # 8 de diciembre de 2026
FULL_DATE_FORMAT = r"l j \d\e F \d\e Y"  # martes 8 de diciembre de 2026
FULL_DATETIME_FORMAT = r"l j \d\e F \d\e Y, H:i"  # martes 8 de diciembre de 2026, 16:30
DAY_FORMAT = r"l j \d\e F"  # martes 8 de diciembre
DAY_TIME_FORMAT = r"l j \d\e F, H:i"  # martes 8 de diciembre, 16:30
MEDIUM_DATE_FORMAT = "j b Y"  # 8 dic 2026
SHORT_DAY_FORMAT = "D j b"  # mar 8 dic
SHORT_MONTH_DAY_FORMAT = "j b"  # 8 dic
SHORT_YEAR_MONTH_FORMAT = "b Y"  # dic 2026
MEDIUM_DATETIME_FORMAT = "j b Y, H:i"  # 8 dic 2026, 16:30
SHORT_DAY_TIME_FORMAT = "j b, H:i"  # 8 dic, 16:30
STAMP_FORMAT = "j b Y H:i"  # 8 dic 2026 16:30
