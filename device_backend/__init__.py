"""The back end both applications share: ZigBee Smart Energy over zigpy, a simulated GB home,
the store and the facade. Nothing in this package imports Qt."""
