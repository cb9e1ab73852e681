"""Pure functions from a transcript and samples to numbers; no I/O here."""
