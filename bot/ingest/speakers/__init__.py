"""Who can speak in an article, and who did.

- ``table``: canonical names and their aliases (config, "中文名(English)" pairs);
- ``prose``: quotations and reported speech attributed by speech verbs, built on
  ``lexicon`` (the words, as data), ``clauses`` (utterance units and clauses),
  ``finder`` (who a clause names) and ``salience`` (pronouns).
"""

from bot.ingest.speakers.prose import attribute_prose
from bot.ingest.speakers.table import SpeakerTable, build_table

__all__ = ["SpeakerTable", "attribute_prose", "build_table"]
