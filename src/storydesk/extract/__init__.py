"""Clean articles and describe them: text, title, date, outlet, language, author,
cited agencies and named entities."""
