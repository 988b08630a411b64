"""Articles are written atomically, on writer threads (#14): a write that fails leaves
the article that was there and no temporary file, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.store import AtomicWriter, write_atomic


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
