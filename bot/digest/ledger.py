"""What was posted where: one row per (target, local date), claimed before sending.

The primary key is the guarantee: whichever process inserts the row first owns the
post; a replayed run, a restart or a second replica finds the row and does nothing. A
failed send deletes its own claim so a retry can take it; a claim left by a process
that died is taken over after ``LEASE``. The ledger never deletes a posted row and
never recreates a file it cannot read.

SQLite by default (a file path); any SQLAlchemy URL (postgresql+psycopg://…) for
replicas that share one ledger.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from bot.errors import LedgerError

log = logging.getLogger(__name__)

# A claim older than this belongs to a process that died mid-send.
LEASE = dt.timedelta(minutes=10)

_META = sa.MetaData()
POSTS = sa.Table(
    "posts",
    _META,
    sa.Column("target", sa.String(200), primary_key=True),
    sa.Column("local_date", sa.String(10), primary_key=True),
    sa.Column("passage_id", sa.String(200), nullable=False),
    sa.Column("article_id", sa.String(200), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),  # claimed | posted
    sa.Column("claim_token", sa.String(40), nullable=False),
    sa.Column("claimed_at", sa.Float, nullable=False),
    sa.Column("posted_at", sa.Float),
)


@dataclass(frozen=True)
class LedgerRow:
    target: str
    local_date: str
    passage_id: str
    article_id: str
    status: str
    posted_at: float | None


class Ledger:
    def __init__(self, location: str, busy_timeout_s: float = 5.0) -> None:
        self.location = location
        if "://" in location:
            url = location
            connect_args: dict[str, object] = {}
        else:
            Path(location).parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{location}"
            connect_args = {"timeout": busy_timeout_s}
        try:
            self._engine = sa.create_engine(url, connect_args=connect_args)
        except (sa.exc.ArgumentError, ImportError) as err:
            raise LedgerError(
                f"ledger {location!r}: cannot use this database URL ({err})"
            ) from None
        self._create_table()

    def _create_table(self) -> None:
        """create_all checks, then creates: two processes opening a new ledger at once
        can both see no table. The loser's error is harmless once the table exists."""
        try:
            self._run(lambda c: _META.create_all(c), "open")
        except (LedgerError, IntegrityError):
            if not self._run(lambda c: sa.inspect(c).has_table(POSTS.name), "open"):
                raise

    def _run(self, work, action: str):  # type: ignore[no-untyped-def]
        try:
            with self._engine.begin() as conn:
                return work(conn)
        except IntegrityError:
            raise
        except OperationalError as err:
            text = str(err.orig).lower()
            if "locked" in text or "busy" in text:
                raise LedgerError(
                    f"ledger {self.location} is locked by another process; try again"
                ) from None
            raise LedgerError(f"ledger {self.location}: cannot {action} ({err.orig})") from None
        except DatabaseError as err:
            raise LedgerError(
                f"ledger {self.location} is not a readable database ({err.orig}); it was left "
                "untouched: restore it from a backup or move it aside"
            ) from None

    def claim(
        self, target: str, day: dt.date, passage_id: str, article_id: str, now: dt.datetime
    ) -> str | None:
        """A token when this caller now owns the post, None when someone else does."""
        token = uuid.uuid4().hex
        row = {
            "target": target,
            "local_date": day.isoformat(),
            "passage_id": passage_id,
            "article_id": article_id,
            "status": "claimed",
            "claim_token": token,
            "claimed_at": now.timestamp(),
            "posted_at": None,
        }
        try:
            self._run(lambda c: c.execute(POSTS.insert().values(**row)), "claim")
            return token
        except IntegrityError:
            pass
        stale = (now - LEASE).timestamp()
        taken = self._run(
            lambda c: (
                c.execute(
                    POSTS.update()
                    .where(
                        POSTS.c.target == target,
                        POSTS.c.local_date == day.isoformat(),
                        POSTS.c.status == "claimed",
                        POSTS.c.claimed_at < stale,
                    )
                    .values(
                        claim_token=token,
                        claimed_at=now.timestamp(),
                        passage_id=passage_id,
                        article_id=article_id,
                    )
                ).rowcount
            ),
            "claim",
        )
        if taken:
            log.warning("took over a stale claim for %s on %s", target, day)
            return token
        return None

    def mark_posted(self, target: str, day: dt.date, token: str, now: dt.datetime) -> None:
        self._run(
            lambda c: c.execute(
                POSTS.update()
                .where(
                    POSTS.c.target == target,
                    POSTS.c.local_date == day.isoformat(),
                    POSTS.c.claim_token == token,
                )
                .values(status="posted", posted_at=now.timestamp())
            ),
            "record the post",
        )

    def release(self, target: str, day: dt.date, token: str) -> None:
        self._run(
            lambda c: c.execute(
                POSTS.delete().where(
                    POSTS.c.target == target,
                    POSTS.c.local_date == day.isoformat(),
                    POSTS.c.claim_token == token,
                    POSTS.c.status == "claimed",
                )
            ),
            "release the claim",
        )

    def get(self, target: str, day: dt.date) -> LedgerRow | None:
        rows = self._select((POSTS.c.target == target) & (POSTS.c.local_date == day.isoformat()))
        return rows[0] if rows else None

    def history(self, target: str | None = None) -> list[LedgerRow]:
        return self._select(POSTS.c.target == target if target else sa.true())

    def _select(self, where) -> list[LedgerRow]:  # type: ignore[no-untyped-def]
        query = sa.select(POSTS).where(where).order_by(POSTS.c.local_date, POSTS.c.target)
        rows = self._run(lambda c: c.execute(query).all(), "read")
        return [
            LedgerRow(r.target, r.local_date, r.passage_id, r.article_id, r.status, r.posted_at)
            for r in rows
        ]

    def close(self) -> None:
        self._engine.dispose()
