"""``/api/pb/…``: cycles, ballot projects and results of the participatory budget."""

from ninja import Router

router = Router(tags=["participatory budget"])
