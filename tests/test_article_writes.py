"""Articles are written atomically, on writer threads (#14): a write that fails leaves
the article that was there and no temporary file, and says so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.ingest.store import ABANDONED_AFTER_S, AtomicWriter, sweep_abandoned, write_atomic


def test_a_failed_write_keeps_the_old_article_and_raises(tmp_path: Path) -> None:
    old = tmp_path / "a.json"
    write_atomic(old, '{"old": true}\n')
    with pytest.raises(UnicodeEncodeError), AtomicWriter() as writer:
        writer.write(tmp_path / "b.json", '{"b": 1}\n')
        writer.write(old, '{"broken": "\ud800"}\n')  # a lone surrogate cannot be UTF-8
        writer.write(tmp_path / "c.json", '{"c": 1}\n')
    assert old.read_text(encoding="utf-8") == '{"old": true}\n'
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == '{"b": 1}\n'
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == '{"c": 1}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json", "c.json"]


def test_every_file_is_in_place_when_the_writer_closes(tmp_path: Path) -> None:
    texts = {tmp_path / "deep" / f"{n:03d}.json": f'{{"n": {n}}}\n' * 1000 for n in range(40)}
    with AtomicWriter() as writer:
        for path, text in texts.items():
            writer.write(path, text)
    for path, text in texts.items():
        assert path.read_text(encoding="utf-8") == text


def test_temporary_files_of_a_killed_ingest_are_swept_once_old(tmp_path: Path) -> None:
    """kill -9 between creating and renaming leaves ``.name.json.XXXX.tmp``; the next
    ingest removes it once no live writer could still hold it, and nothing else."""
    write_atomic(tmp_path / "a.json", "{}\n")
    left = tmp_path / ".a.json.k1ll3d.tmp"
    fresh = tmp_path / ".b.json.wr1t1ng.tmp"  # another process may be writing this one
    left.write_text("{", encoding="utf-8")
    fresh.write_text("{", encoding="utf-8")
    now = left.stat().st_mtime + ABANDONED_AFTER_S + 1
    os.utime(fresh, (now - 1, now - 1))
    assert sweep_abandoned(tmp_path, now) == [left]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".b.json.wr1t1ng.tmp", "a.json"]
    assert sweep_abandoned(tmp_path / "missing", now) == []
