"""What the loopback fakes of Slack and Discord share."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def wait_for(
    condition: Callable[[], bool], describe: Callable[[], object], timeout: float = 10.0
) -> None:
    """Poll ``condition`` until it holds; on timeout fail showing ``describe()`` (the
    calls a fake recorded), which is what a reader needs to see why."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out; calls: {describe()}")
