"""A virtual Silicon Labs EZSP network co-processor (ASH over a pty or TCP) in front of a
simulated GB home."""
