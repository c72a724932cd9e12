"""The one exception type for bad user input: the CLI prints its message on one line and exits 2."""


class InputError(ValueError):
    """A problem with what the user gave (file, config key, value); the message says what and where."""


def nearest(name: str, choices) -> str:
    """' (did you mean X?)' for the closest of `choices` to `name`, or '' when none is close."""
    import difflib

    match = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""
