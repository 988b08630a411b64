"""Ingest on the bundled corpus and on bad files: structure, events, safety."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import Settings
from bot.ingest.dates import Stamp, find_dates
from bot.ingest.pipeline import Ingestor, count_turns
from bot.ingest.speakers.salience import Gender, kin_gender
from bot.ingest.store import article_from_dict, article_to_dict, dumps, load_articles
from bot.models import Article, How, Kind, Provenance, Role, SpeakerKind
from tests.conftest import ROOT

RAW = ROOT / "seeds" / "raw"
COMMITTED = ROOT / "seeds" / "articles"

# Turns per speaker, counted by hand in the raw files (a speaker's consecutive
# paragraphs are one turn).
EXPECTED_TURNS = {
    "000_ed35fb0cd7c043ee": {
        "Time [interviewer]": 6,
        "Alexandr Wang [interviewee]": 6,
        "Alexandr Wang [quoted]": 1,
        "Lucy Guo [quoted]": 1,
    },
    "001_08fe2d87d49a4968": {
        "主持人 [interviewer]": 1,
        "Felix Zalman [interviewer]": 15,
        "Alexandr Wang [interviewee]": 16,
    },
    "002_0498f153ca0d55ea": {
        "David George [interviewer]": 29,
        "Alexandr Wang [interviewee]": 29,
    },
    "003_43652604587c5b95": {
        "Alexandr Wang [quoted]": 1,
        "Alexandr Wang [reported]": 1,
        "Vahan Petrosyan [quoted]": 1,
        "Vahan Petrosyan [reported]": 1,
    },
    "004_d9b10cb4f84c3d92": {
        "Aditya Agarwal [interviewer]": 25,
        "Alexandr Wang [interviewee]": 25,
        "Alexandr Wang [quoted]": 1,
        "Alexandr Wang [reported]": 4,
    },
}


@pytest.fixture(scope="module")
def built(ingestor: Ingestor) -> dict[str, Article]:
    return {p.stem: ingestor.build(p) for p in sorted(RAW.glob("*.txt"))}


def test_turn_counts_per_speaker(built: dict[str, Article]) -> None:
    assert {k: count_turns(a) for k, a in built.items()} == EXPECTED_TURNS


def test_qa_answers_belong_to_the_interviewee(built: dict[str, Article]) -> None:
    article = built["000_ed35fb0cd7c043ee"]
    answer = next(t for t in article.turns if t.text.startswith("我反而認為情況正好相反"))
    assert (answer.speaker, answer.role) == ("Alexandr Wang", Role.INTERVIEWEE)
    summary = next(t for t in article.turns if t.text.startswith("總結"))
    assert summary.speaker is None


def test_prose_quotes_are_attributed_through_pronouns(built: dict[str, Article]) -> None:
    article = built["003_43652604587c5b95"]
    said = {t.text[:6]: (t.speaker, t.role, t.how) for t in article.turns if t.speaker}
    # "王" is an alias in this article; no quotation marks: reported, not quoted.
    assert said["王曾公开表示"] == ("Alexandr Wang", Role.REPORTED, How.PROSE_VERB)
    assert said["他指出:“美"] == ("Alexandr Wang", Role.QUOTED, How.PRONOUN)  # "他" is him
    assert said["他评价道:“"] == ("Vahan Petrosyan", Role.QUOTED, How.PRONOUN)


def test_name_pairs_are_linked_as_aliases(built: dict[str, Article]) -> None:
    speakers = built["003_43652604587c5b95"].speakers
    assert "瓦汉·彼得罗西安" in speakers["Vahan Petrosyan"]
    assert "亚历山大·王" in speakers["Alexandr Wang"]


def test_metadata_and_provenance(built: dict[str, Article]) -> None:
    a = built["003_43652604587c5b95"]
    assert (a.published.value, a.published.source) == ("2025-06-12", "text")
    assert a.title.source == "config"
    b = built["002_0498f153ca0d55ea"]
    assert (b.published.value, b.published.source) == ("2024-09-26", "text")
    assert b.source_url.value.startswith("http://mp.weixin.qq.com/s?__biz=")
    assert b.title.value.startswith("专访27岁亿万富翁Alexandr Wang")
    assert built["001_08fe2d87d49a4968"].script.value == "traditional"
    assert b.script.value == "simplified"
    assert built["000_ed35fb0cd7c043ee"].title.value.startswith("28歲輟學生掌舵")
    # Cited sources are kept; related-article navigation and images are not.
    assert b.links == ("https://www.youtube.com/watch?v=HSeE40X60rA&t=1s",)
    assert built["000_ed35fb0cd7c043ee"].links == ("https://arxiv.org/pdf/2503.05628",)


def test_event_dates(built: dict[str, Article]) -> None:
    events = {(e.expression, e.date) for e in built["003_43652604587c5b95"].events}
    assert ("今年1月20日", "2025-01-20") in events  # relative to 2025-06-12
    assert ("2024年3月", "2024-03") in events
    assert ("同年11月", "2024-11") in events  # relative to the date just before
    assert ("第二天", "2025-01-21") in events
    assert ("2016年", "2016") in events
    two = [e.date for e in built["001_08fe2d87d49a4968"].events if "2017年和2018年" in e.text]
    assert two == ["2017", "2018"]  # one clause, two dates, two events


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间: 2025/6/12", ["2025-06-12"]),
        ("发布时间: 2024-09-26 08:02", ["2024-09-26"]),
        ("2024年3月,…并于同年11月", ["2024-03", "2024-11"]),
        ("今年1月20日", ["2025-01-20"]),
        ("去年", ["2024"]),
        ("2025年2月30日", []),  # no such day
        ("Llama 3.1 与 50,000 块 H100", []),
        ("到 2025 年", ["2025"]),
    ],
)
def test_find_dates(text: str, expected: list[str]) -> None:
    found = find_dates(text, anchor=None, published=Stamp(2025, 6, 12))
    assert [s.render() for _, s in found] == expected


def test_no_damage_or_boilerplate_survives(built: dict[str, Article]) -> None:
    forbidden = [
        re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)"),  # pinyin
        re.compile(r"\?z"),
        re.compile("€"),
        re.compile("</?span"),
        re.compile(r"\*\*"),
        re.compile(
            "打开网易新闻|查看精彩图片|图片来源|圖片來源|往期回顾|关注公众号|未经许可不得转载"
        ),
        re.compile("阅读约需|封面图链接|联系负责人|--END--|!\\[\\]"),
    ]
    for article in built.values():
        texts = [t.text for t in article.turns] + [article.title.value or ""]
        for text in texts:
            for pattern in forbidden:
                assert not pattern.search(text), (article.id, pattern.pattern, text[:80])


def test_passages_are_chat_sized_and_linked(built: dict[str, Article]) -> None:
    for article in built.values():
        for p in article.passages:
            assert len(p.text) <= 400
        lengths = sorted(len(p.text) for p in article.passages)
        assert lengths[len(lengths) // 2] >= 80, article.id  # the median reads alone
        ids = [p.id for p in article.passages]
        assert [p.next_id for p in article.passages[:-1]] == ids[1:]


def test_committed_articles_equal_a_fresh_ingest(tmp_settings: Settings, folder) -> None:
    ingestor = Ingestor(tmp_settings.corpus, folder)
    reports = ingestor.run([RAW])
    assert all(r.error is None for r in reports)
    out = tmp_settings.corpus.articles_dir
    for path in sorted(COMMITTED.glob("*.json")):
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name
    # Idempotent: a second run writes nothing and changes nothing.
    again = ingestor.run([RAW])
    assert not any(r.written for r in again)


def _process_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_bad_files_are_reported_and_the_rest_goes_through(
    tmp_settings: Settings, folder, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = "发布时间: 2025/6/12\n亚历山大·王表示，数据是瓶颈。\n這是繁體中文的段落，數據很重要。\n"
    _write(src / "binary.txt", b"\x00\x01\x02PNG\x00" * 50)
    _write(src / "empty.txt", b"  \n")
    _write(src / "gbk.txt", text.replace("這是繁體中文的段落，數據很重要。", "").encode("gbk"))
    _write(src / "big5.txt", "這是繁體中文的段落，數據很重要。資料庫與軟體。\n".encode("big5"))
    _write(src / "bom.md", b"\xef\xbb\xbf" + text.encode("utf-8"))
    _write(src / "notepad.txt", text.encode("utf-16"))  # Notepad's "Unicode": BOM + LE
    _write(src / "utf16be.txt", b"\xfe\xff" + text.encode("utf-16-be"))
    _write(src / "empty16.txt", "\n".encode("utf-16"))
    _write(src / "garbage.txt", bytes(range(0x80, 0x100)) * 4)
    out = tmp_settings.corpus.articles_dir
    out.mkdir(parents=True)
    (out / "keep.json").write_text("{}", encoding="utf-8")  # already stored: must survive

    reports = {Path(r.path).name: r for r in Ingestor(tmp_settings.corpus, folder).run([src])}

    assert "binary" in reports["binary.txt"].error
    assert "empty" in reports["empty.txt"].error
    assert "empty" in reports["empty16.txt"].error
    assert reports["garbage.txt"].error
    for name in ("gbk.txt", "big5.txt", "bom.md", "notepad.txt", "utf16be.txt"):
        assert reports[name].error is None, reports[name].error
    big5 = json.loads((out / "big5.json").read_text("utf-8"))
    assert "資料庫與軟體" in big5["turns"][0]["text"]
    bom = json.loads((out / "bom.json").read_text("utf-8"))
    assert bom["meta"]["published"]["value"] == "2025-06-12"
    assert not bom["turns"][0]["text"].startswith("\ufeff")
    for name in ("notepad", "utf16be"):
        wide = json.loads((out / f"{name}.json").read_text("utf-8"))
        assert wide["turns"] == bom["turns"] and wide["meta"]["published"]["value"] == "2025-06-12"
    # Readable by others as the operator's umask allows (mkstemp alone makes 0600).
    assert (out / "bom.json").stat().st_mode & 0o777 == 0o666 & ~_process_umask()
    assert (out / "keep.json").read_text("utf-8") == "{}"
    assert not list(out.glob(".*.tmp"))


def test_a_file_with_nothing_to_search_is_reported_and_the_earlier_article_kept(
    tmp_settings: Settings, folder, tmp_path: Path
) -> None:
    """A file left with no passage once the repairs have run (a Gutenberg licence alone,
    an illustration mark, a title, front matter) was written as an article of 0 passages
    with no word: nobody could find it, and it replaced a good earlier version."""
    src = tmp_path / "in"
    src.mkdir()
    _write(src / "story.txt", "亚历山大·王表示，数据是瓶颈。\n".encode())
    reports = Ingestor(tmp_settings.corpus, folder).run([src])
    stored = tmp_settings.corpus.articles_dir / "story.json"
    before = stored.read_text("utf-8")
    assert reports[0].passages == 1
    _write(src / "story.txt", b"[Illustration]\n")
    _write(src / "title.txt", b"Only A Title\n")
    _write(src / "front.md", b"---\ntitle: Front matter and nothing else\n---\n")

    reports = {Path(r.path).name: r for r in Ingestor(tmp_settings.corpus, folder).run([src])}

    for name in ("story.txt", "title.txt", "front.md"):
        assert reports[name].error.startswith("nothing to search"), reports[name]
    assert "(repairs: illustrations 1)" in reports["story.txt"].error
    assert stored.read_text("utf-8") == before
    assert sorted(p.name for p in tmp_settings.corpus.articles_dir.glob("*.json")) == ["story.json"]


def test_articles_round_trip_through_json() -> None:
    paths = sorted(COMMITTED.glob("*.json"))
    assert len(paths) == len(list(RAW.glob("*.txt")))
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert dumps(article_from_dict(json.loads(text))) == text, path.name
    assert [a.id for a in load_articles(COMMITTED)] == [p.stem for p in paths]


def test_config_override_sets_a_field(settings: Settings, folder, tmp_path: Path) -> None:
    from bot.config import ArticleOverrides

    corpus = dataclasses.replace(
        settings.corpus,
        articles_dir=tmp_path / "a",
        articles={
            "x": ArticleOverrides(
                published="2020-01", title="T", script="traditional", author="Jane Doe"
            )
        },
    )
    src = tmp_path / "x.txt"
    src.write_text("---\nauthor: Someone Else\n---\n今年3月，他说：“你好。”\n", encoding="utf-8")
    article = Ingestor(corpus, folder).build(src)
    assert (article.published.value, article.published.source) == ("2020-01", "config")
    # Config outranks front matter for the author too.
    assert (article.author.value, article.author.source) == ("Jane Doe", "config")
    assert (article.script.value, article.script.source) == ("traditional", "config")
    assert [e.date for e in article.events] == ["2020-03"]


def test_a_corrupt_article_file_is_named_not_a_traceback(tmp_path: Path) -> None:
    import shutil

    from bot.errors import SourceFileError

    for path in COMMITTED.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "zzz.json").write_text('{"broken": ', encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"zzz\.json.*re-run `python -m bot ingest`"):
        load_articles(tmp_path)


def test_the_next_corpus_english_qa_with_a_title_named_interviewee(
    tmp_settings: Settings, folder, tmp_path: Path
) -> None:
    src = tmp_path / "en.md"
    src.write_text(
        "# Interview with Jane Doe\r\nPublished: 2024-05-01\r\n\r\nQ: What is your plan?\r\n\r\n"
        "A: We will build it. In March 2024 we started.\r\n\r\nQ: When?\r\n\r\nA: Next year.\r\n",
        encoding="utf-8",
    )
    article = Ingestor(tmp_settings.corpus, folder).build(src)
    assert article.title.value == "Interview with Jane Doe"
    assert article.published.value == "2024-05-01"
    assert count_turns(article) == {"Interviewer [interviewer]": 2, "Jane Doe [interviewee]": 2}
    # "Next year." answers "When?": the publication's year plus one (#11).
    assert [(e.expression, e.date) for e in article.events] == [
        ("March 2024", "2024-03"),
        ("Next year", "2025"),
    ]
    assert not any("Published" in t.text for t in article.turns)


def test_the_next_corpus_one_turn_per_line_in_big5(
    tmp_settings: Settings, folder, tmp_path: Path
) -> None:
    src = tmp_path / "big5.txt"
    src.write_bytes("記者：這是第一個問題嗎？\n受訪者：是的，我們在2022年成立。\n".encode("big5"))
    article = Ingestor(tmp_settings.corpus, folder).build(src)
    assert count_turns(article) == {"記者 [interviewer]": 1, "受訪者 [interviewee]": 1}
    assert article.title.source == "file" and article.interviewee.value is None


def test_the_next_corpus_chinese_name_labels(
    tmp_settings: Settings, folder, tmp_path: Path
) -> None:
    src = tmp_path / "labels.txt"
    src.write_text(
        "张三：我们发布了产品。\n李四：用户有多少？\n张三：大约一百万。\n李四：增长很快。\n"
        "张三：是的。\n李四：谢谢。\n",
        encoding="utf-8",
    )
    article = Ingestor(tmp_settings.corpus, folder).build(src)
    assert count_turns(article) == {"张三 [interviewee]": 3, "李四 [interviewer]": 3}


# ---- the next corpus: real third-party texts, no per-text config ----------------------
#
# Each text in tests/data/speakers/ has its expected speakers, turn by turn, written by
# reading it (<name>.expected.tsv: the start of a turn or quotation, a tab, the speaker;
# "-" for narration). See tests/data/README.md for sources and licences.

SPEAKER_TEXTS = ROOT / "tests" / "data" / "speakers"
# (file, minimum precision, minimum recall): labelled shapes 95/90, prose and fiction 85/75.
TARGETS = [
    ("wh_briefing_2023-07-26.md", 0.95, 0.90),
    ("tw_press_tea_2016-11-16.md", 0.95, 0.90),
    ("cna_interview_2016-12-10.md", 0.95, 0.90),
    # Held out (session 29), from the same CC0 archive, labelled by a helper session
    # before ingest ran on them: a press conference whose reporters go by outlet, some
    # once ("年代：", "工商時報：", "匿名："; 0.94/0.94 until a short label in a
    # transcript, whose labels are nearly all speakers on their own evidence, is a
    # speaker, 1.00/1.00), an interview (1.00/1.00) and a panel of 17 speakers (0.98/0.98
    # -> 1.00/1.00: a guest labelled once, 謝孟錡, the host had introduced).
    ("tw_presser_2024_04_10.md", 0.95, 0.90),
    ("tw_interview_2018_11_09.md", 0.95, 0.90),
    ("tw_panel_2021_04_27.md", 0.95, 0.90),
    # Held out (session 29): the text of a PDF, an FOMC conference call, its labels a
    # title and a surname in capitals ending on a full stop ("MR. BOEHNE. Dave, …"),
    # wrapped at 55-70 columns, page markers and a running header inside three turns;
    # labelled by the surnames its labels give. 0/0 untuned, 1.00/0.93 with the labels
    # read (session 29), 1.00/1.00 with its own wrap width and its pages' furniture gone.
    ("fomc_conference_call_1991_01_09.md", 0.95, 0.90),
    # A news Q&A whose first question and answer name the sides ("金哲问：", "林慕莲答：")
    # and the rest do not ("问：", "答："); labelled before ingest ran on it (0.73/0.71
    # then: the stand-in "Interviewer" for 金哲, a question's second paragraph and a
    # quoted heading credited to the answerer).
    ("voa_lim_2021-06-08.md", 0.95, 0.90),
    ("hlm_079.txt", 0.85, 0.75),
    ("hlm_057.txt", 0.85, 0.75),
    ("sgyy_004.txt", 0.85, 0.75),
    # VOA Chinese news (#11), labelled before ingest ran on it: 0.88/0.52 then (English
    # names of "多米尼克·拉布(Dominic Raab)" unlinked, "…学者克里斯·鲍尔丁认为" read as an
    # unnamed 学者, tails with an aside, "“…，” 古举伦说，“…”"), 1.00/0.85 after.
    ("voa_sanctions_2021-03-23.md", 0.85, 0.75),
    # English fiction (#11): Alice's Adventures in Wonderland, ch. VIII, labelled after
    # 孔乙己 and before ingest ran on it: 0.50/0.03 then ("said Alice", "said the Queen",
    # "the Rabbit whispered" named nobody a news reader knows), 1.00/0.90 after.
    ("alice_08.txt", 0.85, 0.75),
]


def _key(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).lower()


def _same_person(expected: str, found: str) -> bool:
    e, f = _key(expected), _key(found)
    return bool(e) and (e in f or f in e)


def attribution_scores(article: Article, expected: list[tuple[str, str]]) -> tuple[float, float]:
    """Precision and recall of the speakers of the expected turns, found in order."""
    keyed = [(_key(t.text), t.speaker) for t in article.turns]
    pos = correct = attributed = wanted = 0
    for snippet, speaker in expected:
        key = _key(snippet)
        near = range(pos, min(pos + 6, len(keyed)))
        at = next((i for i in near if keyed[i][0].startswith(key)), None)
        if at is None:
            at = next((i for i in range(pos, len(keyed)) if key in keyed[i][0]), None)
        assert at is not None, f"{snippet!r} not found in the turns"
        pos = at
        found = keyed[at][1]
        wanted += speaker != "-"
        if found is not None:
            attributed += 1
            # A person labelled by another name the article gives them ("云长" for
            # 关羽, "关羽，字云长") is the same person.
            # A one-character alias ("子" for 孔子) is no evidence inside another name
            # (子贡, 子夏).
            forms = (found, *(a for a in article.speakers.get(found, ()) if len(a) > 1))
            correct += speaker != "-" and any(_same_person(speaker, f) for f in forms)
    return correct / max(1, attributed), correct / max(1, wanted)


def _expected(name: str) -> list[tuple[str, str]]:
    path = SPEAKER_TEXTS / (name.rsplit(".", 1)[0] + ".expected.tsv")
    rows = [line.split("\t") for line in path.read_text("utf-8").splitlines() if line]
    return [(a, b) for a, b in rows]


# Short texts labelled before ingest was run on them, measured as they came (hlm_040
# 0.92/0.75, sgyy_005 0.82/0.58; later shz_022 0.96/0.52, xyj_023 0.59/0.26, and two
# English news releases, nasa_hic_flare 1.00/0.30 and nasa_armadas 0.10/0.14) and then
# after general fixes their misses suggested (1.00/0.81, 1.00/0.79, 1.00/0.95,
# 0.94/0.82, 1.00/1.00, 1.00/1.00): floors that keep precision at the target and catch
# recall regressions. The news releases are shorter than 30 turns, hence not TARGETS.
HELD_OUT = [
    ("hlm_040.txt", 0.85, 0.70),
    ("sgyy_005.txt", 0.85, 0.70),
    ("shz_022.txt", 0.85, 0.85),
    ("xyj_023.txt", 0.85, 0.75),
    ("nasa_hic_flare.md", 0.85, 0.75),
    ("nasa_armadas.md", 0.85, 0.75),
    # 鲁迅《藥》 sections 三 and 四 (Wikisource, 『』 quotations), labelled before ingest
    # ran on it: 1.00/0.06 then (『』 was no quotation mark), 1.00/0.42 after #11's
    # role nouns, kin names and "说：——" leads; the rest needs a reader ("『…』橫肉的人
    # 只是嚷", a speaker named only by what follows).
    # 0.94/0.52 after the speaker named right after a quotation with no speech verb
    # ("『…』花白鬍子便取消了自己的話"; "橫肉的人" stays the phrase, not 康大叔).
    # 0.95/0.55 once "大聲說" leads a quotation (声 before 说 was no verb to the lexicon).
    # 0.955/0.636 once "駝背五少爺話還未完" names whose words were cut off (a nickname, an
    # order of birth and a kinship word make a name) and "坐在後排的一個二十多歲的人" is
    # someone described.
    # 0.957/0.667 once a quotation that calls someone by name ("『老栓，你有些不舒服麽？』")
    # has them answer the next bare quotation.
    ("luxun_yao.txt", 0.95, 0.66),
    # 鲁迅《孔乙己》 whole, labelled before ingest ran on it: 0.83/0.43 then (他 read as
    # the group 所有喝酒的人, "一个喝酒的人说道" as no one, the 掌柜's exchange with the
    # drinker unattributed), 1.00/0.66 after; left: groups (他们, 旁人), the narrator 我.
    # 1.00/0.69 once a lead whose subject is 自己 goes on with the paragraph's speaker;
    # 1.00/0.83 once groups speak (旁人, and 他们 for the group that spoke last) and the
    # narrator's sentence goes on past a "；" ("我暗想…；…懒懒的答他道").
    ("luxun_kongyiji.txt", 0.85, 0.80),
    # 鲁迅《故乡》 whole (#11), labelled before ingest ran on it: 0.75/0.225 then (the
    # narrator 我 no speaker, so no exchange with him was read; a 他 for 闰土 or 宏儿
    # read as the last named, 母亲 or 闰土), 0.81/0.325 once the narrator speaks and the
    # one spoken to ("闰土又对我说") answers the next bare quotation. Precision stays
    # below the 0.85 target on those pronouns (the names a 他 may be are only the ones
    # that spoke before); left: "我应声说" (声说 is no verb to the lexicon), a quotation
    # after narration in the same exchange, 圆规 for 杨二嫂 (no apposition says so).
    # 0.84/0.40 once "我应声说" leads, and the one who spoke last in a paragraph goes on
    # where a lead or narration opens on them or has no subject ("母亲说着，便向房外看，
    # “…”", "…说：“…”便拖出…来，…。“这是第五个孩子…”").
    # 1.00/0.475 once 闰土 and 宏儿, names no dictionary knows, are people because the
    # story writes them as a clause's subject again and again (a 他 may then be them),
    # and "母亲叫闰土坐，他…说" gives 他 to the one bidden.
    # 1.00/0.525 once one who speaks to "你" in a scene the narration gave the narrator
    # and them alone ("我说…母亲也说好" ¶ "“你休息一两天…”母亲说。") is answered by the
    # narrator, and the two take turns ("“是的。”" ¶ "“还有闰土…”").
    # 1.00/0.575 once a sentence opener such as 幸而 and a possessor before a kin word
    # ("幸而我的母亲也就进来，从旁说：") no longer hide the subject.
    ("luxun_guxiang.txt", 1.00, 0.57),
    # 鲁迅《祝福》 whole (an OCR'd copy, its misprints kept: 样林嫂, 卫若婆子, 四婢),
    # labelled before ingest ran on it: 0.82/0.34 then (寒暄 of "寒暄之后说我" read as a
    # person, and a later 她 as them; 四叔 and 四婶 no names). 0.94/0.43 once a time after
    # an event stands where no subject is ("寒暄之后"), an order of birth before an
    # uncle or aunt is a name ("四叔说"), and a kinship word gives a name its gender (她
    # is no longer 四叔). Left: 祥林嫂's first turns (她, before the story has her speak),
    # the long alternating talks of 我 and 祥林嫂, 柳妈 and 祥林嫂, 四婶 and 卫老婆子.
    # 0.914/0.471 once a two-character name with a word of kinship that opens clauses
    # again and again (祥林嫂) is a person from the start, so her first turns' 她 is her,
    # and a quotation broken off by a dash is the speaker's whose words go on after the
    # narration ("“就是——”她走近两步，…切切的说，“…”"). One turn lost: a 她 that is
    # the paragraph's subject (四婶) read as the one named since ("…提起祥林嫂。…她…说").
    # 0.927/0.559 once one who answers ("“晤晤。”她含胡的回答。") is the one just asked,
    # not who asked, and the two take turns from there.
    # 0.951/0.574 once a cry at a quotation's head ("“阿阿，你不知道…”") is no name called.
    # 0.930/0.588 once words ending their sentence before an attribution that goes on on
    # a comma are its speaker's ("“你是什么意思？…”四婶洗着碗，…愤愤的说，“…”"); the
    # bare quotation after it is then guessed as 四叔's turn, where 卫老婆子 answers.
    ("luxun_zhufu.txt", 0.92, 0.58),
    # Jane Austen, Pride and Prejudice, chapters I and II (#11), labelled before ingest
    # ran on it: 0.75/0.12 then (the Bennets' talk unattributed: "said his lady",
    # "returned she", "cried his wife"; "Mrs. Bennet said" read as Mr. Bennet, the two
    # sharing a surname; "she" resolved to Netherfield Park, named inside a quotation;
    # an illustration's credit, "George Allen", a speaker). 1.00/0.82 once honorifics
    # belong to names, a pronoun after an attribution is read ("returned she"), a spouse
    # is named by title ("his wife" of Mr. Bennet is Mrs. Bennet), a quotation's
    # vocative or the narration just before gives the one spoken to, a short aside
    # ("This was invitation enough.") keeps the talk going, and illustration marks go.
    # 0.976/0.82 once a name called inside a sentence counts ("“When is your next ball to
    # be, Lizzy?”" ¶ "“To-morrow fortnight.”" is Lizzy's, labelled Elizabeth).
    ("austen_pp_01.txt", 0.95, 0.80),
    # Sherlock Holmes, "The Red-Headed League", labelled by a helper before ingest ran on
    # it (0.75/0.28 then); the English fiction below was worked out on the same story,
    # so this is no held-out figure: 1.00/0.69 once the narrator speaks ("said I", "I
    # answered") under the name the others call him by before he answers ("my dear
    # Watson"), a speech over several paragraphs stays its speaker's, an English
    # paragraph's bare quotation goes on with who spoke in it, "Mr. Sherlock Holmes" and
    # "Mr. Wilson" are Sherlock Holmes and Jabez Wilson, and "Fleet Street" is no one.
    ("holmes_redheaded.txt", 0.95, 0.65),
    # Held out, labelled by a helper before ingest ran on them: Little Women, ch. 1
    # (0.94/0.63 at df29d80) and A Christmas Carol, Stave One (0.79/0.40: "Christmas
    # Eve--old Scrooge" a name, "said Scrooge's nephew" a character "Scrooge's"), both
    # with straight quotation marks: 0.956/0.796 and 0.955/0.438 with this change (more
    # storyteller's verbs, "grumbled", "sang"; one who is called by name answers; a
    # quotation whose paragraph goes on "And Beth looked at…" is Beth's; a reply that
    # calls someone by name gives them the words it answers). Left in the Carol: "the
    # nephew", "the uncle", "the gentleman", whom no name stands for.
    ("littlewomen_01.txt", 0.90, 0.75),
    ("carol_01.txt", 0.90, 0.40),
    # Held out, labelled by a helper session before ingest ran on them, measured at
    # df29d80 and after this session's changes: Anne of Green Gables ch. III 0.81/0.42 ->
    # 0.853/0.58, The Wind in the Willows ch. I 0.93/0.77 -> 0.933/0.824; 鲁迅《风波》
    # 0.57/0.08 -> 0.826/0.388 (children named by their weight, 七斤, 九斤老太, are names
    # once the story writes them as a subject again and again) and 《离婚》 0.56/0.11 ->
    # 0.636/0.149 (an e-text whose paragraphs open with an indent, no blank lines, was
    # read a line a paragraph). Both 鲁迅 stories stay under the fiction target: their
    # speakers go by nicknames, descriptions ("一个蟹壳脸的", "胖子") and names given
    # late ("我叫汪得贵"); these floors catch a regression, they claim no target.
    # 《离婚》 0.714/0.213 once words before an attribution that goes on are its speaker's
    # ("“…，八三哥！”爱姑愤愤地昂起头，说，“…”") and a note mark ("”①木三点头说") reads
    # as nothing; 八三, two numerals, is still no name; -> 0.824/0.298 once a name and an
    # honorific the text keeps using (慰老爷, 七大人) opens a clause as a person's name,
    # a man's, and words that name someone ("“谢谢慰老爷。…”") are no turn of theirs.
    ("anne_green_gables.txt", 0.85, 0.55),
    ("wind_willows.txt", 0.90, 0.80),
    ("luxun_fengbo.txt", 0.80, 0.35),
    ("luxun_lihun.txt", 0.80, 0.28),
    # Held out, labelled by a helper session before ingest ran on them (session 29), with
    # speakers by role and description ("said the lawyer", "the sea-cook") that stay
    # unattributed: Treasure Island ch. 28 0.83/0.65 -> 0.86/0.68 (its long paragraphs,
    # few blank lines between them, were cut at every line ending a sentence; a speech a
    # copy left unclosed took the next "“Is that all?” I asked.") -> 1.00/0.78 ("Mr.
    # Silver", as Jim calls him, is the Silver the narration names), Jekyll and Hyde's "The
    # Last Night" 0.87/0.44 -> 0.90/0.44 ("“Do you know, Poole,” he said" is not Poole's:
    # no pronoun stands for the one the words call) -> 0.93/0.66 ("said the lawyer" is the
    # Utterson whom Poole, called by the lawyer, calls), Tom Sawyer ch. IX 0.32/0.17 ->
    # 0.65/0.23 ("Presently Tom seized…" is Tom: an adverb opening the sentence is no
    # first name) -> 0.71/0.25 ("Hucky", as Tom calls him, is the Huckleberry the
    # narration names: a pet form) -> 0.905/0.40 ("Then Tom whispered:" ¶ "“…”": a
    # storyteller's lead ending on a colon gives the next paragraph its speaker). Left:
    # Joe and "Injun Joe" two people, the whispered exchange with no attribution at all.
    # Floors, no target.
    ("treasure_island_28.txt", 0.95, 0.75),
    ("jekyll_hyde_last_night.txt", 0.90, 0.62),
    ("tom_sawyer_09.txt", 0.85, 0.37),
    # Held out, Chinese modern fiction labelled by a helper session before ingest ran
    # on them (session 29), measured untuned and now:
    # - 呼兰河传 ch. 6: 0.85/0.55 -> 0.89/0.59. 有二伯 (one character, an order of birth
    #   and an uncle, opening clauses again and again) is a name; its talk still goes
    #   by nicknames ("有二爷").
    # - 朱自清《阿河》: 0.52/0.30 -> 0.875/0.477.
    # - 郁达夫《春风沉醉的晚上》: 0.23/0.06 -> 0.92/0.23.
    # What moved them: 约莫 ("about") and 静静 (静静地, "quietly"), which the tagger
    # reads as names, stand for no one (a name in a clause before the verb's must be
    # written again; a clause that opens on its manner has no subject); 古语说 is a
    # saying; "再和娘说" says whom to; 阿河 (阿 and one character, opening clauses) and
    # 二妹 (an order of birth and 妹) are names; "姓陈，名叫二妹" is 陈二妹; a narrator
    # called "白先生" by one who speaks, with narration between in the caller's
    # paragraph, is 白先生. 0.92/0.23 -> 0.93/0.26 (what 我 sees in a clause before the
    # verb's is the narrator's own: "我看了她…，所以就对她说："). Floors, no target: 春风's
    # long talk with no attribution at all, between 我 and a 她 named pages later, stays
    # unread.
    ("xiaohong_hulanhe6.txt", 0.85, 0.55),
    ("zhuziqing_ahe.txt", 0.85, 0.45),
    ("yudafu_chunfeng.txt", 0.90, 0.24),
]

# Shapes the texts above lack (#11), labelled by reading before ingest ran on them and
# measured at main before this change (lunyu_zizhang 1.00/0.29, lunyu_xianjin 0.93/0.48
# with "子贡问" credited to 孔子, zaju_chenmu and zaju_mengliang 0/0): classical
# dialogue ("子夏曰", "子曰", a bare "曰" answering) and drama cues ("（正旦云）", "(杨景云)").
# The two plays are short scenes (27 and 28 rows); together they pass 30.
NEW_SHAPES = [
    # Then 0.94 and 0.89; now 0.97 and 0.96 ("季路问" and "卫公孙朝问于子贡曰" read).
    ("lunyu_zizhang.md", 0.95, 0.90),
    ("lunyu_xianjin.md", 0.95, 0.90),
    ("zaju_chenmu.md", 0.95, 0.90),
    ("zaju_mengliang.md", 0.95, 0.90),
    # 《西游记》第二十四回, labelled before the fiction fixes below ran on it (0.78/0.62
    # then): the person, not the epithet (唐僧/长老 are 三藏, 大仙 is 镇元子).
    ("xyj_024.txt", 0.90, 0.85),
]


def test_a_novels_sentence_openers_and_places_are_no_names(
    ingest_text: Callable[[str], Article],
) -> None:
    """Pride and Prejudice (Gutenberg #1342, public domain), sentences of chapters III, VI,
    IX, XV, XXIV, XXXIX and XL as printed: "Neither Jane nor Elizabeth" and "from London Lydia
    came" hold no names "Neither Jane" or "London Lydia" whose last word would stand
    for Jane or Lydia ("neither" is a word the text writes in lower case; "London"
    stands alone elsewhere)."""
    article = ingest_text(
        "The officer was the very Mr. Denny concerning whose return from London Lydia "
        "came to inquire, and he bowed as they passed.\n"
        "Neither Jane nor Elizabeth were comfortable on this subject. Day after day "
        "passed away without bringing any other tidings of him than the report which "
        "shortly prevailed in Meryton of his coming no more to Netherfield the whole "
        "winter; a report which highly incensed Mrs. Bennet, and which she never failed "
        "to contradict as a most scandalous falsehood.\n"
        "“And we mean to treat you all,” added Lydia; “but you must lend us the money, "
        "for we have just spent ours at the shop out there.”\n"
        "“You doubt me,” cried Jane, slightly colouring; “indeed, you have no reason.”\n"
        "Mary had neither genius nor taste; and though vanity had given her application, "
        "it had given her likewise a pedantic air and conceited manner, which would have "
        "injured a higher degree of excellence than she had reached.\n"
        "The girls grieved over such a number of ladies; but were comforted the day "
        "before the ball by hearing that, instead of twelve, he had brought only six with "
        "him from London, his five sisters and a cousin.\n"
        "“Yes, indeed,” cried Mrs. Bennet, offended by his manner of mentioning a country "
        "neighbourhood.\n"
    )
    said = [t.speaker for t in article.turns if t.speaker]
    assert said == ["Lydia", "Lydia", "Jane", "Jane", "Mrs. Bennet"]


def test_english_fiction_names_its_characters(ingest_text: Callable[[str], Article]) -> None:
    """ "said Alice", "said the Queen", "the Rabbit whispered", a lead's subject before a
    storyteller's verb, "she went on" for the last woman who spoke; a new sentence after
    a quotation ("“Who is this?” She said it to…") is no attribution of it."""
    article = ingest_text(
        "“Would you tell me,” said Alice, a little timidly, “why?”\n\n"
        "“Idiot!” said the Queen, tossing her head; and, turning away, she went on, “No.”\n\n"
        "The King laid his hand upon her arm, and timidly said “Consider, my dear!”\n\n"
        "“Oh, hush!” the White Rabbit whispered. “The Queen will hear you!”\n\n"
        "“She boxed the Queen’s ears—” the Rabbit began.\n\n"
        "and the Queen said severely “Who is this?” She said it to the Knave.\n"
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == [
        "Alice", "Alice", "Queen", "Queen", "King", "White Rabbit", "White Rabbit",
        "White Rabbit", "Queen"
    ]  # fmt: skip


def test_modern_fiction_exchanges_and_speakers_named_after(
    ingest_text: Callable[[str], Article],
) -> None:
    """A quotation with no attribution in a run of two people's turns is the other's reply;
    a speaker named right after a quotation with no speech verb speaks it, not one who
    then answers ("孔乙己便涨红了脸，…争辩道") nor one who "不再问"; 他 is never a group."""
    article = ingest_text(
        "所有喝酒的人便都看着他笑，有的叫道，“你又来了！”他不回答，对柜里说，“温两碗酒。”\n"
        "一个喝酒的人说道，“他怎么会来？”掌柜说，“哦！”“他打折了腿了。”“后来呢？”"
        "“许是死了。”掌柜也不再问，仍然慢慢的算他的账。\n"
        "『沒有？——我想……』花白鬍子便取消了自己的話。\n"
        "“什么清白？”孔乙己便涨红了脸，争辩道，“窃书不能算偷！”\n"
    )
    said = [t.speaker for t in article.turns]
    assert said == [
        "所有喝酒的人", None, "喝酒的人", "掌柜", "喝酒的人", "掌柜", "喝酒的人", None,
        # "花白鬍子" as the tagger cuts it, "花白" (as in 《藥》's other leads).
        "花白", None, None, "孔乙己"
    ]  # fmt: skip


def test_words_before_an_attribution_that_goes_on_are_the_speakers(
    ingest_text: Callable[[str], Article],
) -> None:
    """鲁迅《离婚》 as an annotated e-text has it: "“…，八三哥！”爱姑愤愤地昂起头，说，“…”"
    is 爱姑's from its first words (the attribution ends on a comma and goes on with
    them), and "“对对。”①木三点头说。" is 木三's: the edition's note mark ① reads as
    nothing. (The same shape after words it answers, or with a verb of answering, is
    another's: "“什么清白？”孔乙己便涨红了脸，争辩道，“…”" in the test above.)"""
    opening = (SPEAKER_TEXTS / "luxun_lihun.txt").read_text("utf-8").split("\n")[:36]
    article = ingest_text("\n".join(opening) + "\n")
    said = dict((text, who) for who, text in _quotations(article, 6))
    assert said["回到那边去，八三哥！"[-6:]] == "爱姑"
    assert said["对对。"] == "木三"
    assert "①" in next(t.text for t in article.turns if t.text.startswith("“对对。”"))


def test_a_name_with_an_honorific_is_a_man_and_words_that_name_him_are_not_his(
    ingest_text: Callable[[str], Article],
) -> None:
    """鲁迅《离婚》: 慰老爷 and 七大人, a name and an honorific the text keeps using, open a
    clause as its subject ("“唔？…”慰老爷还注视着走在最后的爱姑，说。" is his, not 爱姑's,
    whom he watches), and 她 is never one of them; "“谢谢慰老爷。…”" is no turn of his."""
    lines = (SPEAKER_TEXTS / "luxun_lihun.txt").read_text("utf-8").split("\n")
    article = ingest_text("\n".join(lines[140:180]) + "\n")
    said = {t.text[:6]: t.speaker for t in article.turns}
    assert said["“唔？怎么？"] == "慰老爷"
    assert said["“我本来是专"] == "爱姑"  # "她非常后悔，不由的自己说："
    assert said["“谢谢慰老爷"] != "慰老爷"
    assert kin_gender("七大人") is kin_gender("慰老爷") is Gender.MALE
    assert kin_gender("林先生") is None  # 先生 is said of women too


def test_words_the_tagger_reads_as_names_are_no_speakers(
    ingest_text: Callable[[str], Article],
) -> None:
    """郁达夫《春风沉醉的晚上》 and 朱自清《阿河》, whole as labelled: 约莫 ("about") and
    静静 ("静静地微笑著说", quietly), which jieba tags as names, 古语 ("古语说得好"), "和娘"
    ("再和娘说": to her mother) and "陈叫二" ("姓陈，名叫二妹") speak no turn; 陈二妹 and
    阿河 do, and the narrator 阿河 calls "白先生" answers as 白先生."""
    chunfeng = ingest_text((SPEAKER_TEXTS / "yudafu_chunfeng.txt").read_text("utf-8"))
    ahe = ingest_text((SPEAKER_TEXTS / "zhuziqing_ahe.txt").read_text("utf-8"))
    speakers = {t.speaker for a in (chunfeng, ahe) for t in a.turns if t.speaker}
    assert not speakers & {"约莫", "静静", "古语", "和娘", "陈叫二"}
    assert {"陈二妹", "阿河", "白先生"} <= speakers
    said = {t.text[:8]: t.speaker for t in ahe.turns}
    assert said["她站在我面前了，"] == "阿河"  # "…静静地微笑著说：“白先生，…？”"
    assert said["我不自主地立起来"] == "白先生"  # "…匆忙地应道，“在这里；”"


def test_a_lead_whose_subject_is_the_reflexive_goes_on_with_the_speaker(
    ingest_text: Callable[[str], Article],
) -> None:
    """ "直起身又看一看豆，自己摇头说" (鲁迅《孔乙己》): 自己 stands for the one who was
    speaking in the paragraph, with no name of its own."""
    article = ingest_text(
        "孔乙己着了慌，伸开五指将碟子罩住，弯腰下去说道，“不多了，我已经不多了。”"
        "直起身又看一看豆，自己摇头说，“不多不多！多乎哉？不多也。”\n"
    )
    assert [t.speaker for t in article.turns] == ["孔乙己", "孔乙己"]


# A quotation in “…” or 『…』 (the Wikisource copies of 鲁迅 use both).
_QUOTATION = re.compile("[“『]([^”』]*)[”』]")


def _quotations(article: Article, tail: int) -> list[tuple[str | None, str]]:
    """(speaker, last ``tail`` characters) of each quotation in the article's turns."""
    return [(t.speaker, q[-tail:]) for t in article.turns for q in _QUOTATION.findall(t.text)]


def test_the_one_who_spoke_goes_on_after_their_own_action(
    ingest_text: Callable[[str], Article],
) -> None:
    """鲁迅《故乡》, 《藥》: in a paragraph, a lead or narration that opens on the one who
    spoke last or has no subject ("便…") goes on with their words; "大聲說" is a speech
    verb. Not where the narration names someone else ("华大妈听了…")."""
    article = ingest_text(
        "“他？……他景况也很不如意……”母亲说着，便向房外看，“这些人又来了。”\n\n"
        "这来的便是闰土。虽然我一见便知道是闰土，但又不是我这记忆上的闰土了。\n\n"
        "“老太太。信是早收到了。”闰土说。\n\n"
        "他回过头去说：“水生，给老爷磕头。”便拖出躲在背后的孩子来，只是黄瘦些。"
        "“这是第五个孩子，没有见过世面。”\n\n"
        "康大叔見衆人都聳起耳朵聽他，便格外高興，越發大聲說，『這小東西不要命。』\n\n"
        "“包好！”康大叔说。华大妈听了，便走开了。“谁的孩子？”\n"
    )
    said = _quotations(article, 4)
    assert said == [
        ("母亲", "如意……"), ("母亲", "又来了。"), ("闰土", "收到了。"), ("闰土", "爷磕头。"),
        ("闰土", "过世面。"), ("康大叔", "不要命。"), ("康大叔", "包好！"), (None, "的孩子？"),
    ]  # fmt: skip


def test_whose_words_were_cut_off_and_who_is_described_where_they_sit(
    ingest_text: Callable[[str], Article],
) -> None:
    """鲁迅《藥》: "X話還未完" after a quotation names its speaker, and a nickname, an
    order of birth and a word of kinship make a name (駝背五少爺); someone
    described where they sit ("坐在後排的一個二十多歲的人") speaks as that description."""
    article = ingest_text(
        "店裏坐着許多人。\n\n"
        "『老栓只是忙。要是他的兒子……』駝背五少爺話還未完，突然闖進了一個人。\n\n"
        "『阿呀，那還了得。』坐在後排的一個二十多歲的人，很現出氣憤模樣。\n\n"
        "『瘋了。』駝背五少爺點着頭說。\n"
    )
    said = _quotations(article, 3)
    assert said == [("駝背五少爺", "子……"), ("二十多歲的人", "了得。"), ("駝背五少爺", "瘋了。")]


def test_an_uncle_by_order_of_birth_speaks_and_a_time_is_no_one(
    ingest_text: Callable[[str], Article],
) -> None:
    """鲁迅《祝福》: "四叔说" is 四叔's (an order of birth and a word of kinship), not
    "只有四叔"'s; "寒暄之后说我“…”" has no subject, so 寒暄 is nobody and a later 她 is
    not them; a kinship word gives its gender, so 她 is not 四叔."""
    article = ingest_text(
        "他比先前并没有什么大改变，一见面是寒暄，寒暄之后说我“胖了”。\n\n"
        "“可恶！然而……。”四叔说。\n\n"
        "“你是什么意思？亏你还会再来见我们。”四婶洗着碗，一见面就愤愤的说。\n\n"
        "只有四叔且走而且高声的说：\n\n"
        "“不早不迟，偏偏要在这时候——这就可见是一个谬种！”\n"
    )
    said = _quotations(article, 3)
    assert said == [
        (None, "胖了"), ("四叔", "……。"), ("四婶", "我们。"), ("四叔", "谬种！"),
    ]  # fmt: skip


def test_a_lead_line_ending_on_a_colon_and_dash_is_no_heading(
    ingest_text: Callable[[str], Article],
) -> None:
    """ "康大叔走上前，拍他肩膀说：——" on a line of its own leads into the next line's
    quotation: narration, not a section heading; the quotation is 康大叔's."""
    article = ingest_text("店裏坐着許多人。\n\n康大叔走上前，拍他肩膀说：——\n\n『包好！包好！』\n")
    assert [(t.speaker, t.kind) for t in article.turns] == [
        (None, Kind.TEXT), (None, Kind.TEXT), ("康大叔", Kind.TEXT)
    ]  # fmt: skip


def test_a_storytellers_lead_ending_on_a_colon_gives_the_next_paragraph(
    ingest_text: Callable[[str], Article],
) -> None:
    """English fiction's "Then Tom whispered:" ¶ "“…”" (Tom Sawyer): a storyteller's
    verb ends the paragraph, the quotation is the next one, as "拍他肩膀说：——" is; an
    adverb opening the sentence ("Then", "Presently") is no part of the name."""
    article = ingest_text(
        "Tom and Huck sat by the grave.\n\nHuckleberry whispered:\n\n“I wisht I knowed.”\n\n"
        "There was a considerable pause. Then Tom whispered:\n\n“Say, Hucky, do you reckon"
        " he hears us?”\n\nPresently Tom seized his comrade’s arm and said:\n\n“Sh!”\n"
    )
    said = [t.speaker for t in article.turns if t.text.startswith("“")]
    assert said == ["Huckleberry", "Tom", "Tom"]
    # Not past a subject nobody is named by: the stranger's words are not Tom's.
    stranger = ingest_text("Tom sat.\n\nTom turned to Huck, and the stranger said:\n\n“Go.”\n")
    assert [t.speaker for t in stranger.turns if t.text.startswith("“")] == [None]


def test_the_narrator_speaks_and_the_one_spoken_to_answers(
    ingest_text: Callable[[str], Article],
) -> None:
    """First-person fiction (鲁迅《故乡》): 我 opening the speech verb's sentence is the
    narrator, a speaker of its own kind that a later 他 never stands for; not where 我
    only hears ("我听见他说"). One the lead names as spoken to ("闰土又对我说：") answers
    the next bare quotation, and the two take turns. A group speaks as a group."""
    article = ingest_text(
        "“信是早收到了。”闰土说。\n\n闰土又对我说：\n\n“现在太冷，你夏天到我们这里来。”\n\n"
        "“管贼么？”\n\n“不是。走路的人口渴了摘一个瓜吃。”\n\n"
        "“那有这事……我……”我惶恐着，站起来说。\n\n"
        "我这时很兴奋，但不知道怎么说才好，只是说：\n\n“阿！闰土哥，——你来了？……”\n\n"
        "他站住了，分明的叫道：\n\n“老爷！……”\n\n"
        "所有喝酒的人便都看着他笑，有的叫道，“你又来了！”\n\n我听见他说：“好。”\n"
    )
    said = [(t.speaker, t.speaker_kind) for t in article.turns if "“" in t.text]
    person, narrator, group = SpeakerKind.PERSON, SpeakerKind.NARRATOR, SpeakerKind.GROUP
    assert said == [
        ("闰土", person), ("闰土", person), ("我", narrator), ("闰土", person),
        ("我", narrator), ("我", narrator), ("闰土", person), ("所有喝酒的人", group),
        (None, person),
    ]  # fmt: skip
    # The kind is kept in the article file, and only where it is not a person.
    data = article_to_dict(article)
    assert {t.get("speaker_kind") for t in data["turns"]} == {None, "narrator", "group"}
    assert article_from_dict(json.loads(json.dumps(data))).turns == article.turns
    # 郁达夫《春风沉醉的晚上》: what 我 sees in a clause before the verb's is the narrator's
    # own; a verb's clause that has 我 as its object is someone else's.
    spring = ingest_text(
        "我看了她那殷勤待我的样子，心里倒不好意思起来，所以就对她说：\n\n"
        "“我们本来住在一处，何必这样的客气。”\n\n"
        "我抬起头来一看，车头上站著的那肥胖的机器手，伏出了半身，怒目的大声骂我说：\n\n"
        "“猪头三！侬艾睛勿散咯！”\n\n"
        "我看见一个老人从巷子里走出来，笑着说：\n\n“年轻人，这么晚才回来？”\n"
    )
    assert [t.speaker for t in spring.turns if "“" in t.text] == ["我", None, None]


def test_one_called_or_spoken_to_answers_the_next_bare_quotation(
    ingest_text: Callable[[str], Article],
) -> None:
    """鲁迅《药》: a quotation that calls someone by a familiar name ("『老栓，你…』") is
    answered by them. 鲁迅《故乡》: in a story told as 我, one who says 你 in a scene the
    narration gave the narrator and them alone is answered by the narrator, and the two
    take turns; 《祝福》: not where someone else just came in ("卫老婆子又来了")."""
    yao = ingest_text(
        "店裏坐着許多人，老栓也忙了，提着大銅壺。\n\n"
        "『老栓，你有些不舒服麽？——你生病麽？』一個花白鬍子的人說。\n\n『沒有。』\n"
    )
    assert [t.speaker for t in yao.turns][-2:] == ["花白鬍子的人", "老栓"]
    guxiang = ingest_text(
        "第二日清早晨我到了我家的门口了。我到了自家的房外，我的母亲早已迎着出来了。\n\n"
        "我的母亲很高兴，教我坐下，歇息，喝茶，且不谈搬家的事。\n\n"
        "但我们终于谈到搬家的事。我说外间的寓所已经租定了。母亲也说好。\n\n"
        "“你休息一两天，去拜望亲戚本家一回，我们便可以走了。”母亲说。\n\n“是的。”\n\n"
        "“还有闰土，他每到我家来时，总问起你，很想见你一回面。”\n"
    )
    said = [t.speaker for t in guxiang.turns if t.text.startswith("“")]
    assert said == ["母亲", "我", "母亲"]
    zhufu = ingest_text(
        "第二天我起得很迟，我出去看了几个本家和朋友；我又回到四叔的书房里，我很无聊。\n\n"
        "午饭之后，卫老婆子又来了。\n\n"
        "“你是什么意思？亏你还会再来见我们。”四婶洗着碗，一见面就愤愤的说。\n\n"
        "“阿呀阿呀，我真上当。”\n"
    )
    assert [t.speaker for t in zhufu.turns if t.text.startswith("“")] == ["四婶", None]


def test_a_story_person_named_with_kinship_speaks_before_she_is_quoted_by_name(
    ingest_text: Callable[[str], Article],
) -> None:
    """鲁迅《祝福》: 祥林嫂, a name no tagger knows, opens clause after clause, so she is a
    person from the start and "她先这样问" is hers; her words broken off by a dash and
    going on after the narration ("“就是——”她走近两步，…说，“…”") are hers throughout."""
    article = ingest_text(
        "况且，一直到昨天遇见祥林嫂的事，也就使我不能安住。\n\n我就站住，豫备她来讨钱。\n\n"
        "“你回来了？”她先这样问。\n\n"
        "“就是——”她走近两步，放低了声音，极秘密似的切切的说，“一个人死了之后，究竟有没有魂灵的？”\n\n"
        "祥林嫂是鲁镇的人。祥林嫂竟肯依。祥林嫂看着我。\n"
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == ["祥林嫂", "祥林嫂", "祥林嫂"]


def test_news_names_its_speaker_after_a_title_and_an_organisation(
    ingest_text: Callable[[str], Article],
) -> None:
    """News writes an office, often a whole organisation, before the name, with the plain
    说 as much as with 表示; and 众/诸/几 open 众议院, 诸葛亮 and 几内亚 as well as the
    indefinite 众人, 诸位, 几个 (众人 speaks as a group, never as a person named 众).
    Sentences from Voice of America (US government works,
    public domain: "美议员:国会山批评中国人权的声音太少", 2011-05-11, and its report of
    24 July 2020 from Capitol Hill), the second with a lead of its own article's words."""
    article = ingest_text(
        "“中国把民主、共和两党团结起来了，”民主党联邦参议员卡丁(Sen. Ben Cardin, D-MD)说。\n\n"
        "国会众议院资深议员沃尔夫说：“做生意是第一。”\n\n"
        "众人笑道：“好。”\n"
    )
    said = [t.speaker for t in article.turns]
    assert said == ["卡丁", "沃尔夫", "众人"]
    assert article.turns[-1].speaker_kind is SpeakerKind.GROUP


def test_a_group_speaks_as_its_noun(ingest_text: Callable[[str], Article]) -> None:
    """Many people who speak as one ("旁人便又问道", "孩子们笑道") are a speaker labelled by
    the group noun, of the group kind; 他们 is the group that spoke last (鲁迅《孔乙己》),
    nobody where no group spoke before; "有人" is one unnamed person, no group."""
    article = ingest_text(
        "他们都说：“不好。”\n\n"
        "孔乙己喝过半碗酒，旁人便又问道，“孔乙己，你当真认识字么？”孔乙己看着问他的人。"
        "他们便接着说道，“你怎的连半个秀才也捞不到呢？”\n\n"
        "孩子们笑道：“来了！”\n\n有人笑道：“是谁？”\n"
    )
    said = [(t.speaker, t.speaker_kind) for t in article.turns if "“" in t.text]
    group = SpeakerKind.GROUP
    assert said == [
        (None, SpeakerKind.PERSON), ("旁人", group), ("旁人", group), ("孩子们", group),
        (None, SpeakerKind.PERSON),
    ]  # fmt: skip


@pytest.mark.parametrize(("name", "precision", "recall"), HELD_OUT)
def test_speakers_of_held_out_texts(
    name: str, precision: float, recall: float, tmp_settings: Settings, folder
) -> None:
    article = Ingestor(tmp_settings.corpus, folder).build(SPEAKER_TEXTS / name)
    p, r = attribution_scores(article, _expected(name))
    assert p >= precision and r >= recall, (name, round(p, 3), round(r, 3))


@pytest.mark.parametrize(("name", "precision", "recall"), NEW_SHAPES)
def test_speakers_of_classical_dialogue_and_drama(
    name: str, precision: float, recall: float, tmp_settings: Settings, folder
) -> None:
    article = Ingestor(tmp_settings.corpus, folder).build(SPEAKER_TEXTS / name)
    p, r = attribution_scores(article, _expected(name))
    assert p >= precision and r >= recall, (name, round(p, 3), round(r, 3))


@pytest.mark.parametrize("name", ["lunyu_zizhang.md", "lunyu_xianjin.md"])
def test_a_one_character_alias_is_not_the_start_of_a_longer_name(
    name: str, tmp_settings: Settings, folder
) -> None:
    """A team that aliases 子 to 孔子 gets the Master for "子曰", never for 子夏, 子张, 曾子."""
    speakers = {**tmp_settings.corpus.speakers, "孔子": ("子", "夫子")}
    corpus = dataclasses.replace(tmp_settings.corpus, speakers=speakers)
    article = Ingestor(corpus, folder).build(SPEAKER_TEXTS / name)
    p, r = attribution_scores(article, _expected(name))
    floor = dict((n, (pr, rc)) for n, pr, rc in NEW_SHAPES)[name]
    assert p >= floor[0] and r >= floor[1], (name, round(p, 3), round(r, 3))


def test_fiction_epithets_ranks_and_subjects(ingest_text: Callable[[str], Article]) -> None:
    """An epithet the text writes after a name is that person ("镇元大仙" … "大仙道"); a
    name given in passing ("道号镇元子") is a name; a rank after a name is not part of it
    ("吴谦大校表示"); someone unnamed in a clause a name opens does not hide the name
    ("宝玉见众人都笑了，也笑道"); a lead with no subject goes on from the sentence
    before ("行者闻言，满心欢喜。急起身道")."""
    article = ingest_text(
        "观里有一尊仙，道号镇元子。当日镇元大仙得了简帖。镇元子吩咐二童道：“你两个在家仔细。”"
        "大仙道：“我去也。”\n"
        "宝玉道：“好。”宝玉道：“去罢。”宝玉见众人都笑了，也笑道：“你们笑什么？”"
        "忽听有人笑道：“笑你呢。”\n"
        "行者道：“师父。”八戒道：“哥。”行者道：“好。”八戒道：“走。”\n"
        "行者闻言，满心欢喜。急起身道：“我去也。”\n"
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == [
        "镇元子", "镇元子", "宝玉", "宝玉", "宝玉", None, "行者", "八戒", "行者", "八戒", "行者"
    ]  # fmt: skip
    news = ingest_text("国防部新闻发言人吴谦大校表示，中方坚决反对任何形式的挑衅。\n")
    assert [t.speaker for t in news.turns] == ["吴谦"]


def test_drama_cues_and_stage_directions(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "（夫人云）你知罪么？（正旦跪科）（正旦云）我不知罪。\n"
        "（夫人打科，云）这小贱人！\n（白敏中向旦云）小姐，望你遮着俺咱。\n"
        "（正旦唱）莫慌。\n（指自科唱）我当。\n"
    )
    said = [(t.speaker, t.text) for t in article.turns if t.text.strip()]
    assert said == [
        ("夫人", "你知罪么？"),
        (None, "（正旦跪科）"),
        ("正旦", "我不知罪。"),
        ("夫人", "这小贱人！"),
        ("白敏中", "小姐，望你遮着俺咱。"),
        ("正旦", "莫慌。"),
        ("正旦", "我当。"),
    ]


def test_a_role_type_plays_the_person_the_script_names(
    ingest_text: Callable[[str], Article],
) -> None:
    """ "（正末扮张生…上，云）": 正末's lines are 张生's until another "扮" recasts the role."""
    article = ingest_text(
        "（外扮老夫人引红娘上，云）老身姓郑。（红娘云）夫人，小姐来了。\n"
        "（正末扮张生骑马引仆上，云）小生姓张。（正末唱）游艺中原。\n"
        "（外云）这是何人？（下）\n（正末改扮法本上，云）老僧法本。（正末唱）我去也。\n"
    )
    said = [(t.speaker, t.text) for t in article.turns]
    assert said == [
        ("老夫人", "老身姓郑。"),
        ("红娘", "夫人，小姐来了。"),
        ("张生", "小生姓张。"),
        ("张生", "游艺中原。"),
        ("老夫人", "这是何人？"),
        (None, "（下）"),
        ("法本", "老僧法本。"),
        ("法本", "我去也。"),
    ]


def test_an_aside_in_parentheses_is_no_drama_cue(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text("唐鳳：我們會公開。（笑）\n記者：好。（大家說好）\n唐鳳：謝謝。\n")
    assert {t.speaker for t in article.turns if t.speaker} == {"唐鳳", "記者"}


def test_classical_disciples_are_not_the_master(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "孔子对曰：“有颜回者好学。”\n"
        "子曰：“学而时习之。”\n"
        "子贡问：“师与商也孰贤？”子曰：“师也过，商也不及。”曰：“然则师愈与？”子曰：“过犹不及。”\n"
        "子夏曰：“博学而笃志。”\n"
        "颜渊死，子哭之恸，从者曰：“子恸矣！”曰：“有恸乎？”\n"
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == ["孔子", "孔子", "子贡", "孔子", "子贡", "孔子", "子夏", "从者", "孔子"]
    # An asker the tagger does not read as a name ("季路问"), and a state before a
    # two-character surname ("卫公孙朝问于子贡曰": 公孙朝 asks, 子贡 is asked).
    more = ingest_text(
        "孔子对曰：“有颜回者好学。”\n"
        "季路问事鬼神，子曰：“未能事人，焉能事鬼？”曰：“敢问死。”曰：“未知生，焉知死？”\n"
        "卫公孙朝问于子贡曰：“仲尼焉学？”\n"
    )
    assert [t.speaker for t in more.turns if "“" in t.text] == [
        "孔子", "孔子", "季路", "孔子", "公孙朝"
    ]  # fmt: skip


@pytest.mark.parametrize(("name", "precision", "recall"), TARGETS)
def test_speakers_of_third_party_texts(
    name: str, precision: float, recall: float, tmp_settings: Settings, folder
) -> None:
    article = Ingestor(tmp_settings.corpus, folder).build(SPEAKER_TEXTS / name)
    p, r = attribution_scores(article, _expected(name))
    assert len(_expected(name)) >= 30
    assert (p, r) >= (precision, 0.0) and r >= recall, (name, round(p, 3), round(r, 3))


@pytest.fixture
def ingest_text(tmp_settings: Settings, folder, tmp_path: Path) -> Callable[[str], Article]:
    """Builds an article from a text of our own, with no per-text configuration."""

    def build(text: str) -> Article:
        src = tmp_path / "t.txt"
        src.write_text(text, encoding="utf-8")
        return Ingestor(tmp_settings.corpus, folder).build(src)

    return build


def test_a_legend_line_defines_the_labels(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "問：記者 黎：黎照昌\n問：你怎樣看今年的經濟？\n黎：我覺得會慢慢好轉。\n問：為甚麼？\n"
        "黎：因為出口回升了。\n",
    )
    said = [(t.speaker, t.role, t.how) for t in article.turns if t.speaker]
    assert (
        said
        == [
            ("記者", Role.INTERVIEWER, How.QA),
            ("黎照昌", Role.INTERVIEWEE, How.LEGEND),
        ]
        * 2
    )
    assert article.turns[0].text == "問：記者 黎：黎照昌" and article.turns[0].speaker is None


def test_the_first_question_and_answer_name_their_sides(
    ingest_text: Callable[[str], Article],
) -> None:
    """ "金哲问：" and "林慕莲答：" say who the bare "问：" and "答：" after them are; a
    question's second paragraph is still the question where answers have a label, and
    a quoted phrase on its own line before the next label is a heading."""
    article = ingest_text(
        "金哲问：你的名字是从哪里来的？\n林慕莲答：是家人给我取的。\n"
        "问：这种改变是从什么时候开始的？\n或者，我可以这样来问：它在加速吗？\n"
        "答：实际上，它在加速。\n我认为原因很多。\n“稳步地重新塑造全球媒体格局”\n"
        "问：这是不是过于悲观了？\n答：这不是悲观的问题。\n"
    )
    said = [(t.speaker, t.role, t.text[:6]) for t in article.turns]
    assert said == [
        ("金哲", Role.INTERVIEWER, "你的名字是从"),
        ("林慕莲", Role.INTERVIEWEE, "是家人给我取"),
        ("金哲", Role.INTERVIEWER, "这种改变是从"),
        ("金哲", Role.INTERVIEWER, "或者，我可以"),
        ("林慕莲", Role.INTERVIEWEE, "实际上，它在"),
        ("林慕莲", Role.INTERVIEWEE, "我认为原因很"),
        (None, Role.NARRATION, "“稳步地重新"),
        ("金哲", Role.INTERVIEWER, "这是不是过于"),
        ("林慕莲", Role.INTERVIEWEE, "这不是悲观的"),
    ]
    # A role word names the side too; a name before a quotation is prose, as in fiction.
    press = ingest_text("记者问：今年怎样？\n答：会好转。\n问：为什么？\n答：出口回升了。\n")
    assert [t.speaker for t in press.turns] == ["记者", "Interviewee", "记者", "Interviewee"]
    novel = ingest_text("宝玉问：“你去哪里？”黛玉答：“回家去。”\n宝玉问：“几时回来？”\n")
    assert [t.speaker for t in novel.turns] == ["宝玉", "黛玉", "宝玉"]


def test_a_label_used_once_is_a_speaker_on_evidence(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "主持人：創新是甚麼？\n朱廣平：自主創新不等於全是自己創新。\n",
    )
    assert [(t.speaker, t.text) for t in article.turns] == [
        ("主持人", "創新是甚麼？"),
        ("朱廣平", "自主創新不等於全是自己創新。"),
    ]
    assert any("朱廣平" in w and "used once" in w for w in article.warnings)


def test_labels_that_end_in_a_speech_verb_are_prose_not_speakers(
    ingest_text: Callable[[str], Article],
) -> None:
    article = ingest_text(
        "宋江道：“兄弟，你且坐。”\n看官听说：这宋江原是郓城县押司。\n",
    )
    speakers = {t.speaker for t in article.turns}
    assert "宋江道" not in speakers and "看官听说" not in speakers and "看官" not in speakers
    assert article.turns[0].speaker == "宋江" and article.turns[0].role is Role.QUOTED


def test_english_briefing_labels(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "MS. JEAN-PIERRE:  Go ahead, April.\n\nQ    What is the update?\n\n"
        "It has been a week.\n\nMR. KIRBY:  We are watching it.\n\nQ    Thank you.\n",
    )
    said = [(t.speaker, t.role) for t in article.turns]
    # "Q" put to named speakers is a reporter from the floor; whoever is named answers.
    assert said == [
        ("Ms. Jean-Pierre", Role.INTERVIEWEE),
        ("Reporter", Role.INTERVIEWER),
        ("Reporter", Role.INTERVIEWER),  # a question's second paragraph
        ("Mr. Kirby", Role.INTERVIEWEE),
        ("Reporter", Role.INTERVIEWER),
    ]
    assert article.interviewee.value == "Mr. Kirby"  # not a name the text mentions


def test_the_records_labels_end_on_a_full_stop(ingest_text: Callable[[str], Article]) -> None:
    """The Federal Reserve's FOMC conference call of 9 January 1991 (a US government
    record, public domain): "MR. BOEHNE. Dave, …" is a label, its words wrapped below it;
    before, no turn of the record had a speaker."""
    article = ingest_text(
        "CHAIRMAN GREENSPAN. Any questions for David?\n"
        "MR. BOEHNE. Dave, Ed Boehne here. What's happening to the\n"
        "cash component?\n"
        "MR. LINDSEY. Do you mean currency?\n"
        "MR. BOEHNE. Currency, yes.\n"
        "MR. LINDSEY. We are projecting a considerable pickup for\n"
        "January--on the order of a 13-3/4 percent rate of growth--based on a\n"
        "strong performance early in the month.\n"
    )
    said = [(t.speaker, t.text[:12]) for t in article.turns if t.how is How.LABEL]
    assert said == [
        ("Chairman Greenspan", "Any question"),
        ("Mr. Boehne", "Dave, Ed Boe"),
        ("Mr. Lindsey", "Do you mean "),
        ("Mr. Boehne", "Currency, ye"),
        ("Mr. Lindsey", "We are proje"),
    ]
    # Any title a label in capitals opens on, in the record's shape too (one list).
    hearing = ingest_text(
        "SENATOR WARREN. Thank you, Mr. Chairman.\nSECRETARY YELLEN. Thank you, Senator.\n"
    )
    assert [t.speaker for t in hearing.turns] == ["Senator Warren", "Secretary Yellen"]


def test_a_description_is_the_one_the_other_speaker_calls(tmp_settings: Settings, folder) -> None:
    """Jekyll and Hyde, "The Last Night": "said the lawyer" is Utterson. The lawyer
    calls Poole by name ("“Amen, Poole,” said the lawyer", "“Poole,” replied the
    lawyer"), and Poole, named where he speaks, calls Mr. Utterson: the lawyer is the
    one Poole talks to. A description nothing ties to a name stays no one's."""
    story = SPEAKER_TEXTS / "jekyll_hyde_last_night.txt"
    turns = Ingestor(tmp_settings.corpus, folder).build(story).turns

    def said(opening: str) -> str:
        return next(t.speaker or "" for t in turns if t.text.startswith(opening))

    assert said("“Amen, Poole,”").endswith("Utterson")
    assert said("“Foul play!”").endswith("Utterson")
    assert said("“I thought it looked") == ""  # "the servant": Poole, by nothing it says


@pytest.mark.parametrize(
    "text",
    [
        # a bystander who calls Poole too: which of the two is Utterson is not shown
        "“Come in, Poole,” said the lawyer. “Thank you, Mr. Utterson,” said Poole. “Sit"
        " down, Poole,” said the maid. “Yes, Poole,” said the maid. “Well, Poole,” said"
        " the lawyer. “I know,” said Mr. Utterson.",
        # "the other" is whoever is not the one just named
        "“Hello, Jim,” said the other. “Hi, Huck,” said Jim. “Look, Jim,” said the other."
        " “Quick, Huck,” said Jim. “Yes,” said Huck.",
        # Mr. Bennet is no Mrs. Bennet, who calls Jane
        "“Good day, Mr. Bennet,” said the visitor. “Good day,” said Mr. Bennet. “My dear"
        " Mr. Bennet,” said the visitor. “Yes, Jane,” said Mrs. Bennet. “Yes,” said Jane.",
    ],
)
def test_a_description_is_named_only_where_the_text_shows_who(text: str) -> None:
    from bot.ingest.speakers.fiction_en import Says, described_names, named_after

    assert described_names(text) == {}
    # The description is the whole of it: "the old man" and "the old woman" are two.
    assert named_after(" said the old man, and") == ("the old man", Says.DESCRIBED)
    assert named_after(" said the lawyer peevishly") == ("the lawyer", Says.DESCRIBED)


def test_no_pronoun_stands_for_the_one_the_words_call(
    ingest_text: Callable[[str], Article],
) -> None:
    """Stevenson, Jekyll and Hyde: "“Do you know, Poole,” he said" is not Poole's, though
    Poole spoke last; and "Presently Tom seized…" (Twain, Tom Sawyer) is Tom, no person
    named "Presently Tom"."""
    jekyll = (SPEAKER_TEXTS / "jekyll_hyde_last_night.txt").read_text("utf-8").split("\n")
    article = ingest_text("\n".join(jekyll[227:237]) + "\n")
    said = {t.text[:18]: t.speaker for t in article.turns}
    assert said["“There is an axe i"] == "Poole"
    asked = next(t for t in article.turns if "“Do you know, Poole,”" in t.text)
    assert asked.speaker != "Poole"
    tom = (SPEAKER_TEXTS / "tom_sawyer_09.txt").read_text("utf-8")
    speakers = {t.speaker for t in ingest_text(tom).turns}
    assert "Tom" in speakers and not any(s and s.startswith("Presently") for s in speakers)


def test_english_prose_attribution(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "The talks ended on Friday. “We will not stop,” said Jane Doe. Doe said that the "
        "talks went well. “It is a start,” she said. A lot of work remains.\n",
    )
    said = [(t.speaker, t.role, t.text) for t in article.turns]
    assert said == [
        (None, Role.NARRATION, "The talks ended on Friday."),
        ("Jane Doe", Role.QUOTED, "“We will not stop,” said Jane Doe."),
        ("Jane Doe", Role.REPORTED, "Doe said that the talks went well."),
        ("Jane Doe", Role.QUOTED, "“It is a start,” she said."),
        (None, Role.NARRATION, "A lot of work remains."),
    ]


def test_english_office_before_a_name_is_not_the_name(
    ingest_text: Callable[[str], Article],
) -> None:
    """An office written before the name, with no article, in a sentence that leads
    into a quotation: the speaker is the name, whatever window of capitalised words the
    subject is read from."""
    article = ingest_text(
        "At the marae, New Zealand Prime Minister Jane Doe said “This will be a day to "
        "remember.” Doe also said the holiday would start next year.\n",
    )
    assert {t.speaker for t in article.turns if t.speaker} == {"Jane Doe"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Kirby met J. K. Rowling. Llama 3.1 is out.",
            ["Mr. Kirby met J. K. Rowling.", "Llama 3.1 is out."],
        ),
        (
            "He lives in the U.S. now. It costs $3.5 billion.",
            ["He lives in the U.S. now.", "It costs $3.5 billion."],
        ),
        ("他说：“我们走吧。”然后离开了。", ["他说：“我们走吧。”然后离开了。"]),
        ("第一句．第二句。", ["第一句．", "第二句。"]),
        ("e.g. this one. Next", ["e.g. this one.", "Next"]),
        (
            "The Rev. Jesse Jackson spoke. Then Sen. Warren left.",
            ["The Rev. Jesse Jackson spoke.", "Then Sen. Warren left."],
        ),
        ("at NASA Ames. “‘Digital’ refers to it.”", ["at NASA Ames.", "“‘Digital’ refers to it.”"]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    from bot.ingest.sentences import split_sentences

    assert split_sentences(text) == expected


def test_news_titles_listed_and_a_speech_made_before_the_verb(
    ingest_text: Callable[[str], Article],
) -> None:
    """A list of titles before the name ("中共中央总书记、国家主席习近平指出"); a clause
    that makes a speech, then the verb alone ("…在…会议上发表讲话，强调“…”", "要求“…”"):
    the name is the speaker; where, when and to whom are not."""
    article = ingest_text(
        "中共中央总书记、国家主席习近平指出，要加快构建中国话语。\n"
        "5月31日，国务院总理李强在中央政治局会议上发表讲话，强调“要稳住经济。”\n"
        "6月1日，国家主席习近平在中共中央政治局会议上发表讲话，要求“要加强宣传阐释。”\n"
        "张三、李四表示，要加快。\n"
    )
    said = [(t.speaker, t.role) for t in article.turns]
    assert said == [
        ("习近平", Role.REPORTED),
        ("李强", Role.QUOTED),
        ("习近平", Role.QUOTED),
        ("张三", Role.REPORTED),
    ]


def test_a_pronoun_is_never_inside_another_word(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "钟南山在通报会上表示，疫情可防可控。其他专家说，仍需观察。\n",
    )
    said = [(t.speaker, t.role) for t in article.turns if t.speaker]
    assert said == [("钟南山", Role.REPORTED)]


def test_front_matter_supplies_metadata_and_leaves_the_text(
    tmp_settings: Settings, folder, tmp_path: Path
) -> None:
    article = Ingestor(tmp_settings.corpus, folder).build(
        SPEAKER_TEXTS / "wh_briefing_2023-07-26.md"
    )
    assert article.title.source == "front matter"
    assert article.title.value.startswith("Press Briefing by Press Secretary Karine Jean-Pierre")
    assert (article.published.value, article.published.source) == ("2023-07-26", "front matter")
    assert article.source_url.value.startswith("https://bidenwhitehouse.archives.gov/")
    assert not any("source_url" in t.text or "tags:" in t.text for t in article.turns)
    toml = tmp_path / "toml.md"
    toml.write_text(
        '+++\ntitle = "季度報告"\ndate = 2024-05-01\nauthor = "王小明"\n'
        'last_updated = "2024-06-01"\n+++\n\n今年3月，收入增長。\n',
        encoding="utf-8",
    )
    other = Ingestor(tmp_settings.corpus, folder).build(toml)
    assert (other.title.value, other.published.value, other.author.value) == (
        "季度報告",
        "2024-05-01",
        "王小明",
    )
    assert [e.date for e in other.events] == ["2024-03"]  # last_updated is not an event


def test_an_ebook_wrapper_supplies_title_and_author_and_leaves_the_book(
    tmp_settings: Settings, folder, tmp_path: Path
) -> None:
    """A Project Gutenberg ebook as downloaded: its facts and licence before "*** START
    OF …" and after "*** END OF …" are no passages, its release date no event, and its
    "[Illustration: …]" marks, captions and credits are nobody's words."""
    chapter = (SPEAKER_TEXTS / "austen_pp_01.txt").read_text("utf-8")
    ebook = tmp_path / "pride.txt"
    ebook.write_text(
        "The Project Gutenberg eBook of Pride and Prejudice\n\n"
        "This eBook is for the use of anyone anywhere in the United States and\n"
        "most other parts of the world at no cost and with almost no restrictions\n"
        "whatsoever.\n\nTitle: Pride and Prejudice\n\nAuthor: Jane Austen\n\n"
        "Release date: June 1, 1998 [eBook #1342]\n\nLanguage: English\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***\n\n"
        + chapter
        + "\n*** END OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***\n\n"
        "Updated editions will replace the previous one—the old editions will\n"
        "be renamed.\n",
        encoding="utf-8",
    )
    article = Ingestor(tmp_settings.corpus, folder).build(ebook)
    assert (article.title.value, article.title.source) == ("Pride and Prejudice", "front matter")
    assert (article.author.value, article.author.source) == ("Jane Austen", "front matter")
    assert article.events == ()
    text = "\n".join(t.text for t in article.turns)
    for gone in ("Gutenberg", "Release date", "Illustration", "George Allen", "editions"):
        assert gone not in text
    assert text.startswith("It is a truth universally acknowledged")
    assert "George Allen" not in {t.speaker for t in article.turns}


def test_an_article_whose_raw_file_is_gone_is_removed(
    tmp_settings: Settings, folder, tmp_path: Path
) -> None:
    src = tmp_path / "raw"
    src.mkdir()
    (src / "a.txt").write_text("张三表示，今年很好。\n", encoding="utf-8")
    (src / "b.txt").write_text("李四表示，明年更好。\n", encoding="utf-8")
    out = tmp_settings.corpus.articles_dir
    out.mkdir(parents=True)
    # Not an article (copied in, damaged): no index could be built beside it, and
    # ingest again would never mend it. Moved aside, never deleted, and said so.
    (out / "keep.json").write_text("{}", encoding="utf-8")
    ingestor = Ingestor(dataclasses.replace(tmp_settings.corpus, raw_dir=src), folder)
    first = ingestor.run([src])
    assert (out / "keep.json.unreadable").read_text(encoding="utf-8") == "{}"
    [aside] = [r for r in first if r.error]
    assert "not an article (KeyError" in aside.render() and "moved aside" in aside.render()
    (src / "b.txt").unlink()
    reports = ingestor.run([src])
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json"]
    gone = [r for r in reports if r.removed]
    assert [(r.article_id, r.render()) for r in gone] == [
        ("b", "b: removed (its raw file b.txt is gone)")
    ]
    assert ingestor.run([src / "a.txt"]) and (out / "a.json").exists()  # a file: no sweep
    from bot.ingest.pipeline import summarise

    summary = summarise(reports, 1.0)
    assert "removed (raw file gone): b" in summary and "MB/s" in summary
    assert "speaker 张三: 1 turns (prose verb 1)" in summary
    # "今年" with no publication date has nothing to resolve against: counted and named.
    assert "dates not resolved (relative, nothing to resolve against): 1" in summary
    assert "dates not resolved a: '今年'" in summary


def test_only_the_raw_folder_prunes_and_never_to_nothing(
    tmp_settings: Settings, folder, tmp_path: Path
) -> None:
    """Ingesting another folder adds its documents and removes nothing; a raw folder
    with no source file at all (an unmounted disk) keeps every article and says so."""
    raw, extra = tmp_path / "raw", tmp_path / "new-docs"
    raw.mkdir()
    extra.mkdir()
    (raw / "a.txt").write_text("张三表示，今年很好。\n", encoding="utf-8")
    (extra / "c.txt").write_text("王五表示，后年最好。\n", encoding="utf-8")
    out = tmp_settings.corpus.articles_dir
    ingestor = Ingestor(dataclasses.replace(tmp_settings.corpus, raw_dir=raw), folder)
    ingestor.run([raw])
    reports = ingestor.run([extra])
    assert not any(r.removed for r in reports)
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "c.json"]
    (raw / "a.txt").unlink()
    reports = ingestor.run([raw])
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "c.json"]
    assert [r.render() for r in reports] == [
        f"ERROR {raw}: no .txt/.md files in it (an unmounted disk or a mistyped folder?): "
        "all 2 articles are kept. To empty the corpus, delete them from corpus.articles_dir."
    ]
    (raw / "b.txt").write_text("李四表示，明年更好。\n", encoding="utf-8")
    reports = ingestor.run([raw])  # a folder with files again: the sweep goes on
    assert sorted(r.article_id for r in reports if r.removed) == ["a", "c"]
    assert sorted(p.name for p in out.glob("*.json")) == ["b.json"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《2019年中國肺炎患者臨床特徵》指出", []),  # a title is not an event
        ("《求是》2020年第4期發表", []),  # nor an issue number
        ("上周5月16日，他說", ["2025-05-16"]),  # the week before publication
        ("上周12月30日", ["2024-12-30"]),  # …which may be last year
        ("The talks began on May 10th and ended June 5, 2023.", ["2025-05-10", "2023-06-05"]),
        ("You may 5 times ask.", []),
        ("on 10 May the vote", ["2025-05-10"]),
    ],
)
def test_find_dates_next_corpus(text: str, expected: list[str]) -> None:
    found = find_dates(text, anchor=None, published=Stamp(2025, 5, 20))
    assert [s.render() for _, s in found] == expected


def test_a_date_line_dates_the_items_below_it(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "疫情大事記\n2020年1月20日\n鍾南山在通報會上表示，存在人傳人。\n2020年1月23日\n"
        "武漢市宣布封城措施。\n《2019年中國肺炎患者臨床特徵》發表於《求是》2020年第4期。\n",
    )
    dated = [(e.date, e.text) for e in article.events]
    assert dated == [
        ("2020-01-20", "2020年1月20日"),
        ("2020-01-20", "鍾南山在通報會上表示，存在人傳人。"),
        ("2020-01-23", "2020年1月23日"),
        ("2020-01-23", "武漢市宣布封城措施。"),
        ("2020-01-23", "《2019年中國肺炎患者臨床特徵》發表於《求是》2020年第4期。"),
    ]
    assert article.published.value is None  # a chronicle's date lines date its sections


def test_the_one_date_line_under_a_title_is_the_publication_date(
    ingest_text: Callable[[str], Article],
) -> None:
    """A web copy's date under its title (tests/data/speakers/voa_*.md) dates the
    article and anchors its relative dates; it does not make every paragraph an event."""
    article = ingest_text(
        "# 美英欧加联手制裁中国新疆官员\n\n2021-03-23\n\n（路透社）\n\n"
        "星期一(3月22日)美国、欧盟、英国和加拿大宣布制裁。\n\n去年7月，他受到美国财政部的制裁。\n"
    )
    assert (article.published.value, article.published.source) == ("2021-03-23", Provenance.TEXT)
    dated = [(e.date, e.text) for e in article.events]
    assert dated == [
        ("2021-03-23", "美英欧加联手制裁中国新疆官员"),
        ("2021-03-22", "星期一(3月22日)美国、欧盟、英国和加拿大宣布制裁。"),
        ("2020-07", "去年7月，他受到美国财政部的制裁。"),
    ]


def test_a_section_question_between_turns_is_a_heading(built: dict[str, Article]) -> None:
    turns = built["001_08fe2d87d49a4968"].turns
    heading = next(t for t in turns if t.text == "為何而戰?誰將成為全球標準?")
    assert (heading.speaker, heading.kind) == (None, Kind.HEADING)
    assert not any(
        "為何而戰" in p.text and p.speaker for p in built["001_08fe2d87d49a4968"].passages
    )


def test_a_speakers_own_short_question_stays_theirs(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "张三：我们发布了产品。\n李四：用户有多少？\n张三：大约一百万。\n你相信吗？\n"
        "李四：增长很快。\n张三：是的。\n",
    )
    own = next(t for t in article.turns if t.text == "你相信吗？")
    assert (own.speaker, own.kind) == ("张三", Kind.TEXT)


def test_role_speakers_in_prose(ingest_text: Callable[[str], Article]) -> None:
    article = ingest_text(
        "外交部例行記者會\n外交部發言人表示，中方堅決反對。他說，這是內政。\n"
        "The spokesperson said that the talks would resume. “We are ready,” the "
        "spokesperson said.\n"
    )
    said = [(t.speaker, t.role) for t in article.turns if t.speaker]
    assert said == [
        ("外交部發言人", Role.REPORTED),
        ("外交部發言人", Role.REPORTED),
        ("spokesperson", Role.REPORTED),
        ("spokesperson", Role.QUOTED),
    ]


def test_a_line_of_speech_is_not_a_title(ingest_text: Callable[[str], Article]) -> None:
    """A title is short and is not a quotation or a sentence of speech; a one-line
    file is its own body."""
    one_line = ingest_text("今年3月，他说：“你好。”\n")
    assert one_line.title.source == "file" and one_line.turns[0].kind is Kind.TEXT
    speech = ingest_text("张三说：“我们明天再谈。”\n李四表示，好的。\n")
    assert speech.title.source == "file"
    headline = ingest_text("張三談明年的經濟\n張三表示，明年會更好。\n")
    assert (headline.title.value, headline.title.source) == ("張三談明年的經濟", "text")


def test_fiction_speakers_by_grammar(ingest_text: Callable[[str], Article]) -> None:
    """An indefinite speaker ("有人笑道") is nobody named, and not the last person named,
    unless the text then says who it was; a name after 向/问 is whom it was said to; a
    lead that goes on with no subject ("又向紫鹃道") is the last speaker's."""
    article = ingest_text(
        "宝玉方才吟罢，忽闻背后有人笑道：“你又发什么呆呢？”宝玉回头忙看是谁，原来是香菱。\n"
        "宝玉正要说话，忽听窗外有人笑道：“好热闹。”\n"
        "贾母流泪道：“我当有什么要紧大事。”又向紫鹃道：“你这孩子平白的哄他作什么？”\n",
    )
    said = [(t.text[:6], t.speaker) for t in article.turns if "“" in t.text]
    assert said == [
        ("宝玉方才吟罢", "香菱"),
        ("宝玉正要说话", None),
        ("贾母流泪道：", "贾母"),
        ("又向紫鹃道：", "贾母"),
    ]


def test_classical_one_character_names(ingest_text: Callable[[str], Article]) -> None:
    """ "操曰", "卓大怒曰": one character of a full name the text gives (曹操, 董卓)."""
    article = ingest_text(
        "次日，曹操佩着宝刀，来至相府。见董卓坐于床上。卓曰：“孟德来何迟？”操曰：“马羸行迟耳。”"
        "卓大怒曰：“我如此重用，反欲害我！”\n",
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == ["董卓", "曹操", "董卓"]


def test_news_names_after_a_title(ingest_text: Callable[[str], Article]) -> None:
    """News puts a title or an organisation before the name ("国务院总理李强指出");
    a surname and a given name are one name (赵立坚, not 赵立); fiction's 道/曰 lead
    from the name itself, so this reading is for news verbs only."""
    article = ingest_text(
        "国务院总理李强指出，要稳住经济大盘。\n赵立坚回应称，中方反对。\n"
        "衛福部長陳時中今天表示，疫情趨緩。\n",
    )
    said = [(t.speaker, t.role) for t in article.turns]
    assert said[:2] == [("李强", Role.REPORTED), ("赵立坚", Role.REPORTED)]
    assert said[2][0] != "衛福"  # an organisation is not a name


def test_fiction_names_the_text_introduces(ingest_text: Callable[[str], Article]) -> None:
    """ "姓吕，名伯奢" and "关羽，字云长" give one person two names: either speaks as
    that person; a known name that opens the clause is its subject, not one after it."""
    article = ingest_text(
        "此人姓吕，名伯奢，是吾父结义弟兄。关羽，字云长，河东解良人也。\n"
        "伯奢拜陈宫曰：“小侄若非使君，曹氏灭门矣。”云长曰：“事已至此。”\n",
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == ["吕伯奢", "关羽"]
    assert "云长" in article.speakers["关羽"]


def test_fiction_role_and_title_speakers(ingest_text: Callable[[str], Article]) -> None:
    """A noun for a person by role that opens the lead speaks under that role ("酒家道");
    a place and a title before a name: the name speaks ("长沙太守孙坚"), as after a rank
    ("温侯吕布"); a sign "says" nothing ("上面写道"); a group speaks as one ("丫鬟们")."""
    article = ingest_text(
        "店家叫道：“客官，快来吃酒。”酒家道：“只有熟牛肉。”\n"
        "长沙太守孙坚出曰：“坚愿为前部。”\n温侯吕布挺身出曰：“父亲勿虑。”\n"
        "孙坚也颇识几字，抬头看时，上面写道：“近因大虫伤人，请勿自误。”\n"
        "丫鬟们笑道：“来了。”\n",
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == ["店家", "酒家", "孙坚", "吕布", None, "丫鬟们"]


def test_a_subject_goes_on_across_a_semicolon(ingest_text: Callable[[str], Article]) -> None:
    """Classical prose runs one sentence on through "；": the lead's subject is where
    the sentence began; a one-character name already tied to a full one opens a clause."""
    article = ingest_text(
        "武松道：“好酒。”武松吃得口滑，只顾要吃；去身边取出些碎银子，叫道：“主人家！”\n"
        "曹操曰：“走。”操曰：“吾当急行。”插剑上马，自投东郡去了。操觉，不见陈宫，寻思：“此人弃我而去。”\n",
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == ["武松", "武松", "曹操", "曹操", "曹操"]


def test_names_that_are_also_words(ingest_text: Callable[[str], Article]) -> None:
    """三藏, 八戒, 行者 are dictionary words; a text that twice opens a sentence with one
    and goes straight into speech uses it as a name. "那" before a noun is no part of the
    speaker; whoever a clause brings in ("走出一个…妇人来") speaks, not someone before;
    a pronoun is the sentence's own subject first; a quotation still open at the end of
    a paragraph is a quotation."""
    article = ingest_text(
        "三藏道：“徒弟，天晚了。”行者道：“师父莫怕。”八戒道：“哥啊，我饿了。”\n"
        "三藏道：“且去借宿。”行者道：“好。”八戒道：“好。”\n"
        "行者正然偷看处，走出一个半老不老的妇人来，娇声问道：“是甚么人？”\n"
        "那妇人笑道：“长老请进。”那妇人道：“请坐。”\n"
        "行者闻言，急抬头而看，他却不敢泄漏天机，只道：“好！我们借宿去来。”\n"
        "三藏道：“女菩萨，你在家人享荣华，果然是好。\n",
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == [
        "三藏", "行者", "八戒", "三藏", "行者", "八戒", "妇人", "妇人", "妇人", "行者", "三藏"
    ]  # fmt: skip


def test_news_role_then_name(ingest_text: Callable[[str], Article]) -> None:
    """ "外交部发言人汪文斌在例行记者会上表示": the named person speaks, and is the one a
    later "发言人" means; where, when and to whom it was said ("在例行记者会上", "28日",
    "对记者") is not who said it; "有记者问" stays nobody's."""
    article = ingest_text(
        "外交部例行记者会\n外交部发言人汪文斌在例行记者会上表示，中方坚决反对。发言人还表示，"
        "这是内政。\n外交部發言人華春瑩28日表示，美方應停止干涉。\n"
        "卫健委新闻发言人米锋在发布会上介绍，疫情总体平稳。\n"
        "美国国务院发言人普莱斯对记者说：“我们不会改变立场。”\n有记者问：“何时结束？”\n"
        "State Department spokesperson Ned Price said the talks would resume. “We are "
        "ready,” the spokesperson said.\n",
    )
    said = [(t.speaker, t.role) for t in article.turns[1:]]
    assert said == [
        ("汪文斌", Role.REPORTED),
        ("汪文斌", Role.REPORTED),
        ("華春瑩", Role.REPORTED),
        ("米锋", Role.REPORTED),
        ("普莱斯", Role.QUOTED),
        (None, Role.NARRATION),
        ("Ned Price", Role.REPORTED),
        ("Ned Price", Role.QUOTED),
    ]
    assert "外交部发言人" in article.speakers["汪文斌"]


def test_a_pronoun_has_the_gender_the_text_gives(ingest_text: Callable[[str], Article]) -> None:
    """她/she is never a man the text shows to be one ("张伟先生", "Mr. Doe"), nor 他 a
    woman in a text that writes 她; older Chinese writes 他 for everyone."""
    article = ingest_text(
        "标题\n张伟和李娜出席了会议。李娜女士表示，会议很成功。张伟先生表示，同意。"
        "她说，明年再办。他说，好的。\n"
        "Mr. John Doe and Ms. Jane Roe met. Doe said that it went well. She said that "
        "the talks would go on.\n",
    )
    said = [t.speaker for t in article.turns if t.speaker]
    # (an honorific before a full name is no part of it: "Mr. John Doe" is John Doe)
    assert said == ["李娜", "张伟", "李娜", "张伟", "John Doe", "Jane Roe"]


def test_english_news_release_quotations(ingest_text: Callable[[str], Article]) -> None:
    """A long attribution after its quotation names its speaker first (", said Jane Doe,
    principal investigator at …"), and the quotation after it goes on in that voice; a
    paragraph that opens with the article "A" is no answer where nothing asks."""
    article = ingest_text(
        "Robots Build a Shelter\n"
        "“This is a pioneering campaign,” said Sabrina Savage, principal investigator at "
        "Marshall for Hi-C Flare. “Launching rockets has not been an option until now.”\n"
        "A robot carries a block during a demonstration at Ames Research Center.\n"
        "A second robot bolts it in place. NASA/Dominic Hart\n"
        "“It works,” said Savage.\n",
    )
    said = [(t.speaker, t.how) for t in article.turns if t.speaker]
    assert said == [
        ("Sabrina Savage", How.PROSE_VERB),
        ("Sabrina Savage", How.CONTINUATION),
        ("Sabrina Savage", How.PROSE_VERB),
    ]


def test_a_tagged_name_right_before_its_verb(ingest_text: Callable[[str], Article]) -> None:
    """ "云长曰" (云 is a verb too, but not before its subject), "凤姐便拉过刘姥姥，笑道":
    a name by the tagger right before the verb or an adverb of manner is the speaker."""
    article = ingest_text(
        "张飞曰：“当时若容我杀了此贼，免有今日之事。”云长曰：“事已至此，即当收拾前去。”\n"
        "一语未完，凤姐便拉过刘姥姥，笑道：“让我打扮你。”\n",
    )
    said = [t.speaker for t in article.turns if "“" in t.text]
    assert said == ["张飞", "云长", "凤姐"]


def test_news_titles_before_names_and_clauses_that_quote(
    ingest_text: Callable[[str], Article],
) -> None:
    """#11: a title before an English name is no part of it ("New Zealand Prime Minister
    Jacinda Ardern said"); a quotation comes through a participle ("with Minister Kelvin
    Davis explaining that", ", adding:") or "according to X,"; a long attribution after
    it names its speaker ("“…,” Foreign Minister Nanaia Mahuta said."), but a new
    sentence after a quotation that ends in a full stop is not its attribution."""
    article = ingest_text(
        "Border to reopen\n"
        "New Zealand Prime Minister Jacinda Ardern said the border would reopen. “We are "
        "ready,” Foreign Minister Nanaia Mahuta said. The plan was set out on Monday, with "
        'Minister Kelvin Davis explaining that "Maori communities will be protected." '
        'Ardern spoke later, adding: "This is a good day." According to Dr. Ashley '
        'Bloomfield, "the risk is low." U.S. Secretary of State Antony Blinken said that '
        "the talks went well. The World Health Organization said that cases fell.\n"
    )
    said = [t.speaker for t in article.turns[1:]]
    assert said == [
        "Jacinda Ardern",
        "Nanaia Mahuta",
        "Kelvin Davis",
        "Jacinda Ardern",
        "Ashley Bloomfield",  # the honorific is no part of a full name
        "Antony Blinken",
        None,
    ]


def test_chinese_news_title_and_time_clause_before_the_verb(
    ingest_text: Callable[[str], Article],
) -> None:
    """#11: "美国前驻华大使吉姆·里奇在接受采访的时候说" (ASCII colon and quotes, as web
    copies have): the dotted name before the verb, the title and the time clause peeled;
    a news verb with its own clause after a quotation reports something new."""
    article = ingest_text(
        "中美关系\n"
        '美国前驻华大使吉姆·里奇在接受采访的时候说:"中美关系很重要。"外交部发言人在例行记者会上'
        "表示,中方反对。\n"
    )
    said = [(t.speaker, t.role) for t in article.turns[1:]]
    assert said == [("吉姆·里奇", Role.QUOTED), ("外交部发言人", Role.REPORTED)]
    voa = ingest_text(
        "制裁\n英国外交大臣多米尼克·拉布(Dominic Raab)在其声明中说：“证据不容忽视。”\n"
        "“只要暴行继续，后果就会继续，” OFAC负责人安德里亚·加基(Andrea M. Gacki)在声明中说。\n"
        "美国经济学者克里斯·鲍尔丁认为，力度并不大。英国外长拉布今天在下议院说：“很明显。”\n"
        "法学教授古举伦（Julian Ku）认为，意义重大。"
        "“我相信这是欧盟的因素，” 古举伦说，“但这也是拜登团队的努力。”\n"
    )
    said = [t.speaker for t in voa.turns[1:] if t.speaker or "“" in t.text]
    assert said == [
        "Dominic Raab",
        "Andrea M. Gacki",
        "克里斯·鲍尔丁",
        "Dominic Raab",
        "Julian Ku",
        "Julian Ku",
        "Julian Ku",
    ]


def test_modern_fiction_role_nouns_and_leads_over_a_paragraph(
    ingest_text: Callable[[str], Article],
) -> None:
    """#11: a role noun with a speech verb speaks as that role ("掌柜说", "掌柜的说道",
    "酒客叫道"), as does a person described by "…的人"; a surname and a word of kinship
    are a name ("康大叔"); a lead that ends its paragraph on "：——" gives it the next
    quotation; 『…』 is a quotation mark; a group ("孩子们笑道") speaks as that group."""
    article = ingest_text(
        "掌柜说：“你又偷了书！”掌柜的说道：“好。”酒客叫道：“来一碗！”孩子们笑道：“好玩。”\n"
        "『老栓，你生病麽？』一個花白鬍子的人說。\n"
        "康大叔走上前，拍他肩膀說：——\n『包好！小栓——你不要這麽咳。』\n"
    )
    said = [t.speaker for t in article.turns if "“" in t.text or "『" in t.text]
    assert said == ["掌柜", "掌柜", "酒客", "孩子们", "花白鬍子的人", "康大叔"]


def test_a_name_the_story_repeats_as_a_subject_is_a_person(
    ingest_text: Callable[[str], Article],
) -> None:
    """鲁迅《故乡》: 闰土, a name no dictionary knows, written again and again as a clause's
    subject ("闰土也就到了", "闰土来了", "闰土在海边时"), is a person from the start, so the
    later "他说：" is his; and one bidden do something ("母亲叫闰土坐，他迟疑了一回，…
    说：") is the 他 that follows, not the one who bade."""
    article = ingest_text(
        "我的父亲允许了；我也很高兴，因为我早听到闰土这名字，而且知道他和我仿佛年纪，"
        "闰月生的，五行缺土，所以他的父亲叫他闰土。他是能装弶捉小鸟雀的。\n\n"
        "我于是日日盼望新年，新年到，闰土也就到了。有一日，母亲告诉我，闰土来了，我便"
        "飞跑的去看。\n\n"
        "我们那时候不知道谈些什么，只记得闰土很高兴。他们不知道一些事，闰土在海边时，"
        "他们都和我一样只看见院子里高墙上的四角的天空。\n\n"
        "第二日，我便要他捕鸟。他说：\n\n“这不能。须大雪下了才好。”\n\n"
        "“他就是水生？第五个？”母亲说。\n\n"
        "母亲叫闰土坐，他迟疑了一回，终于就了坐，递过纸包来，说：\n\n"
        "“冬天没有什么东西了。”\n"
    )
    said = [t.speaker for t in article.turns if t.text.startswith("“")]
    assert said == ["闰土", "母亲", "闰土"]
