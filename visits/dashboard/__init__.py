"""The statistics dashboard: figures read from the daily tables that recording fills.

It imports recording (the tables, the increment's columns, the day's raw rows); recording never
imports it (tests/test_architecture.py).
"""
