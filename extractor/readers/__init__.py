"""One reader per input format: pdf, text, markup (HTML and DOCX). ``ingest`` picks one by the bytes."""
