"""Reaching a platform at start-up: one clear line when it cannot be reached, then
retries with capped exponential backoff (or a clear error with ``--once``).

Only the network is retried: a platform that answers and refuses (a rejected token)
is a configuration error and stops start-up at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator

from bot.errors import PlatformUnreachableError

log = logging.getLogger(__name__)

FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0


def backoff(first: float = FIRST_DELAY_S, cap: float = MAX_DELAY_S) -> Iterator[float]:
    """1, 2, 4, … seconds, never more than ``cap``."""
    delay = first
    while True:
        yield delay
        delay = min(cap, delay * 2)


async def until_reachable(
    platform: str,
    where: str,
    attempt: Callable[[], Awaitable[None]],
    network_errors: tuple[type[BaseException], ...],
    *,
    once: bool = False,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    delays: Iterator[float] | None = None,
) -> None:
    """Run ``attempt`` until it gets through the network. The first failure is one log
    line naming the platform, the address and the reason; later ones are quieter."""
    delays = delays or backoff()
    failures = 0
    while True:
        try:
            await attempt()
        except network_errors as err:
            reason = str(err) or type(err).__name__
            if once:
                raise PlatformUnreachableError(
                    f"{platform}: cannot reach {where} ({reason}); not retrying (--once)"
                ) from None
            delay = next(delays)
            failures += 1
            if failures == 1:
                log.error(
                    "%s: cannot reach %s (%s); retrying, backing off up to %d s",
                    platform,
                    where,
                    reason,
                    MAX_DELAY_S,
                )
            else:
                log.info("%s: still unreachable (%s); next try in %.0f s", platform, reason, delay)
            await sleep(delay)
        else:
            if failures:
                log.warning("%s: reached %s after %d failed attempts", platform, where, failures)
            return
