"""The simulated GB home: a zigpy radio, its meters, their physics and the scenario files."""
