"""Every write of the participatory budget, one module per stage.

Importing this package registers the notification kinds and comment targets.
"""

from . import voting  # noqa: E402, F401  (registers the receipt notification kind)
from . import ideas, review  # noqa: E402, F401  (idea notification kinds, comment target)
from . import implementation  # noqa: E402, F401  (implementation notification kind)
