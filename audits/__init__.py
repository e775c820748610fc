"""Audit exports: the DC access review, the cloud access review and live drift.

Every report is data first (findings as plain dicts/dataclasses), rendered by the shared export
layer in :mod:`audits.export` (JSON, CSV, XLSX, HTML and a SHA-256 manifest, written atomically).
"""
