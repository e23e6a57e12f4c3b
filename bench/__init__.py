"""Benchmarks: each prints ratios or counts measured side by side in one run, never a bare wall time."""
