"""Article metadata found in the raw text: title, source URL, publication date.

Read from the raw text before boilerplate is dropped, since the lines that carry it
("发布时间: …", "原文链接: …", a bare URL on top) are boilerplate for the reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
