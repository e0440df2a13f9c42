"""Training and evaluation data (loading, validation, labels, templates) and news articles to predict on."""
