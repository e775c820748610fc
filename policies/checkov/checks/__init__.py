"""Custom checkov checks (CKV_BYS_*), loaded by checkov with --external-checks-dir; checkov
only loads folders that have an __init__.py."""
