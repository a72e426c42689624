"""Bulk import and export of the catalogue as .xlsx workbooks or .zip files of CSV sheets.

Public API: ``exporter.export_catalogue`` and ``importer.import_catalogue`` (with ``ImportReport`` and
``ImportFailed``; ``dry_run`` and ``progress`` for the import jobs of ``apps.catalogue.import_jobs``);
``template.template_workbook``; ``tables`` describes the workbook. The management commands
``import_catalogue`` and ``export_catalogue`` wrap them.
"""
