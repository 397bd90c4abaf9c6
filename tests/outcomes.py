"""What a command's result must look like: success, or bad input (exit 2, one message on
stderr, nothing on stdout, no traceback)."""


def ok(res):
    assert res.exit_code == 0, res.stderr
    return res


def bad(res, *words):
    """Bad input: exit 2, nothing on stdout, a message on stderr naming `words`, no traceback."""
    assert res.exit_code == 2, (res.stdout, res.stderr)
    assert res.stdout == ""
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith(("gradcli: ", "Usage:")), res.stderr
    for word in words:
        assert word in res.stderr, res.stderr
    return res
