"""``python -m pbvote``: the same as the ``pbvote`` console script."""

from .cli import main

raise SystemExit(main())
