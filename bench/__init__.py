"""Benchmarks of the platform: `python -m bench` runs every scenario, prints a table and writes JSON.

Not part of the test suite: the figures depend on the machine and on what else it is doing.
"""
