"""The toolkit's screens, one module each."""
