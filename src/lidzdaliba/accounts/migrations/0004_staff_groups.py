"""Create the staff groups with their permissions (the same code as ``roles_ensure()``)."""

from django.db import migrations


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from lidzdaliba.accounts.services.roles import roles_ensure

    # Permissions are normally created after all migrations; create them now so the groups
    # can be given the ones that exist at this point.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_ensure(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def delete_groups(apps, schema_editor):
    from lidzdaliba.accounts import roles

    apps.get_model("auth", "Group").objects.filter(name__in=roles.STAFF_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_census_pending_file"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
