"""Benchmarks of the model (``python -m bench``): plain Python, prints a table, asserts nothing."""
