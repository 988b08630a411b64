"""The JSON contract of ``python -m bot ask --json`` (other tools read it)."""

from __future__ import annotations

from typing import Any

from bot.models import Reply


def reply_to_json(reply: Reply) -> dict[str, Any]:
    message = "\n".join([*reply.notices, reply.message] if reply.message else reply.notices)
    return {
        "command": reply.command.value,
        "query": reply.query,
        "results": [
            {
                "text": r.text,
                "speaker": r.speaker,
                "role": r.role.value,
                "article_id": r.article_id,
                "title": r.title,
                "date": r.date,
                "source_url": r.source_url,
                "passage_id": r.passage_id,
                "score": r.score,
                "converted_from": r.converted_from,
            }
            for r in reply.results
        ],
        "events": [
            {
                "date": e.date,
                "text": e.text,
                "article_id": e.article_id,
                "sources": [
                    {"article_id": s.article_id, "title": s.title, "source_url": s.source_url}
                    for s in e.sources
                ],
                "conflicts": list(e.conflicts),
                "kind": e.kind.value,
                "end": e.end,
            }
            for e in reply.events
        ],
        "message": message or None,
        "interpreted": [
            # The typed term keeps the places of the spans other steps took, as spaces,
            # so that later steps read positions right; a person reads the words left.
            {
                "term": " ".join(t.text.split()),
                "weight": t.weight,
                "from": t.origin.value,
                "source": t.source,
            }
            for t in reply.interpreted
        ],
        "relevance": None
        if reply.relevance is None
        else {
            "share": round(reply.relevance.share, 3),
            "floor": reply.relevance.floor,
            "matched": reply.relevance.matched,
            "uncovered": list(reply.relevance.uncovered),
        },
    }
