"""A verticle whose start() is not an async function."""


def start(verticle):
    return None
