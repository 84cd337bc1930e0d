"""Benchmarks: `make bench` (python -m benchmarks.run) writes JSON results to results/."""
