"""Calling libraries that run their own asyncio loop (asyncio.run) from any thread."""

import asyncio
import concurrent.futures
from functools import wraps


def outside_event_loop(function):
    """Run `function` in a thread of its own when the calling thread already runs an event
    loop (an ASGI server, Playwright's sync API in tests): asyncio.run refuses to nest."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return wrapper
