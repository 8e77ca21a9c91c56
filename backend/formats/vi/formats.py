"""Vietnamese formats: dd/mm/yyyy, HH:MM dd/mm/yyyy, decimal comma, dot between thousands.

Format strings use Django's date-filter syntax (https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date).
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i d/m/Y"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday

# What people type in the site's date fields (frontend/forms_base.py), first the one shown.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%d%m%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = ["%H:%M %d/%m/%Y", "%H:%M %d/%m/%y", "%H:%M %d.%m.%Y", "%H:%M %d-%m-%Y",
                          "%H:%M %d%m%Y", "%H%M %d%m%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
                          "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y",
                          "%Y-%m-%d"]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
