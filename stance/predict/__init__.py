"""Stance in new articles (``stance-predict``, ``stance-quotes``): pipeline, relevance prefilter, output files,
summaries and sharding."""
