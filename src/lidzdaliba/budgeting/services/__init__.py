"""Every write of the participatory budget, one module per stage.

Importing this package registers the notification kinds (ideas, review, receipts,
implementation) and the comment target (ideas).
"""

from . import ideas, implementation, review, voting  # noqa: F401
