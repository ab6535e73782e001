"""Speed and memory benchmarks, each against a baseline measured in the same run: python -m benchmarks."""
