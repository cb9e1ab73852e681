"""The one exception type that reaches the user as a single clear sentence."""


class UserError(Exception):
    """Bad input or an unusable environment: shown as one sentence, exit code 2."""
