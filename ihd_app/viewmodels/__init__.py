"""Display state for each screen, fed by domain events; no widgets here."""
