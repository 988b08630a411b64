"""Every string a chat user reads, in one place (English UI, Chinese corpus)."""

from __future__ import annotations

USAGE = (
    "Usage: `/quote <words>` finds passages, `/whosaid <phrase>` names the speaker, "
    "`/timeline <topic>` lists dated events. Mentions work too: `quote X`, `whosaid X`, "
    "`timeline X`, 引用 X, 谁说 X, 时间线 X, or just the words."
)
HELP = (
    "I search the team's corpus of articles and interviews.\n"
    "• `/quote <words>`: best matching passages, with speaker, article, date and link\n"
    "• `/whosaid <phrase>`: who said it, with the turn itself as proof\n"
    "• `/timeline <topic>`: dated events about a topic, oldest first\n"
    "In a thread, mention me: `@corpusbot whosaid 数据墙` (also 引用, 谁说/誰說, 时间线/時間線).\n"
    "Traditional in, Traditional out; Simplified in, Simplified out."
)
EMPTY_QUERY = "Please add some words to search for. " + USAGE
QUERY_TRUNCATED = "Your query was longer than {limit} characters; I searched its first {limit}."
NOTHING_SEARCHABLE = (
    "There is nothing I can search for in that (only punctuation, symbols or emoji). "
    "Try a word or a phrase."
)
UNKNOWN_COMMAND = "I don't know the command `{command}`. Did you mean `{nearest}`?\n" + HELP
NO_HITS = "Nothing in the corpus matches “{query}”. Try fewer or other words, a name, or {hint}."
NO_HITS_HINT_QUOTE = "`/timeline` with a topic"
NO_HITS_HINT_OTHER = "`/quote` with a key word"
NO_SPEAKER = (
    "I found no turn by a named speaker that says “{query}”. "
    "The closest passages are below; try `/quote` for narration."
)
WHOSAID_TIE = "Two speakers match about equally well: {names}. Both turns are shown."
# A narrator or a group in a tie: the story says which ("我 in 《故乡》").
VOICE_IN_ARTICLE = "{speaker} in 《{title}》"
TIMELINE_EMPTY = "I found no dated events about “{query}”. Try a person, a company or a product."
TIMELINE_NAME_ABSENT = (
    "I found no dated events about “{query}”: the corpus never names {names}. "
    "Try a person, a company or a product it does name."
)
# ---- timeline (#13) ----
TIMELINE_NONE_WITHIN = (
    "I found dated events about “{query}”, but none {dates}. "
    "Try other dates, or leave them out to see all."
)
TIMELINE_NONE_DATED = "No event in the corpus is dated {dates}."
FORECAST_MARK = "forecast or plan"
CONFLICTING_DATES = "sources disagree on the date: {dates}"
MORE_RESULTS = "More results: ask again with `more` or press More ({shown} of {total} shown)."
NO_MORE = "No more results for “{query}”."
# ---- query understanding and honest misses (bot/query, bot/core.py) ----
ONLY_COMMON_WORDS = (
    "That has only common words (的, 了, 是, the, of …), which every passage has. "
    "Add a word that says what you are looking for."
)
NO_SPEAKER_SAID = (
    "No speaker in the corpus said anything like “{query}”. "
    "Try `/quote` with a key word to find where it is discussed."
)
# A long query is echoed by its start only: a 500-character paste repeated in a
# "nothing matches" line buries the message and can push a reply past a platform limit.
ECHO_CHARS = 60


def echo(query: str) -> str:
    """The query as a message quotes it: one line, at most ECHO_CHARS characters."""
    line = " ".join(query.split())
    return line if len(line) <= ECHO_CHARS else line[: ECHO_CHARS - 1].rstrip() + "…"


CONVERTED = "Shown in {shown}; the source is {source}."


def converted_some(numbers: list[int], shown: str, source: str) -> str:
    """ "Result 2 is shown in Simplified; its source is Traditional." """
    if len(numbers) == 1:
        return f"Result {numbers[0]} is shown in {shown}; its source is {source}."
    listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
    return f"Results {listed} are shown in {shown}; their source is {source}."


INTERNAL_ERROR = "Sorry, something went wrong on my side. The operator has been told."
CONSOLE_BANNER = (
    "corpusbot console: {articles} articles, {passages} passages ({engine} engine).\n"
    "Type `/quote 数据墙`, `/whosaid 竞争就是做得更好`, `/timeline Scale AI`, `help`, or `quit`.\n"
    "To connect Slack set SLACK_BOT_TOKEN and SLACK_APP_TOKEN; for Discord set DISCORD_TOKEN; "
    "then run `{prog} run` (see README)."
)
DIGEST_HEADER = "Daily excerpt, {date}"
DIGEST_NO_TARGETS = (
    "no digest target is configured: add a [[digest.targets]] table to the settings file "
    "(config/corpusbot.toml has a commented example)"
)
DIGEST_NAME_ONE = "several digest targets are configured: name one ({targets})"
DIGEST_UNKNOWN_TARGET = "no digest target named {name!r} (configured: {targets})"
DIGEST_EMPTY_POOL = "Digest target {target}: no passage is eligible (check its topic)."
DIGEST_ALREADY = (
    "Already posted for {target} on {date} ({passage}) at {when}{message}; nothing to do."
)
SENT_WITH_BOT_TOKEN = "(Sent with the bot token: this answer's reply link was used up.)"
ONLY_ASKER = "Only the person who asked can use these buttons; ask with the command yourself."

# Slash command descriptions, and their translations by locale code (Discord shows them
# in the user's language; Slack takes the English ones from config/slack-manifest.yml).
COMMAND_DESCRIPTIONS = {
    "quote": (
        "Best matching passages, with speaker, article, date and link",
        "query",
        "Words to search for",
    ),
    "whosaid": (
        "Which speaker said it, with the turn as proof",
        "phrase",
        "The words someone said",
    ),
    "timeline": (
        "Dated events about a topic, in the order they happened",
        "topic",
        "A person, company or subject",
    ),
}
TRANSLATIONS = {
    "zh-CN": {
        "quote": "引用",
        "whosaid": "谁说",
        "timeline": "时间线",
        "query": "关键词",
        "phrase": "原话",
        "topic": "主题",
        "Best matching passages, with speaker, article, date and link": "最相关的段落，附说话人、文章、日期和链接",
        "Which speaker said it, with the turn as proof": "这句话是谁说的，附原话为证",
        "Dated events about a topic, in the order they happened": "某个主题的事件，按发生时间排列",
        "Words to search for": "要搜索的词",
        "The words someone said": "某人说过的话",
        "A person, company or subject": "人物、公司或话题",
    },
    "zh-TW": {
        "quote": "引用",
        "whosaid": "誰說",
        "timeline": "時間線",
        "query": "關鍵詞",
        "phrase": "原話",
        "topic": "主題",
        "Best matching passages, with speaker, article, date and link": "最相關的段落，附說話人、文章、日期和連結",
        "Which speaker said it, with the turn as proof": "這句話是誰說的，附原話為證",
        "Dated events about a topic, in the order they happened": "某個主題的事件，按發生時間排列",
        "Words to search for": "要搜尋的詞",
        "The words someone said": "某人說過的話",
        "A person, company or subject": "人物、公司或話題",
    },
}

# ---- the installed command: init, the demo, console paging (issue 15) -----------------
INIT_DONE = (
    "Created a corpusbot deployment in {dir}:\n"
    "  config/    corpusbot.toml (every path in it is relative to it), speakers.toml,\n"
    "             articles.toml, normalise.toml, slack-manifest.yml; all commented\n"
    "  corpus/    your raw files go here\n"
    "  articles/  the normalised articles that ingest writes; var/ the index and the ledger\n"
    "Next:\n"
    "  1. Copy your .txt or .md files (UTF-8, GB18030/GBK or Big5) into {dir}/corpus/\n"
    "  2. cd {dir} && {prog} ingest   (read the report; add what a text lacks to "
    "config/articles.toml)\n"
    "  3. {prog}   to chat in the terminal; for Slack or Discord set their tokens "
    "(see README) and run `{prog} run`"
)
DEMO_READ_ONLY = (
    "the packaged demo is read-only: `{prog} init DIR` makes a deployment of your own to "
    "ingest into, or pass --config FILE"
)
SESSION_HELP = (
    "Answers come a page at a time: `more` shows the next page of the last answer "
    "(in Slack and Discord, press More). `quit` or Ctrl-D leaves the console."
)
CORPUS_MISSING_HINT = "Put .txt or .md files into {raw} and run `{prog} ingest`."
MISSING_PACKAGE = (
    "the package {name!r} is not installed for {python}; install the project again "
    "(`pip install -e .` in its folder) to bring its dependencies up to date"
)
NOTHING_TO_PAGE = "Nothing to page yet: `more` shows the next page of the previous answer."

# ---- operations: the digest's states, start-up, hostile input (helper "ops") ----------
# `run` with no platform token, its console's input at an end (a service manager's).
CONSOLE_INPUT_ENDED = (
    "the console's input ended and no platform token is set (SLACK_BOT_TOKEN, "
    "SLACK_APP_TOKEN, DISCORD_TOKEN): stopping; as a service, the bot needs a platform"
)
DIGEST_IN_PROGRESS = (
    "Being posted for {target} on {date} by another process ({owner}); not sending it again."
)
# A post left `sent` by an earlier run and found in the channel; {before} says how that
# run left it (DIGEST_LEFT_BY).
DIGEST_FOUND_IN_CHANNEL = (
    "Already posted for {target} on {date}: {before}, and found in the channel."
)
DIGEST_LEFT_BY = {
    "crashed": "sent before a crash",
    "stopped": "sent before a clean stop",
    "gave up": "sent by an attempt that seemed to fail",
}
# `digest post` by hand: what it did.
DIGEST_POSTED = "Posted {target}'s excerpt for {date} to {platform} {channel}{message}."
BUTTON_NOT_OURS = "This button is not one I can serve any more. Please ask again with the command."
DIGEST_POOL = "pool of {target}: {size} passages, {left} not yet posted in round {round}"
INIT_FAILED = "cannot create a deployment in {dir}: {reason}; nothing was left behind"

# ---- what the chat renderers show around an answer (adapters/*) ----------------------
BUTTON_MORE = "More"
BUTTON_POST = "Post to channel"
SHARED_BY = "Shared by {who}"
SHARED_BY_ASKING = "Shared by {who}: {command}"
NARRATION = "narration"  # in place of a speaker's name
TIMELINE_TITLE = "Timeline"
TIMELINE_PICTURE_TITLE = "Timeline: {query}"
ASKED_FOOTER = "asked: "  # Discord: the question in full, under the last embed
SLACK_SECTION_CUT = "… (cut: Slack allows 3000 characters per section)"
SLACK_BLOCKS_CUT = "… more than fits in one Slack message; press More or narrow it"
DISCORD_CUT = "… (cut to fit Discord's limits)"
DISCORD_LEFT_OUT = (
    "… {count} more not shown: a Discord message holds at most 10 entries and 6000 "
    "characters. Narrower words show them."
)

# ---- speakers (#11) ----
# A whosaid answer whose turn is reported speech (no quotation marks in the source).
WHOSAID_REPORTED = (
    "According to 《{title}》, {speaker} said so: the article reports it in its own words, "
    "not as a direct quotation."
)
# A whosaid answer whose speaker is a group or a story's narrator, not one person.
WHOSAID_GROUP = "{speaker} (a group) said it in 《{title}》: many people speaking as one voice."
WHOSAID_NARRATOR = (
    "{speaker} (the narrator) said it in 《{title}》: the story's first-person narrator."
)

# ---- a live corpus: paging across a reload (#14) --------------------------------------
CORPUS_CHANGED = (
    "The corpus changed since this answer's first page (articles were added, changed or "
    "removed): this page comes from the current corpus, so a result may repeat or be missed."
)

# ---- whosaid: the words are there, the speaker is not (helper "timeline") -------------
WHOSAID_UNATTRIBUTED = (
    "I found the words “{query}” in the corpus, but not who said them: they are in "
    "narration or an unattributed line, and no speaker is named for them. "
    "The passage is below, with its article; it is not attributed to anyone."
)

# ---- ingest: a raw folder that holds nothing (an unmounted disk, a mistyped path) -----
NO_SOURCE_FILES = (
    "no .txt/.md files in it (an unmounted disk or a mistyped folder?): all {kept} "
    "articles are kept. To empty the corpus, delete them from corpus.articles_dir."
)
# A file of the articles folder that is no article (copied in, damaged).
UNREADABLE_ARTICLE = (
    "not an article ({reason}): moved aside to {moved}, so the index can be built; "
    "delete it, or put its source back into the raw folder and ingest again"
)
# A file whose text is all title, headings, front matter or what the repairs drop (a
# Gutenberg licence alone, "[Illustration]"): written, it would be an article nobody can
# find, and it would replace a good earlier version of the same file.
NOTHING_TO_SEARCH = (
    "nothing to search: only a title, headings, front matter or boilerplate{dropped}; "
    "not written (any earlier article of this file is kept)"
)
OUTSIDE_RAW_DIR = (
    "these files are not in corpus.raw_dir ({raw_dir}): they are searchable now, but the "
    "next ingest of the raw folder removes their articles as gone. Copy them into it to keep them."
)
