"""Spreadsheet import and export (Excel via openpyxl, CSV)."""
