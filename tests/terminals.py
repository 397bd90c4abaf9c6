"""A pseudo-terminal for a test: what a command drew on it."""

import os


def drained(fd: int) -> bytes:
    """Everything written to the terminal whose other end is `fd`, until the writer closes it."""
    seen = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the other end closed (Linux says EIO)
            break
        if not data:
            break
        seen += data
    os.close(fd)
    return seen
