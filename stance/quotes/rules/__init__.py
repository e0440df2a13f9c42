"""The rules of the extractor, one module per family: attribution after the quotation (``after``), before it
(``before``), reported clauses and where they end (``clauses``), cues elsewhere in the quotation's sentence
(``sentence``), inheritance from neighbouring quotations and earlier sentences (``inherit``), what is no quotation
(``filters``), reported speech without quotation marks (``indirect``), and the pieces of one attribution joined
into one record (``attributions``)."""
