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
TIMELINE_EMPTY = "I found no dated events about “{query}”. Try a person, a company or a product."
CONFLICTING_DATES = "sources disagree on the date: {dates}"
MORE_RESULTS = "More results: ask again with `more` or press More ({shown} of {total} shown)."
NO_MORE = "No more results for “{query}”."
INTERNAL_ERROR = "Sorry, something went wrong on my side. The operator has been told."
CORPUS_MISSING = (
    "The corpus has not been ingested yet. An operator should run `python -m bot ingest`."
)
CONSOLE_BANNER = (
    "corpusbot console: {articles} articles, {passages} passages ({engine} engine).\n"
    "Type `/quote 数据墙`, `/whosaid 竞争就是做得更好`, `/timeline Scale AI`, `help`, or `quit`.\n"
    "To connect Slack set SLACK_BOT_TOKEN and SLACK_APP_TOKEN; for Discord set DISCORD_TOKEN; "
    "then run `python -m bot run` (see README)."
)
DIGEST_HEADER = "Daily excerpt, {date}"
DIGEST_EMPTY_POOL = "Digest target {target}: no passage is eligible (check its topic)."
DIGEST_ALREADY = "Already posted for {target} on {date} ({passage}); nothing to do."
