"""The services the surfaces stand on: the one ingest path (``Ingestor``) and
``Desk`` (``storydesk.desk``), the API over both."""
