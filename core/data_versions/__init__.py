"""When each app's published data last changed, kept up to date by every write, so that the
API's Last-Modified is one read of a row per app instead of MAX(updated_at) over every matching
row (docs/operations.md, "Scaling out").

A write to any model of an app in `DATA_VERSION_APPS` (save, delete, a many-to-many change:
admin, services, importers alike) moves that app's version to the time its transaction
commits, once per transaction (services.data_version_bump says why after the commit rather
than inside it). `QuerySet.update()` and `bulk_create` send no signal; code that writes only
that way calls `data_version_bump` itself.
"""
