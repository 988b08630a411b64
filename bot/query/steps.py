"""The default query steps for each command, built from the index's lexicon and names."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.models import Command
from bot.query import QueryStep
from bot.query.aliases import (
    AliasTable,
    make_alias_step,
    make_read_name_step,
    make_speaker_focus_step,
)
from bot.query.english import make_english_step
from bot.query.folds import make_fold_step
from bot.query.lexicon import Lexicon
from bot.query.pinyin import make_pinyin_step
from bot.query.questions import (
    make_function_word_step,
    make_light_word_step,
    make_question_step,
)
from bot.query.repair import make_homophone_step, make_repair_step, make_spelling_step
from bot.query.synonyms import make_synonym_step, make_wordnet_step
from bot.textfold import Folder

Steps = tuple[tuple[str, QueryStep], ...]


def default_steps(
    lexicon: Lexicon,
    aliases: AliasTable,
    folder: Folder,
    words_of: Callable[[str], list[str]],
    synonyms: Sequence[Sequence[str]] = (),
) -> dict[Command, Steps]:
    """whosaid takes the phrase as said: no question words softened, no synonyms
    (it asks who said *these* words)."""
    repair = ("repair", make_repair_step(corpus_word(lexicon, folder), folder.fold))
    spelling = ("spelling", make_spelling_step(lexicon))
    homophones = ("homophones", make_homophone_step(lexicon, folder, words_of))
    names = ("aliases", make_alias_step(aliases, folder))
    pinyin = ("pinyin", make_pinyin_step(lexicon))
    pinyin_as_said = ("pinyin", make_pinyin_step(lexicon, soften_questions=False))
    english = ("english", make_english_step(lexicon))
    read_names = ("read_names", make_read_name_step(aliases, folder))
    folds = ("folds", make_fold_step(lexicon, folder))
    questions = ("questions", make_question_step(folder, words_of, lexicon.is_word))
    function = ("function_words", make_function_word_step(folder))
    light = ("light_words", make_light_word_step(folder, words_of))
    related = ("synonyms", make_synonym_step(lexicon, synonyms, folder, words_of))
    wordnet = ("wordnet", make_wordnet_step(lexicon, folder))
    focus = ("speaker_focus", make_speaker_focus_step(aliases, folder))
    topic: Steps = (
        *(repair, spelling, homophones, names, pinyin, english, read_names, folds),
        *(questions, function, light, focus, related, wordnet),
    )
    return {
        Command.QUOTE: topic,
        Command.TIMELINE: topic,
        Command.WHOSAID: (
            *(repair, spelling, homophones, names, pinyin_as_said, english, read_names),
            folds,
        ),
    }


def corpus_word(lexicon: Lexicon, folder: Folder) -> Callable[[str], bool]:
    """Whether a string, in either script, is a corpus word or frequent substring (the
    set is made the first time it is asked: only a damaged query asks)."""
    return lambda text: folder.fold(text) in lexicon.corpus_strings
