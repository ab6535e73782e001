"""The field engineer's back end (no Qt): pairing, network, diagnostics, firmware, accounts."""
