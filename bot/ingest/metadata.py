"""Article metadata found in the raw text: title, source URL, publication date.

Read from the raw text before boilerplate is dropped, since the lines that carry it
("发布时间: …", "原文链接: …", a bare URL on top) are boilerplate for the reader.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import yaml

from bot.calendar_words import CAP_MONTH_PATTERN, month_number
from bot.config import ArticleOverrides
from bot.ingest.names import LATIN_NAME, LATIN_NAME_RE
from bot.models import Field, Provenance, Role, Turn

_DATE_LINE = re.compile(
    r"(?:发布时间|發布時間|发表时间|發表時間|日期|时间|時間|published|date)\s*[:：]\s*"
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})",
    re.I,
)
# A news dateline with its day ("美国之音记者林枫2005年9月7日报道", "（新华社北京2020年
# 1月20日电）", "中新社华盛顿2007年12月20日电"): the day of the report, when nothing else
# gives the publication date. Only near the top, where a dateline stands.
_DATELINE = re.compile(
    r"(?:记者|記者|社|台|网|網|报|報|讯|訊)[^。！？\n]{0,24}?"
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*"
    r"(?:电|電|报道|報道|報導|讯|訊)"
)
_DATELINE_LINES = 4
# A full date alone on its line, or opening the title line, among the first lines: a web
# copy's publication date ("# 标题" / "2021-03-23"; "# 2016-11-16 徐發言人…茶敘";
# "March 23, 2021"). Numeric forms need year, month and day; English ones a month name.
_FULL_DATE = (
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]\s*(?P<m>\d{1,2})\s*[-/.]|年\s*(?P<m2>\d{1,2})\s*月)"
    r"\s*(?P<d>\d{1,2})\s*日?"
    rf"|(?P<mn>{CAP_MONTH_PATTERN})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d{{2}})"
    rf"|(?P<d3>\d{{1,2}})\s+(?P<mn3>{CAP_MONTH_PATTERN})\.?,?\s+(?P<y3>(?:19|20)\d{{2}})"
)
_DATE_ONLY_LINE = re.compile(rf"^[#*_\s]*(?:{_FULL_DATE})[*_\s]*$")
_DATED_TITLE = re.compile(rf"^#*\s*(?:{_FULL_DATE})\s+\S")
# A file named with its day ("voa_sanctions_2021-03-23.md", "2021-03-23-briefing.txt").
_FILE_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
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
    # Values from a front-matter block, which outrank the text's own.
    front: Mapping[str, str] = field(default_factory=dict)


# ---- front matter -----------------------------------------------------------------------
#
# A YAML block between "---" lines, or TOML between "+++" lines, at the very top of a
# Markdown file (Hugo, Jekyll, scrapers). Compared with python-frontmatter: it wraps
# exactly these two parsers (PyYAML, tomllib) and adds a Post object we do not need, so
# the block is cut here and parsed by them directly.

_FRONT = re.compile(
    r"\A\ufeff?(?P<fence>---|\+\+\+)[ \t]*\r?\n(?P<body>.*?)\r?\n(?P=fence)[ \t]*(?:\r?\n|\Z)", re.S
)
_FRONT_KEYS = {
    "title": ("title",),
    "published": ("date", "published", "published_time", "pubdate", "pub_date"),
    "source_url": ("source_url", "original_url", "url", "link", "canonical_url", "source"),
    "author": ("author", "authors", "byline"),
}
_ISO_DAY = re.compile(r"(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})")


# A Project Gutenberg ebook: the ebook's facts ("Title: …", "Author: …") and its licence
# before "*** START OF THE PROJECT GUTENBERG EBOOK … ***", the licence again after "*** END
# OF …": the book is what lies between. (The release date is the ebook's, not the work's.)
_EBOOK_START = re.compile(
    r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)\b[^\n]*$", re.M | re.I
)
_EBOOK_END = re.compile(
    r"^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)\b", re.M | re.I
)
_EBOOK_FIELD = re.compile(r"^(?P<key>Title|Author):[ \t]*(?P<value>\S.*)$", re.M)
_EBOOK_HEADER_MAX = 20_000  # characters: the marker opens the file, never its middle


def split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """(title/published/source_url/author found in a front-matter block, the text
    without it). A block that does not parse is left in the text."""
    m = _FRONT.match(raw)
    if not m:
        return _split_ebook(raw)
    try:
        data: Any = (
            yaml.safe_load(m.group("body"))
            if m.group("fence") == "---"
            else tomllib.loads(m.group("body"))
        )
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        return {}, raw
    if not isinstance(data, dict):
        return {}, raw
    found: dict[str, str] = {}
    for name, keys in _FRONT_KEYS.items():
        for key in keys:
            value = _plain(data.get(key), name)
            if value:
                found[name] = value
                break
    return found, raw[m.end() :]


def _split_ebook(raw: str) -> tuple[dict[str, str], str]:
    """A Project Gutenberg ebook's title and author, and the book without the header and
    licence around it; ({}, raw) for any other text."""
    start = _EBOOK_START.search(raw, 0, _EBOOK_HEADER_MAX)
    if start is None:
        return {}, raw
    found = {
        m.group("key").lower(): m.group("value").strip()
        for m in _EBOOK_FIELD.finditer(raw, 0, start.start())
    }
    end = _EBOOK_END.search(raw, start.end())
    return found, raw[start.end() : end.start() if end else len(raw)]


def _plain(value: Any, name: str) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v) or None
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    if value is None or not str(value).strip():
        return None
    text = re.sub(r"\\([-*_#\[\]()>!`])", r"\1", str(value).replace("\u00a0", " ").strip())
    if name == "published":
        day = _ISO_DAY.search(text)
        return day.group(0) if day else None
    if name == "source_url" and not text.startswith(("http://", "https://")):
        return None
    return text


def find_metadata(raw: str, front: Mapping[str, str] | None = None) -> FoundMetadata:
    """Metadata in the text (without its front matter), with the front matter's values."""
    found = _find_in_text(raw)
    return FoundMetadata(found.title, found.source_url, found.published, found.links, front or {})


def _find_in_text(raw: str) -> FoundMetadata:
    lines = [line.strip() for line in raw.split("\n")]
    published = None
    for line in lines:
        m = _DATE_LINE.search(line)
        if m:
            y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
            if 1 <= mo <= 12 and 1 <= d <= 31:
                published = f"{y:04d}-{mo:02d}-{d:02d}"
                break
    if published is None:
        for line in [x for x in lines if x][:_DATELINE_LINES]:
            m = _DATELINE.search(line)
            if m and _real_day(int(m["y"]), int(m["m"]), int(m["d"])):
                published = f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"
                break
    # A chronicle ("大事記" / "2020年1月20日" / items / "2020年1月23日" / …) dates its
    # sections with such lines: only a date line that is the text's one is its date.
    if published is None and sum(1 for x in lines if _DATE_ONLY_LINE.match(x)) <= 1:
        top = [x for x in lines if x][:_DATELINE_LINES]
        dated = (_DATE_ONLY_LINE.match(x) for x in top)
        first = (_DATED_TITLE.match(x) for x in top[:1])
        published = next((iso for m in (*dated, *first) if m and (iso := _full_date(m))), None)
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


def _full_date(m: re.Match[str]) -> str | None:
    """The ISO day a ``_FULL_DATE`` match names, if it is a real day."""
    if m["y"]:
        y, mo, d = int(m["y"]), int(m["m"] or m["m2"]), int(m["d"])
    elif m["y2"]:
        y, mo, d = int(m["y2"]), month_number(m["mn"]), int(m["d2"])
    else:
        y, mo, d = int(m["y3"]), month_number(m["mn3"]), int(m["d3"])
    return f"{y:04d}-{mo:02d}-{d:02d}" if _real_day(y, mo, d) else None


def file_date(article_id: str) -> str | None:
    """The day a file's name gives in ISO form, if any."""
    m = _FILE_DATE.search(article_id)
    if m and _real_day(int(m["y"]), int(m["m"]), int(m["d"])):
        return f"{m['y']}-{m['m']}-{m['d']}"
    return None


def _real_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


# A line that is speech, not a headline: it ends in a quotation closed after its
# sentence ("他说：“你好。”"), or a sentence ends inside it and more follows.
_SPEECH_END = re.compile(r"[。！？!?…][”」』’\"']+$")
_INNER_SENTENCE_END = re.compile(r"[。！？][^”」』’\"'）)]")


def _same_line(raw: str, repaired: str) -> bool:
    """Whether ``repaired`` is ``raw`` after the repairs: mostly the same letters, and
    not much longer (pinyin annotations and mojibake come out, nothing comes in)."""
    a, b = (re.sub(r"\W", "", t.lower()) for t in (raw, repaired))
    return len(b) <= len(a) + 10 and SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5


def _title(lines: list[str]) -> str | None:
    for line in lines:
        if line.startswith("# "):
            return line[2:].strip() or None
    content = [line for line in lines if line]
    for line in lines:
        text = re.sub(r"[*_#]", "", line).strip()
        if not text or _BARE_URL_LINE.match(text) or len(text) < 6:
            continue
        if re.search(r"图片|圖片|查看精彩|网易新闻|網易新聞", text) or _DATE_LINE.search(text):
            continue
        # The first line is a title only if it reads like one: short, not a sentence,
        # not a question, not a speaker's turn ("記者：…"), not a quotation, and not the
        # whole text (a one-line file is its own body).
        if len(text) > 80 or text.endswith(("。", "：", ":", "？", "?")):
            return None
        if re.match(r"^\S{1,6}[：:]", text):
            return None
        if _SPEECH_END.search(text) or _INNER_SENTENCE_END.search(text) or content == [line]:
            return None
        return text
    return None


# A title names a person only where its grammar says so: "Interview with Jane Doe",
# "专访Alexandr Wang", "Jane Doe: …". A capitalised pair alone may be a place ("… En
# Route Jeddah, Saudi Arabia") or an office ("Press Briefing"), so none is taken.
_CAPITALISED_RUN = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*"
_TITLE_PERSON = re.compile(
    rf"(?:\b(?:[Ii]nterview(?:ed|s)?|[Cc]onversation|[Cc]hat|Q&A|[Mm]eets?) with "
    rf"|(?:专访|專訪|对话|對話|访谈|訪談|采访|採訪|对谈|對談)[^A-Za-z:：，,]{{0,12}}?)"
    rf"(?P<after>{_CAPITALISED_RUN})"
    rf"|^(?P<lead>{LATIN_NAME})\s*(?:[:：]|on\b|says\b|talks\b)"
)


def person_in_title(title: str | None) -> str | None:
    """The person a title names as the one interviewed, if it names one. After "with"
    or 专访 a run of capitals ends in the name and may open with an office ("with Press
    Secretary Jane Doe"): its last two words are taken."""
    m = _TITLE_PERSON.search(title or "")
    if m is None:
        return None
    name = m.group("lead") or " ".join(m.group("after").split(" ")[-2:])
    return name if LATIN_NAME_RE.fullmatch(name) else None


def interviewee_of(turns: Sequence[Turn], stand_ins: frozenset[str]) -> str | None:
    """The labelled speaker who answers most (by length of their answers): who a
    transcript with names on its answers interviews. ``stand_ins``: roles, not people
    ("Interviewee", 受訪者), casefolded."""
    said: dict[str, int] = {}
    for t in turns:
        if t.role is Role.INTERVIEWEE and t.speaker and t.speaker.casefold() not in stand_ins:
            said[t.speaker] = said.get(t.speaker, 0) + len(t.text)
    return max(said, key=lambda name: said[name]) if said else None


@dataclass(frozen=True)
class ArticleMeta:
    """The article's metadata, each value with where it came from. ``interviewee`` is
    the configured one (resolved to its canonical name), else the person the title
    names, until the turns name one."""

    title: Field
    published: Field
    source_url: Field
    script: Field
    interviewee: Field
    interviewer: str | None
    author: Field


def resolve_metadata(
    article_id: str,
    found: FoundMetadata,
    overrides: ArticleOverrides | None,
    paragraphs: Sequence[str],
    script: str | None,
    resolve_name: Callable[[str], str | None],
) -> ArticleMeta:
    """Config overrides what the text says; the file name is the last resort for a title
    and a publication date."""

    def pick(name: str, text_value: str | None) -> Field:
        value = getattr(overrides, name, None) if overrides else None
        if value is not None:
            return Field(value, Provenance.CONFIG)
        if found.front.get(name):
            return Field(found.front[name], Provenance.FRONT_MATTER)
        return Field(text_value, Provenance.TEXT if text_value else Provenance.NONE)

    # The raw title line still carries damage; its normalised form is paragraph 0, if
    # the repairs kept it (an illustration mark or a boilerplate line they dropped leaves
    # the text's first sentence there, which is no title).
    kept = found.title and paragraphs and _same_line(found.title, paragraphs[0])
    title = pick("title", paragraphs[0] if kept else None)
    if title.value is None:
        title = Field(article_id, Provenance.FILE)
    configured = overrides.interviewee if overrides else None
    named = person_in_title(title.value) if title.source is not Provenance.FILE else None
    if configured:
        interviewee = Field(resolve_name(configured) or configured, Provenance.CONFIG)
    elif named:
        interviewee = Field(resolve_name(named) or named, Provenance.TEXT)
    else:
        interviewee = Field(None, Provenance.NONE)
    published = pick("published", found.published)
    if published.value is None and (named_day := file_date(article_id)):
        published = Field(named_day, Provenance.FILE)
    return ArticleMeta(
        title=title,
        published=published,
        source_url=pick("source_url", found.source_url),
        script=pick("script", script),
        interviewee=interviewee,
        interviewer=overrides.interviewer if overrides else None,
        author=pick("author", None),
    )
