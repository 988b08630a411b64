"""Settings from TOML under ``config/``, validated once at start-up.

Every problem names its key ("search.engine: must be one of …"). Relative paths are
taken relative to the file that names them, so a config file can live anywhere.
Secrets never come from here: adapters read them from the environment.

Which file: ``discover_config`` tries ``--config FILE``, then ``$CORPUSBOT_CONFIG``,
then ``./config/corpusbot.toml``, then the packaged demo (the bundled corpus).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import packaged
from bot.errors import ConfigError
from bot.models import Platform

DEFAULT_CONFIG = packaged.demo_config()
CONFIG_ENV = "CORPUSBOT_CONFIG"
LOCAL_CONFIG = Path("config") / "corpusbot.toml"
# corpus.raw_dir and corpus.articles_dir when a settings file omits them, relative to it.
DEFAULT_RAW_DIR = "../corpus"
DEFAULT_ARTICLES_DIR = "../articles"
ENGINES = ("auto", "rank-bm25", "tantivy")
SEGMENTERS = ("rjieba", "jieba")
PLATFORMS = tuple(Platform)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ArticleOverrides:
    """Per-article fields the text lacks or gets wrong (config/articles.toml)."""

    title: str | None = None
    source_url: str | None = None
    published: str | None = None
    interviewee: str | None = None
    interviewer: str | None = None
    script: str | None = None
    author: str | None = None
    aliases: Mapping[str, str] | None = None


@dataclass(frozen=True)
class CorpusSettings:
    raw_dir: Path
    articles_dir: Path
    speakers: Mapping[str, tuple[str, ...]]
    articles: Mapping[str, ArticleOverrides]
    boilerplate_lines: tuple[str, ...]
    boilerplate_tail_markers: tuple[str, ...]
    not_speakers: tuple[str, ...]
    user_words: tuple[str, ...]


@dataclass(frozen=True)
class RelevanceFloors:
    """The least share of a query (its rarer words counting more) that the best hit
    must hold for the command to answer; below it the reply says nothing matches."""

    quote: float = 0.5
    # A phrase is said by one turn: whosaid asks for more of it than a topic does.
    whosaid: float = 0.6
    timeline: float = 0.45


@dataclass(frozen=True)
class SearchSettings:
    engine: str
    tantivy_above: int
    index_dir: Path
    results: int
    max_query_chars: int
    segmenter: str = "rjieba"  # or "jieba", the reference (see bot/search/tokenize.py)
    # Rows of words that find each other (收入/营收); see bot/query/synonyms.py.
    synonyms: tuple[tuple[str, ...], ...] = ()
    floors: RelevanceFloors = RelevanceFloors()
    # True: always show the stored text in its own script, never converted.
    show_source_script: bool = False


@dataclass(frozen=True)
class DigestTarget:
    name: str
    platform: Platform
    channel: str
    time: dt.time
    timezone: ZoneInfo
    weekdays: frozenset[int] | None
    topic: str | None


@dataclass(frozen=True)
class DigestSettings:
    ledger: str
    grace: dt.timedelta
    targets: tuple[DigestTarget, ...]


@dataclass(frozen=True)
class Settings:
    path: Path
    corpus: CorpusSettings
    search: SearchSettings
    digest: DigestSettings


class ConfigSource(StrEnum):
    FLAG = "--config"
    ENV = CONFIG_ENV
    LOCAL = "./config/corpusbot.toml"
    DEMO = "the packaged demo"


@dataclass(frozen=True)
class ConfigChoice:
    path: Path
    source: ConfigSource

    def describe(self) -> str:
        how = {
            ConfigSource.FLAG: "from --config",
            ConfigSource.ENV: f"from {CONFIG_ENV}",
            ConfigSource.LOCAL: "found in ./config",
            ConfigSource.DEMO: "the packaged demo: the bundled corpus",
        }[self.source]
        return f"config {self.path} ({how})"


def discover_config(
    flag: Path | None, environ: Mapping[str, str], cwd: Path, demo: bool = False
) -> ConfigChoice:
    """The settings file to use, in order: ``--config``, ``$CORPUSBOT_CONFIG``,
    ``./config/corpusbot.toml``, the packaged demo. A file named explicitly that does not
    exist is an error (never a silent fall-back); the error says what was tried."""
    packaged_demo = packaged.demo_config()
    if demo:
        return _existing(packaged_demo, ConfigSource.DEMO, "--demo")
    if flag is not None:
        return _existing(flag, ConfigSource.FLAG, "--config")
    tried = ["--config (not given)"]
    env = environ.get(CONFIG_ENV, "").strip()
    if env:
        return _existing(Path(env).expanduser(), ConfigSource.ENV, CONFIG_ENV)
    tried.append(f"{CONFIG_ENV} (not set)")
    local = cwd / LOCAL_CONFIG
    if local.is_file():
        return ConfigChoice(local.resolve(), ConfigSource.LOCAL)
    tried.append(f"{local} (not found)")
    if packaged_demo.is_file():
        return ConfigChoice(packaged_demo, ConfigSource.DEMO)
    tried.append(f"the packaged demo {packaged_demo} (not found: a broken install?)")
    raise ConfigError(
        "",
        "no settings file found; tried "
        + ", ".join(tried)
        + ". Make one with `corpusbot init DIR`, or pass --config FILE.",
    )


def _existing(path: Path, source: ConfigSource, key: str) -> ConfigChoice:
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "file not found"
        raise ConfigError(key, f"{what}: {path}")
    return ConfigChoice(path.resolve(), source)


def with_state_dir(settings: Settings, state: Path) -> Settings:
    """The same settings, writing the index and a file ledger under ``state``: how the
    packaged demo runs without writing into the installed package."""
    ledger = settings.digest.ledger
    if "://" not in ledger:
        ledger = str(state / "digest.sqlite3")
    return dataclasses.replace(
        settings,
        search=dataclasses.replace(settings.search, index_dir=state / "index"),
        digest=dataclasses.replace(settings.digest, ledger=ledger),
    )


def load_settings(path: Path | str | None = None) -> Settings:
    path = Path(path) if path else DEFAULT_CONFIG
    data = _read_toml(path, "")  # the file as a whole: its path names it
    base = path.resolve().parent
    corpus = _table(data, "corpus")
    search = _table(data, "search")
    digest = _table(data, "digest")
    settings = Settings(
        path=path,
        corpus=_corpus(corpus, base),
        search=_search(search, base),
        digest=_digest(digest, base),
    )
    reject_unknown(data, path)
    return settings


# ---- helpers ---------------------------------------------------------------------------


class _Tracked(dict[str, Any]):
    """A TOML table that remembers every key the loader asked for, present or not.

    What was never asked for is a setting nobody reads, most often a typo
    (``[serch]``, ``egnine = …``): ``reject_unknown`` names it, with the nearest key that
    is read. Because the record is made by the reading code itself, a setting added to
    the loader is known at once; there is no second list of names to keep in step."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__({key: _track(value) for key, value in data.items()})
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.asked.add(key)
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:  # iterating reads every key (a table of names)
        self.asked.update(super().keys())
        return super().__iter__()

    def items(self):  # type: ignore[no-untyped-def]
        self.asked.update(super().keys())
        return super().items()

    def values(self):  # type: ignore[no-untyped-def]
        self.asked.update(super().keys())
        return super().values()


def _track(value: Any) -> Any:
    if isinstance(value, dict):
        return _Tracked(value)
    if isinstance(value, list):
        return [_track(v) for v in value]
    return value


def reject_unknown(table: Mapping[str, Any], path: Path, prefix: str = "") -> None:
    """Raise for the first key or table in ``table`` (read by ``_read_toml``) that the
    loader never asked for: ``config error: serch: unknown table in corpusbot.toml (did
    you mean search?)``."""
    if not isinstance(table, _Tracked):
        return
    for key, value in dict.items(table):
        name = f"{prefix}{key}"
        if key not in table.asked:
            is_table = isinstance(value, dict) or (
                isinstance(value, list) and bool(value) and isinstance(value[0], dict)
            )
            near = difflib.get_close_matches(key, sorted(table.asked), n=1, cutoff=0.6)
            hint = f" (did you mean {prefix}{near[0]}?)" if near else ""
            kind = "table" if is_table else "key"
            raise ConfigError(name, f"unknown {kind} in {path.name}{hint}")
        if isinstance(value, list):
            for i, item in enumerate(value):
                reject_unknown(item, path, f"{name}[{i}].")
        else:
            reject_unknown(value, path, f"{name}.")


def _read_toml(path: Path, key: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return _Tracked(tomllib.load(handle))
    except FileNotFoundError:
        raise ConfigError(key, f"file not found: {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(key, f"{path} is not valid TOML ({err})") from None
    except UnicodeDecodeError:
        # TOML is UTF-8 by definition: a binary file, or one saved as GBK or UTF-16.
        raise ConfigError(key, f"{path} is not UTF-8 text (TOML must be UTF-8)") from None
    except OSError as err:
        raise ConfigError(key, f"cannot read {path}: {err.strerror}") from None


def _table(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(key, "must be a table")
    return value


_KIND_NAMES = {int: "a whole number", str: "a string", bool: "true or false", float: "a number"}


def _get(table: Mapping[str, Any], prefix: str, name: str, kind: type, default: Any = None) -> Any:
    value = table.get(name, default)
    if value is None:
        raise ConfigError(f"{prefix}.{name}", "is required")
    if kind is int and isinstance(value, bool):
        raise ConfigError(f"{prefix}.{name}", "must be a whole number")
    if not isinstance(value, kind):
        raise ConfigError(f"{prefix}.{name}", f"must be {_KIND_NAMES.get(kind, kind.__name__)}")
    return value


def _strings(table: Mapping[str, Any], prefix: str, name: str) -> tuple[str, ...]:
    value = table.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{prefix}.{name}", "must be a list of strings")
    return tuple(value)


def _text(table: Mapping[str, Any], prefix: str, name: str, default: str | None = None) -> str:
    """A string that must say something: an empty path would resolve to the config folder
    itself (the index or the articles written among the settings files), and an empty
    target name or channel only fails at the first post, hours after start-up."""
    value: str = _get(table, prefix, name, str, default)
    if not value.strip():
        raise ConfigError(f"{prefix}.{name}", "must not be empty")
    return value


def _path(table: Mapping[str, Any], prefix: str, name: str, base: Path, default: str) -> Path:
    return (base / _text(table, prefix, name, default)).resolve()


def _regexes(patterns: tuple[str, ...], key: str) -> tuple[str, ...]:
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as err:
            raise ConfigError(f"{key}[{i}]", f"invalid regular expression: {err}") from None
    return patterns


def _corpus(table: Mapping[str, Any], base: Path) -> CorpusSettings:
    speakers_path = _path(table, "corpus", "speakers_file", base, "speakers.toml")
    articles_path = _path(table, "corpus", "articles_file", base, "articles.toml")
    rules_path = _path(table, "corpus", "normalise_file", base, "normalise.toml")
    speakers_data = _read_toml(speakers_path, "corpus.speakers_file")
    speakers: dict[str, tuple[str, ...]] = {}
    for name, aliases in _table(speakers_data, "speakers").items():
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(f"speakers.{name}", "must be a list of alias strings")
        speakers[name] = tuple(aliases)
    articles: dict[str, ArticleOverrides] = {}
    articles_data = _read_toml(articles_path, "corpus.articles_file")
    for article_id, fields in _table(articles_data, "articles").items():
        articles[article_id] = _overrides(fields, f"articles.{article_id}")
    rules = _read_toml(rules_path, "corpus.normalise_file")
    boiler = _table(rules, "boilerplate")
    settings = CorpusSettings(
        # The layout `init` makes beside the config folder (this repository's own
        # config names its seeds/ folders).
        raw_dir=_path(table, "corpus", "raw_dir", base, DEFAULT_RAW_DIR),
        articles_dir=_path(table, "corpus", "articles_dir", base, DEFAULT_ARTICLES_DIR),
        speakers=speakers,
        articles=articles,
        boilerplate_lines=_regexes(_strings(boiler, "boilerplate", "lines"), "boilerplate.lines"),
        boilerplate_tail_markers=_regexes(
            _strings(boiler, "boilerplate", "tail_markers"), "boilerplate.tail_markers"
        ),
        not_speakers=_strings(_table(rules, "turns"), "turns", "not_speakers"),
        user_words=_strings(_table(rules, "search"), "search", "user_words"),
    )
    for data, path in ((speakers_data, speakers_path), (articles_data, articles_path)):
        reject_unknown(data, path)
    reject_unknown(rules, rules_path)
    return settings


def _overrides(fields: Any, key: str) -> ArticleOverrides:
    if not isinstance(fields, dict):
        raise ConfigError(key, "must be a table")
    known = {f.name for f in dataclasses.fields(ArticleOverrides)}
    for name in fields:
        if name not in known:
            raise ConfigError(f"{key}.{name}", f"unknown field (known: {', '.join(sorted(known))})")
    published = fields.get("published")
    if published is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(published)):
        raise ConfigError(f"{key}.published", "must be YYYY, YYYY-MM or YYYY-MM-DD")
    script = fields.get("script")
    if script is not None and script not in ("simplified", "traditional"):
        raise ConfigError(f"{key}.script", "must be simplified or traditional")
    aliases = fields.get("aliases")
    if aliases is not None and not (
        isinstance(aliases, dict) and all(isinstance(v, str) for v in aliases.values())
    ):
        raise ConfigError(f"{key}.aliases", "must map alias = canonical name")
    return ArticleOverrides(
        title=fields.get("title"),
        source_url=fields.get("source_url"),
        published=str(published) if published is not None else None,
        interviewee=fields.get("interviewee"),
        interviewer=fields.get("interviewer"),
        script=script,
        author=fields.get("author"),
        aliases=aliases,
    )


def _search(table: Mapping[str, Any], base: Path) -> SearchSettings:
    engine = _get(table, "search", "engine", str, "auto")
    if engine not in ENGINES:
        raise ConfigError("search.engine", f"must be one of {', '.join(ENGINES)}, not {engine!r}")
    settings = SearchSettings(
        engine=engine,
        tantivy_above=_get(table, "search", "tantivy_above", int, 5000),
        index_dir=_path(table, "search", "index_dir", base, "../var/index"),
        results=_get(table, "search", "results", int, 3),
        max_query_chars=_get(table, "search", "max_query_chars", int, 500),
        segmenter=_get(table, "search", "segmenter", str, "rjieba"),
        synonyms=_synonyms(table.get("synonyms", [])),
        floors=_floors(_table(table, "floors")),
        show_source_script=_get(table, "search", "show_source_script", bool, False),
    )
    if settings.segmenter not in SEGMENTERS:
        raise ConfigError("search.segmenter", f"must be one of {', '.join(SEGMENTERS)}")
    for key in ("tantivy_above", "results", "max_query_chars"):
        if getattr(settings, key) < 1:
            raise ConfigError(f"search.{key}", "must be at least 1")
    if settings.results > MAX_PAGE:
        raise ConfigError("search.results", MAX_PAGE_PROBLEM)
    return settings


# A page is one chat message, and a Discord message holds at most 10 embeds, one per
# result: a larger page was cut to 10 there with no word, and More went on after the
# results nobody saw. (Slack holds 24 at two blocks each.)
MAX_PAGE = 10
MAX_PAGE_PROBLEM = f"must be at most {MAX_PAGE} (a Discord message shows {MAX_PAGE} results)"


def _synonyms(rows: Any) -> tuple[tuple[str, ...], ...]:
    ok = isinstance(rows, list) and all(
        isinstance(r, list) and len(r) >= 2 and all(isinstance(w, str) and w for w in r)
        for r in rows
    )
    if not ok:
        raise ConfigError("search.synonyms", "must be a list of lists of two or more words")
    return tuple(tuple(r) for r in rows)


def _floors(table: Mapping[str, Any]) -> RelevanceFloors:
    defaults = RelevanceFloors()
    values = {}
    for name in ("quote", "whosaid", "timeline"):
        value = table.get(name, getattr(defaults, name))
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ConfigError(f"search.floors.{name}", "must be a number from 0 to 1")
        values[name] = float(value)
    return RelevanceFloors(**values)


def _digest(table: Mapping[str, Any], base: Path) -> DigestSettings:
    ledger = _text(table, "digest", "ledger", "../var/digest.sqlite3")
    if "://" not in ledger:
        ledger = str((base / ledger).resolve())
    grace = _get(table, "digest", "grace_minutes", int, 60)
    if grace < 0:
        raise ConfigError("digest.grace_minutes", "must not be negative")
    targets = []
    raw_targets = table.get("targets", [])
    if not isinstance(raw_targets, list):
        raise ConfigError("digest.targets", "must be an array of tables ([[digest.targets]])")
    names: set[str] = set()
    for i, raw in enumerate(raw_targets):
        target = _target(raw, f"digest.targets[{i}]")
        if target.name in names:
            raise ConfigError(f"digest.targets[{i}].name", f"duplicate target name {target.name!r}")
        names.add(target.name)
        targets.append(target)
    return DigestSettings(ledger=ledger, grace=dt.timedelta(minutes=grace), targets=tuple(targets))


def _target(raw: Any, key: str) -> DigestTarget:
    if not isinstance(raw, dict):
        raise ConfigError(key, "must be a table")
    platform = _get(raw, key, "platform", str)
    if platform not in PLATFORMS:
        raise ConfigError(f"{key}.platform", f"must be one of {', '.join(PLATFORMS)}")
    time_text = _get(raw, key, "time", str)
    try:
        at = dt.time.fromisoformat(time_text)
        if not re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", time_text):
            raise ValueError(time_text)
    except ValueError:
        raise ConfigError(
            f"{key}.time", f"must be HH:MM (or HH:MM:SS), not {time_text!r}"
        ) from None
    zone_name = _get(raw, key, "timezone", str)
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{key}.timezone", f"unknown IANA time zone {zone_name!r}") from None
    weekdays = None
    if "weekdays" in raw:
        days = _strings(raw, key, "weekdays")
        bad = [d for d in days if d.lower() not in WEEKDAYS]
        if bad or not days:
            raise ConfigError(f"{key}.weekdays", f"use {', '.join(WEEKDAYS)}")
        weekdays = frozenset(WEEKDAYS.index(d.lower()) for d in days)
    topic = raw.get("topic")
    if topic is not None and not isinstance(topic, str):
        raise ConfigError(f"{key}.topic", "must be a string")
    return DigestTarget(
        name=_text(raw, key, "name"),
        platform=Platform(platform),
        channel=_text(raw, key, "channel", "stdout" if platform == "console" else None),
        time=at,
        timezone=zone,
        weekdays=weekdays,
        topic=topic,
    )
