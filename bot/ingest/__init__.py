"""Raw files -> normalised, attributed, dated articles (``python -m bot ingest``).

The stages, in the order ``pipeline.Ingestor.build`` runs them: ``decode`` (bytes ->
text), ``metadata`` (title, date, URL and their provenance), ``repairs`` (the named
normalisation steps, ``repairs.default_steps``), ``speakers`` and ``names`` (who can
speak), ``turns`` (the ordered speaker detectors), ``dates``, ``passages`` and ``store``.
"""
