"""Benchmarks: scripts run by hand that report timings; not part of the test suite."""
