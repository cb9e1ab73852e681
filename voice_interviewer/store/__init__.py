"""Session folders: an append-only event log, one WAV per answer, and reading them back."""
