"""Date and number formats per language (FORMAT_MODULE_PATH), ahead of Django's own.

Django's Vietnamese formats write dates as "d-m-Y" and long dates in words; the platform writes
dd/mm/yyyy and HH:MM dd/mm/yyyy everywhere (pages, e-mails, exports), as Vietnamese
administrative documents do. See docs/glossary.md ("Dates and numbers").
"""
