"""Every write of the participatory budget, one module per stage.

Importing this package registers the notification kinds and comment targets.
"""
