"""Article metadata found in the raw text: title, source URL, publication date.

Read from the raw text before boilerplate is dropped, since the lines that carry it
("发布时间: …", "原文链接: …", a bare URL on top) are boilerplate for the reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.config import ArticleOverrides
from bot.models import Field, Provenance

_DATE_LINE = re.compile(
    r"(?:发布时间|發布時間|发表时间|發表時間|日期|时间|時間|published|date)\s*[:：]\s*"
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})",
    re.I,
)
_SOURCE_LINE = re.compile(
    r"(?:原文链接|原文鏈接|原文地址|来源链接|來源鏈接|source)\s*[:：]\s*(?P<url>https?://\S+)", re.I
)
_URL = re.compile(r"https?://[^\s)）\]>\"'，,。]+")
_BARE_URL_LINE = re.compile(r"^\s*(?P<url>https?://\S+)\s*$")
# Images and cover pictures are page furniture, not sources.
_MD_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")
_IMAGE = re.compile(r"mmbiz\.qpic\.cn|\.(?:png|jpe?g|gif|webp)\b|wx_fmt=", re.I)


@dataclass(frozen=True)
class FoundMetadata:
    title: str | None
    source_url: str | None
    published: str | None
    links: tuple[str, ...]


def find_metadata(raw: str) -> FoundMetadata:
    lines = [line.strip() for line in raw.split("\n")]
    published = None
    for line in lines:
        m = _DATE_LINE.search(line)
        if m:
            y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
            if 1 <= mo <= 12 and 1 <= d <= 31:
                published = f"{y:04d}-{mo:02d}-{d:02d}"
                break
    source = None
    for line in lines:
        m = _SOURCE_LINE.search(line)
        if m:
            source = m["url"]
            break
    if source is None:
        # A bare URL among the first lines is where the copy was taken from.
        for line in [x for x in lines if x][:3]:
            m = _BARE_URL_LINE.match(line)
            if m:
                source = m["url"]
                break
    # Cited sources are bare addresses ("原视频链接：https://…"); Markdown links
    # ("[往期文章](https://…)") are navigation to other pages.
    navigation = set(_MD_LINK.findall(raw))
    cited = (u.rstrip(".") for u in _URL.findall(raw) if u not in navigation)
    links = tuple(dict.fromkeys(u for u in cited if not _IMAGE.search(u)))
    return FoundMetadata(_title(lines), source, published, links)


def _title(lines: list[str]) -> str | None:
    for line in lines:
        if line.startswith("# "):
            return line[2:].strip() or None
    for line in lines:
        text = re.sub(r"[*_#]", "", line).strip()
        if not text or _BARE_URL_LINE.match(text) or len(text) < 6:
            continue
        if re.search(r"图片|圖片|查看精彩|网易新闻|網易新聞", text) or _DATE_LINE.search(text):
            continue
        # The first line is a title only if it reads like one: short, not a sentence,
        # not a question, not a speaker's turn ("記者：…").
        if len(text) > 80 or text.endswith(("。", "：", ":", "？", "?")):
            return None
        if re.match(r"^\S{1,6}[：:]", text):
            return None
        return text
    return None


@dataclass(frozen=True)
class ArticleMeta:
    """The article's metadata, each value with where it came from. ``interviewee`` is
    the configured one (resolved to its canonical name) until the turns name one."""

    title: Field
    published: Field
    source_url: Field
    script: Field
    interviewee: Field
    interviewer: str | None


def resolve_metadata(
    article_id: str,
    found: FoundMetadata,
    overrides: ArticleOverrides | None,
    paragraphs: Sequence[str],
    script: str | None,
    resolve_name: Callable[[str], str | None],
) -> ArticleMeta:
    """Config overrides what the text says; the file name is the last resort for a title."""

    def pick(name: str, text_value: str | None) -> Field:
        value = getattr(overrides, name, None) if overrides else None
        if value is not None:
            return Field(value, Provenance.CONFIG)
        return Field(text_value, Provenance.TEXT if text_value else Provenance.NONE)

    # The raw title line still carries damage; its normalised form is paragraph 0.
    title = pick("title", paragraphs[0] if found.title and paragraphs else None)
    if title.value is None:
        title = Field(article_id, Provenance.FILE)
    configured = overrides.interviewee if overrides else None
    interviewee = (
        Field(resolve_name(configured) or configured, Provenance.CONFIG)
        if configured
        else Field(None, Provenance.NONE)
    )
    return ArticleMeta(
        title=title,
        published=pick("published", found.published),
        source_url=pick("source_url", found.source_url),
        script=pick("script", script),
        interviewee=interviewee,
        interviewer=overrides.interviewer if overrides else None,
    )
