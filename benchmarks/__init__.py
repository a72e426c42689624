"""The project's benchmarks: `make bench` (python -m benchmarks). See benchmarks/README.md."""
