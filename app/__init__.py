"""TRIP benchmarking."""
