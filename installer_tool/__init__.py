"""The field engineer's toolkit: commissioning, pairing, diagnostics, firmware and surveys."""
