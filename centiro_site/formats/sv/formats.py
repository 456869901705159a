# One style for dates and times on every page: "2 december 2026 kl. 05:52".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y \k\l. H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = r"j F Y \k\l. H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
