"""What was posted where: one row per (target, local date), and what is true about it.

A row moves through three states, each written before the step it allows:

- ``claimed``: this process owns the date and chose the passage; nothing has gone out.
- ``sent``: the message was handed to the platform; it may or may not have arrived.
- ``confirmed``: the platform acknowledged it (its message id is kept when it gives one).

A fourth, ``skipped``, records a run missed by more than the grace period while no
process was up: it is said once, and neither said again nor posted at the next start.
A post by hand of that date (``digest post --date``) takes the row over.

The primary key is the guarantee that one process at a time owns a date. A claim
whose owner died is taken over at once when the owner ran on this machine (its
process is gone), and after ``LEASE`` when it ran elsewhere (another replica). A
process that stops cleanly, or gives up after failed sends, releases its claim and says
which in the owner column, so the next owner can tell a stop from a crash. The
new owner retries a ``claimed`` row straight away (nothing was sent) and checks a
``sent`` one against the platform before sending again (see ``DigestService``).

The same database also holds the Slack event ids already answered, so replicas
behind a load balancer answer a retried event once (``first_time``).

SQLite by default (a file path); any SQLAlchemy URL (postgresql+psycopg://…) for
replicas that share one ledger. A file that is empty, or a database that is not a
corpusbot ledger, is refused unless the caller asks for a new ledger: history is
never restarted silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from bot.errors import LedgerError

log = logging.getLogger(__name__)

# A claim by another machine older than this belongs to a process that died.
LEASE = dt.timedelta(minutes=10)
# Slack re-sends an unanswered event for about an hour; remember ids a little longer.
EVENT_MEMORY_S = 2 * 60 * 60
RELEASED = ""  # the owner of a row whose owner gave up after failed sends
STOPPED = "stopped"  # the owner of a row whose owner was stopped cleanly (SIGTERM) mid-post


class PostState(StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    CONFIRMED = "confirmed"
    SKIPPED = "skipped"  # missed by more than the grace period; nothing was posted


class Departure(StrEnum):
    """How the previous owner of a row taken over left it."""

    CRASHED = "crashed"  # its process died holding the claim (kill -9, a power cut)
    STOPPED = "stopped"  # it was stopped cleanly in the middle of the post
    GAVE_UP = "gave up"  # its sends failed and it released the claim


_DEPARTURES = {RELEASED: Departure.GAVE_UP, STOPPED: Departure.STOPPED}
# Who held a claim taken over, for the operator's log.
_LEFT_BY = {
    Departure.GAVE_UP: "a process that gave it up after failed sends",
    Departure.STOPPED: "a process stopped cleanly while posting",
}


_META = sa.MetaData()
POSTS = sa.Table(
    "posts",
    _META,
    sa.Column("target", sa.String(200), primary_key=True),
    sa.Column("local_date", sa.String(10), primary_key=True),
    sa.Column("passage_id", sa.String(200), nullable=False),
    sa.Column("article_id", sa.String(200), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),  # a PostState
    sa.Column("claim_token", sa.String(40), nullable=False),
    sa.Column("claimed_at", sa.Float, nullable=False),
    sa.Column("posted_at", sa.Float),
    sa.Column("owner", sa.String(200)),
    sa.Column("message_id", sa.String(200)),
)
EVENTS = sa.Table(
    "seen_events",
    _META,
    sa.Column("event_id", sa.String(200), primary_key=True),
    sa.Column("seen_at", sa.Float, nullable=False),
)
# The columns every corpusbot ledger has had; newer ones are added when missing.
_CORE_COLUMNS = {
    "target",
    "local_date",
    "passage_id",
    "article_id",
    "status",
    "claim_token",
    "claimed_at",
    "posted_at",
}
_ADDED_COLUMNS = ("owner", "message_id")


@dataclass(frozen=True)
class LedgerRow:
    target: str
    local_date: str
    passage_id: str
    article_id: str
    state: PostState
    posted_at: float | None
    claimed_at: float = 0.0
    owner: str | None = None
    message_id: str | None = None

    @property
    def status(self) -> str:  # the name `digest history` has always printed
        return self.state.value

    @property
    def went_out(self) -> bool:
        """The excerpt was handed to the platform (and may be in the channel)."""
        return self.state in (PostState.SENT, PostState.CONFIRMED)


@dataclass(frozen=True)
class Claim:
    """This process owns ``row`` (as it stands now) under ``token``; ``left`` says how
    the previous owner of a row taken over left it (None: a new claim), so a ``sent``
    row is checked and its story told as it happened."""

    token: str
    row: LedgerRow
    left: Departure | None = None

    @property
    def taken_over(self) -> bool:
        return self.left is not None


def _process_start(pid: int) -> str | None:
    """The start time of a process (clock ticks since boot), or None if it is gone.
    With the pid it names one process, even after the pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return "?"
    return stat.rsplit(")", 1)[1].split()[19]


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        return "-"


def this_process() -> str:
    """host/boot/pid/start: enough to tell, on the same machine, whether it still runs."""
    pid = os.getpid()
    return f"{socket.gethostname()}/{_boot_id()}/{pid}/{_process_start(pid) or '?'}"


def owner_alive(owner: str | None) -> bool | None:
    """True or False for an owner on this machine; None when it ran elsewhere."""
    if not owner:
        return False
    parts = owner.split("/")
    if len(parts) != 4:
        return None
    host, boot, pid, start = parts
    if host != socket.gethostname():
        return None
    if boot != _boot_id():
        return False  # the machine restarted since
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    now_start = _process_start(int(pid))
    if now_start is None:
        return False
    return "?" in (start, now_start) or start == now_start


def _create_file(path: Path) -> None:
    """A new SQLite ledger appears whole: built under a temporary name, then linked into
    place. SQLite itself would first create an empty file, which another process
    starting at the same moment must not mistake for a ledger whose history was lost."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.new")
    engine = sa.create_engine(f"sqlite:///{temporary}")
    try:
        with engine.begin() as conn:
            _META.create_all(conn)
        engine.dispose()
        # Another process may have created it first: theirs is as good.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        engine.dispose()
        temporary.unlink(missing_ok=True)


class Ledger:
    def __init__(
        self,
        location: str,
        busy_timeout_s: float = 5.0,
        *,
        new_ledger: bool = False,
        owner: str | None = None,
        alive: Callable[[str | None], bool | None] = owner_alive,
    ) -> None:
        self.location = location
        self.owner = owner or this_process()
        self._alive = alive
        self._events_since_prune = 0
        if "://" in location:
            url = location
            connect_args: dict[str, object] = {}
        else:
            path = Path(location)
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size == 0:
                if not new_ledger:
                    raise LedgerError(
                        f"ledger {location} is an empty file: its history is lost or it was "
                        "never a ledger; refusing to start a new one over it. Restore it from "
                        "a backup, or pass --new-ledger to start a new history"
                    )
                path.unlink()
            if not path.exists():
                try:
                    _create_file(path)
                except (OSError, sa.exc.SQLAlchemyError) as err:
                    raise LedgerError(f"ledger {location}: cannot create it ({err})") from None
            url = f"sqlite:///{location}"
            connect_args = {"timeout": busy_timeout_s}
        try:
            self._engine = sa.create_engine(url, connect_args=connect_args)
        except (sa.exc.ArgumentError, ImportError) as err:
            raise LedgerError(
                f"ledger {location!r}: cannot use this database URL ({err})"
            ) from None
        try:
            self._open()
        except LedgerError:
            if not new_ledger or "://" in location:
                self._engine.dispose()
                raise
            self._engine.dispose()
            aside = f"{location}.old-{int(time.time())}"
            Path(location).rename(aside)
            log.warning("ledger %s was not a corpusbot ledger: moved to %s", location, aside)
            self._engine = sa.create_engine(url, connect_args=connect_args)
            self._open()

    # ---- opening --------------------------------------------------------------------------

    def _open(self) -> None:
        tables = self._run(lambda c: set(sa.inspect(c).get_table_names()), "open")
        if POSTS.name in tables:
            columns = self._run(
                lambda c: {col["name"] for col in sa.inspect(c).get_columns(POSTS.name)}, "open"
            )
            if not columns >= _CORE_COLUMNS:
                raise LedgerError(
                    f"ledger {self.location} has a 'posts' table that is not a corpusbot "
                    "ledger's; it was left untouched (point digest.ledger elsewhere, or pass "
                    "--new-ledger for a file)"
                )
            self._upgrade(columns)
        elif tables and "://" not in self.location:
            raise LedgerError(
                f"ledger {self.location} is a database of something else "
                f"(tables: {', '.join(sorted(tables))}); it was left untouched. Point "
                "digest.ledger at another file, or pass --new-ledger to move it aside"
            )
        self._create_tables()

    def _upgrade(self, columns: set[str]) -> None:
        """A ledger from before the three states: add the columns, call posted confirmed."""
        for name in _ADDED_COLUMNS:
            if name not in columns:
                self._run(
                    lambda c, n=name: c.execute(
                        sa.text(f"ALTER TABLE {POSTS.name} ADD COLUMN {n} VARCHAR(200)")
                    ),
                    "upgrade",
                )
        self._run(
            lambda c: c.execute(
                POSTS.update().where(POSTS.c.status == "posted").values(status="confirmed")
            ),
            "upgrade",
        )

    def _create_tables(self) -> None:
        """create_all checks, then creates: two processes opening a new ledger at once
        can both see no table. The loser's error is harmless once the tables exist."""
        try:
            self._run(lambda c: _META.create_all(c), "open")
        except (LedgerError, IntegrityError):
            if not self._run(lambda c: sa.inspect(c).has_table(EVENTS.name), "open"):
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

    def ping(self) -> None:
        """Raises LedgerError when the database cannot be reached (for /healthz)."""
        self._run(lambda c: c.execute(sa.select(sa.func.count()).select_from(POSTS)), "read")

    # ---- posts ----------------------------------------------------------------------------

    def claim(
        self, target: str, day: dt.date, passage_id: str, article_id: str, now: dt.datetime
    ) -> Claim | None:
        """Own (target, day), or None while a live process owns it or it is confirmed.

        A row left by a dead, stopped or failed owner is taken over as it stands (its
        passage and state), so a ``sent`` row is checked for the message it may have
        posted. A ``skipped`` row is claimed afresh: nothing of it went out."""
        row = self._new_row(target, day, PostState.CLAIMED, now, passage_id, article_id)
        token = row["claim_token"]
        try:
            self._run(lambda c: c.execute(POSTS.insert().values(**row)), "claim")
            return Claim(token, self._claimed(target, day))
        except IntegrityError:
            pass
        current = self._raw(target, day)
        if current is None or current.status == PostState.CONFIRMED:
            return None
        if current.status == PostState.SKIPPED:
            fresh = {k: v for k, v in row.items() if k not in ("target", "local_date")}
            if not self._update(target, day, current.claim_token, "claim", **fresh):
                return None  # another process claimed it first
            return Claim(token, self._claimed(target, day))
        left = _DEPARTURES.get(current.owner) if current.owner is not None else None
        if left is not None:
            previous = _LEFT_BY[left]
        else:
            stale = current.claimed_at < (now - LEASE).timestamp()
            # Our own claim is another task of this process at work (or one that failed
            # without releasing): like a claim from another machine, it waits for the lease.
            alive = None if current.owner == self.owner else self._alive(current.owner)
            if alive or (alive is None and not stale):
                return None
            left = Departure.CRASHED
            state = "whose lease ran out" if alive is None else "which is gone: a crash"
            previous = f"{current.owner or 'a process'}, {state}"
        values = {"claim_token": token, "claimed_at": now.timestamp(), "owner": self.owner}
        if not self._update(target, day, current.claim_token, "claim", **values):
            return None  # another process took it over first
        log.warning(
            "digest %s %s: took over the %s claim of %s", target, day, current.status, previous
        )
        return Claim(token, self._claimed(target, day), left)

    def skip(self, target: str, day: dt.date, now: dt.datetime) -> bool:
        """Record that the run of (target, day) was missed and will not be posted; False
        when the date already has a row (posted, being posted, or skipped before)."""
        row = self._new_row(target, day, PostState.SKIPPED, now)
        try:
            self._run(lambda c: c.execute(POSTS.insert().values(**row)), "record the skip")
        except IntegrityError:
            return False
        return True

    def _new_row(
        self,
        target: str,
        day: dt.date,
        state: PostState,
        now: dt.datetime,
        passage_id: str = "",
        article_id: str = "",
    ) -> dict[str, Any]:
        """A row of this process's, under a new claim token."""
        return {
            "target": target,
            "local_date": day.isoformat(),
            "passage_id": passage_id,
            "article_id": article_id,
            "status": state.value,
            "claim_token": uuid.uuid4().hex,
            "claimed_at": now.timestamp(),
            "posted_at": None,
            "owner": self.owner,
            "message_id": None,
        }

    def _update(self, target: str, day: dt.date, token: str, action: str, **values: Any) -> int:
        """Change the row of (target, day) if it is still held under ``token``."""
        where = _key(target, day, token)
        return self._run(
            lambda c: c.execute(POSTS.update().where(where).values(**values)).rowcount, action
        )

    def mark_sent(self, target: str, day: dt.date, token: str, now: dt.datetime) -> None:
        """Before the platform is called; ``posted_at`` is then when it was handed over."""
        self._advance(target, day, token, PostState.SENT, now)

    def confirm(
        self, target: str, day: dt.date, token: str, now: dt.datetime, message_id: str | None
    ) -> None:
        self._advance(target, day, token, PostState.CONFIRMED, now, message_id=message_id)

    def _advance(
        self,
        target: str,
        day: dt.date,
        token: str,
        state: PostState,
        now: dt.datetime,
        **values: Any,
    ) -> None:
        """Move a claim we still hold on to ``state``; a claim taken over meanwhile is
        an error, and the row is left to its new owner."""
        action = _RECORDING[state]
        values |= {"status": state.value, "posted_at": now.timestamp()}
        if not self._update(target, day, token, action, **values):
            raise LedgerError(
                f"ledger {self.location}: the claim on {target} {day} was taken over by another "
                "process; leaving it to that process"
            )

    def release(self, target: str, day: dt.date, token: str, *, stopped: bool = False) -> None:
        """Give the date up after a failure, or a clean stop (``stopped``): an unsent
        claim is deleted; a sent one is kept, its owner saying which of the two left it,
        so whoever takes it next checks the platform first."""
        where = _key(target, day, token)
        owner = STOPPED if stopped else RELEASED

        def work(c: sa.Connection) -> None:
            c.execute(POSTS.delete().where(where & (POSTS.c.status == PostState.CLAIMED.value)))
            c.execute(
                POSTS.update()
                .where(where & (POSTS.c.status == PostState.SENT.value))
                .values(owner=owner)
            )

        self._run(work, "release the claim")

    def get(self, target: str, day: dt.date) -> LedgerRow | None:
        return self._row(target, day)

    def _claimed(self, target: str, day: dt.date) -> LedgerRow:
        """The row this process has just claimed (written in the same call)."""
        row = self._row(target, day)
        if row is None:
            raise LedgerError(f"ledger: the claim of {target} {day} is gone as it was made")
        return row

    def _row(self, target: str, day: dt.date) -> LedgerRow | None:
        rows = self._select(_key(target, day))
        return rows[0] if rows else None

    def _raw(self, target: str, day: dt.date):  # type: ignore[no-untyped-def]
        query = sa.select(POSTS).where(_key(target, day))
        return self._run(lambda c: c.execute(query).first(), "read")

    def history(self, target: str | None = None) -> list[LedgerRow]:
        return self._select(POSTS.c.target == target if target else sa.true())

    def _select(self, where) -> list[LedgerRow]:  # type: ignore[no-untyped-def]
        query = sa.select(POSTS).where(where).order_by(POSTS.c.local_date, POSTS.c.target)
        rows = self._run(lambda c: c.execute(query).all(), "read")
        return [
            LedgerRow(
                r.target,
                r.local_date,
                r.passage_id,
                r.article_id,
                PostState(r.status),
                r.posted_at,
                r.claimed_at,
                r.owner,
                r.message_id,
            )
            for r in rows
        ]

    # ---- events (Slack retries, across replicas) -----------------------------------------

    def first_time(self, event_id: str, now: float | None = None) -> bool:
        """True for the first process to see ``event_id``; False for every later one."""
        now = time.time() if now is None else now
        try:
            self._run(
                lambda c: c.execute(EVENTS.insert().values(event_id=event_id, seen_at=now)),
                "record the event",
            )
        except IntegrityError:
            return False
        self._events_since_prune += 1
        if self._events_since_prune >= 500:
            self._events_since_prune = 0
            self._run(
                lambda c: c.execute(EVENTS.delete().where(EVENTS.c.seen_at < now - EVENT_MEMORY_S)),
                "forget old events",
            )
        return True

    def close(self) -> None:
        self._engine.dispose()


def _key(target: str, day: dt.date, token: str | None = None) -> sa.ColumnElement[bool]:
    """The row of (target, day); with ``token``, only while that claim holds it."""
    where = (POSTS.c.target == target) & (POSTS.c.local_date == day.isoformat())
    return where if token is None else where & (POSTS.c.claim_token == token)


# What a failed update of each state says it could not do.
_RECORDING = {PostState.SENT: "record the send", PostState.CONFIRMED: "record the post"}
