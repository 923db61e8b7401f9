"""A bare Django 5.2 project over itda's company table: the yardstick of bench/pages.py.

Default middleware of ``startproject``, no login, a plain ``ListView`` of 50 rows ordered by the
primary key (an index) and a django-ninja list of the same rows, served the same way as itda.
"""
