"""Command-line interfaces: ``aufeat`` (main.py) and ``aufeat-bench`` (bench.py)."""
