"""voice-interviewer: a local, offline mock interviewer for customer-service candidates."""

__version__ = "0.1.0"
