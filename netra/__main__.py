"""``python -m netra``: the same as the ``netra`` command."""

from netra.cli import main

main()
