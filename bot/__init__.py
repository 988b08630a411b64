"""corpusbot: look things up in a corpus of articles and interview transcripts from chat."""
