"""Normalised articles on disk: one JSON file per article, diff-friendly and atomic.

Keys are sorted, text is UTF-8 (not \\u escapes) and each record sits on its own
lines, so a reviewer can read what normalisation did with ``git diff``. Files are
written to a temporary name and renamed, so a crash never leaves half an article.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bot.errors import CorpusMissingError, SourceFileError
from bot.models import (
    Article,
    Event,
    EventKind,
    Field,
    How,
    Kind,
    Passage,
    Provenance,
    Role,
    SpeakerKind,
    Turn,
)

FORMAT_VERSION = 1


def article_to_dict(article: Article) -> dict[str, Any]:
    def field(f: Field) -> dict[str, Any]:
        return {"value": f.value, "source": f.source.value}

    return {
        "format": FORMAT_VERSION,
        "id": article.id,
        "source_file": article.source_file,
        "meta": {
            "title": field(article.title),
            "source_url": field(article.source_url),
            "published": field(article.published),
            "script": field(article.script),
            "interviewee": field(article.interviewee),
            "author": field(article.author),
            "links": list(article.links),
        },
        "speakers": {k: list(v) for k, v in article.speakers.items()},
        "report": {
            "repairs": article.repairs,
            "unrepaired": list(article.unrepaired),
            "warnings": list(article.warnings),
            # Only when there are some, so articles without any keep their bytes.
            **(
                {"unresolved_dates": list(article.unresolved_dates)}
                if article.unresolved_dates
                else {}
            ),
        },
        "turns": [
            {
                "paragraph": t.paragraph,
                "speaker": t.speaker,
                "role": t.role.value,
                "kind": t.kind.value,
                "text": t.text,
                "how": t.how.value,
                "confidence": t.confidence,
                # Only for a group or a narrator, so articles of people keep their bytes
                # (and the format its number: a file without it reads as before).
                **(
                    {"speaker_kind": t.speaker_kind.value}
                    if t.speaker_kind is not SpeakerKind.PERSON
                    else {}
                ),
            }
            for t in article.turns
        ],
        "events": [
            {
                "date": e.date,
                "end": e.end,
                "expression": e.expression,
                "kind": e.kind.value,
                "paragraph": e.paragraph,
                "text": e.text,
            }
            for e in article.events
        ],
        "passages": [
            {
                "id": p.id,
                "position": p.position,
                "paragraph": p.paragraph,
                "speaker": p.speaker,
                "role": p.role.value,
                "text": p.text,
            }
            for p in article.passages
        ],
    }


def article_from_dict(data: dict[str, Any]) -> Article:
    meta = data["meta"]

    def field(name: str) -> Field:
        return Field(meta[name]["value"], Provenance(meta[name]["source"]))

    passages = data["passages"]
    ids = [p["id"] for p in passages]
    return Article(
        id=data["id"],
        source_file=data["source_file"],
        title=field("title"),
        source_url=field("source_url"),
        published=field("published"),
        script=field("script"),
        interviewee=field("interviewee"),
        speakers={k: tuple(v) for k, v in data["speakers"].items()},
        turns=tuple(
            Turn(
                t["paragraph"],
                t["speaker"],
                Role(t["role"]),
                Kind(t["kind"]),
                t["text"],
                How(t.get("how", How.NONE)),
                t.get("confidence", 1.0),
                SpeakerKind(t.get("speaker_kind", SpeakerKind.PERSON)),
            )
            for t in data["turns"]
        ),
        events=tuple(
            Event(
                e["date"],
                e["expression"],
                e["text"],
                e["paragraph"],
                EventKind(e.get("kind", EventKind.HAPPENED)),
                e.get("end"),
            )
            for e in data["events"]
        ),
        passages=tuple(
            Passage(
                id=p["id"],
                article_id=data["id"],
                position=p["position"],
                paragraph=p["paragraph"],
                speaker=p["speaker"],
                role=Role(p["role"]),
                text=p["text"],
                prev_id=ids[i - 1] if i else None,
                next_id=ids[i + 1] if i + 1 < len(ids) else None,
            )
            for i, p in enumerate(passages)
        ),
        repairs=dict(data["report"]["repairs"]),
        unrepaired=tuple(data["report"]["unrepaired"]),
        warnings=tuple(data["report"].get("warnings", ())),
        unresolved_dates=tuple(data["report"].get("unresolved_dates", ())),
        links=tuple(meta.get("links", ())),
        author=field("author") if "author" in meta else Field(None, Provenance.NONE),
    )


def dumps(article: Article) -> str:
    """``json.dumps(article_to_dict(article), ensure_ascii=False, indent=1,
    sort_keys=True) + "\\n"``, byte for byte (a test compares them on every committed
    article), in a third of the time: with ``indent`` the standard library encodes in
    pure Python, value by value, while here the turns, events and passages (records of
    plain values, nearly all of an article) go through its C encoder in one call each
    (#14)."""
    data = article_to_dict(article)
    for key in _RECORD_LISTS:
        data[key] = _Records(data[key])
    out: list[str] = []
    _emit(data, "\n", out)
    out.append("\n")
    return "".join(out)


_RECORD_LISTS = ("turns", "events", "passages")  # lists of flat records in article_to_dict
_encode_str = json.encoder.encode_basestring  # the C one, as ensure_ascii=False uses
# Compact, with a bare line break between items: inside an encoded string every control
# character is escaped, so each bare line break in its output is a separator.
_RECORDS = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=("\n", ": "))


class _Records(list):  # type: ignore[type-arg]
    """A list of non-empty dicts with string keys and plain values (str, int, float,
    bool, None): no container inside a record."""


def _emit(value: Any, newline: str, out: list[str]) -> None:
    """``value`` as the standard encoder writes it with ``indent=1, sort_keys=True``;
    ``newline``: a line break and the indent of the line ``value`` starts on."""
    if type(value) is _Records and value and all(value):
        inner = newline + " "
        field = newline + "  "
        # '[{"a": 1\n"b": 2}\n{"a": 3\n"b": 4}]': records meet at '}\n{' (a record's
        # own separators come before a key, '"'), fields at the other line breaks.
        body = _RECORDS.encode(value)[2:-2].split("}\n{")
        between = inner + "}," + inner + "{" + field
        fields = "," + field
        out.append("[" + inner + "{" + field)
        out.append(between.join(r.replace("\n", fields) for r in body))
        out.append(inner + "}" + newline + "]")
    elif isinstance(value, str):
        out.append(_encode_str(value))
    elif isinstance(value, dict) and value and all(type(k) is str for k in value):
        inner = newline + " "
        first = True
        for key in sorted(value):
            out.append("{" + inner if first else "," + inner)
            first = False
            out.append(_encode_str(key))
            out.append(": ")
            _emit(value[key], inner, out)
        out.append(newline + "}")
    elif isinstance(value, list) and value:
        inner = newline + " "
        first = True
        for item in value:
            out.append("[" + inner if first else "," + inner)
            first = False
            _emit(item, inner, out)
        out.append(newline + "]")
    else:  # a number, true, false, null, an empty container: the standard encoder
        text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
        out.append(text.replace("\n", newline))


# A writer holds its temporary file for the milliseconds of one write; one older than
# this was left by a process killed mid-write (kill -9, power loss), never a live one.
ABANDONED_AFTER_S = 3600.0


def sweep_abandoned(directory: Path, now: float) -> list[Path]:
    """Remove the temporary files ``write_atomic`` leaves in ``directory`` when its
    process is killed between creating and renaming one, older than
    ``ABANDONED_AFTER_S`` at ``now`` (seconds since the epoch): the article itself is
    whole, old or new, but each kill left one more hidden file. Returns those removed."""
    removed: list[Path] = []
    for path in sorted(directory.glob(".*.tmp")) if directory.is_dir() else ():
        try:
            if now - path.stat().st_mtime > ABANDONED_AFTER_S:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone already (another ingest swept it), or not ours to remove
    return removed


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; an article must be readable as any file the
        # operator writes is (a service user reads what an admin ingested).
        os.chmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def _umask() -> int:
    """The process's umask, read without setting it (``os.umask`` can only be read by
    changing it, which would race with the writer threads below)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


class AtomicWriter:
    """Files written as ``write_atomic`` writes them (a temporary name, fsync, rename),
    each on a thread while the caller goes on with the next article: fsync waits for the
    disk, a few milliseconds a file on a busy one, which one process after another spent
    idle; the filesystem also commits fsyncs that wait together in one go (#14).
    ``close`` (the end of a ``with`` block) returns once every file is in place, and
    raises the first error any write met."""

    def __init__(self, threads: int = 4) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="article-writer")
        self._pending: list[Future[None]] = []

    def write(self, path: Path, text: str) -> None:
        self._pending.append(self._pool.submit(write_atomic, path, text))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()  # the first error, once all are done

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_articles(directory: Path) -> list[Article]:
    files = sorted(directory.glob("*.json")) if directory.is_dir() else []
    if not files:
        raise CorpusMissingError(f"no normalised articles in {directory}")
    articles = []
    for path in files:
        try:
            articles.append(article_from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
            reason = f"not a normalised article ({type(err).__name__}: {err})"
            raise SourceFileError(str(path), f"{reason}; re-run `python -m bot ingest`") from None
    return articles
