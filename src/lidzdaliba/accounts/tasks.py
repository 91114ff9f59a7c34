"""Background work of the accounts app (django-tasks)."""

from django_tasks import task


@task()
def census_import_task(census_import_id: int) -> None:
    """Run a census import that ``census_import_start`` accepted."""
    from lidzdaliba.accounts.services import census_import_run

    census_import_run(census_import_id=census_import_id)
