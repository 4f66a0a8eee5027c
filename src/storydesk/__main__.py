"""``python -m storydesk``: the ``storydesk`` command, where its script is not on PATH."""

from storydesk.cli import main

main()
