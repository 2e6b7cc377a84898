"""Benchmarks, run by the make targets (`make bench`, `bench-proxy`, `bench-load`...)."""
