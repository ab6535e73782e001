"""The simulated GB home: a zigpy radio with virtual meters, household loads, tariffs and scenarios.

A regular package (not a namespace one), so packaging and the import contracts both see it.
"""
