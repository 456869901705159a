from django.db import migrations

# Raw visits are appended in time order, so on PostgreSQL a BRIN index on
# `time` finds a day's rows as well as a B-tree would at a fraction of the size
# (a few kilobytes instead of ~20 bytes per row). Other databases get a plain
# index. The index is created here rather than in Meta.indexes because Django
# cannot declare an index whose type depends on the database.


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX visits_visit_time_brin ON visits_visit "
            "USING brin (time) WITH (pages_per_range = 32)"
        )
    else:
        schema_editor.execute("CREATE INDEX visits_visit_time_idx ON visits_visit (time)")


def drop_index(apps, schema_editor):
    name = (
        "visits_visit_time_brin"
        if schema_editor.connection.vendor == "postgresql"
        else "visits_visit_time_idx"
    )
    schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
