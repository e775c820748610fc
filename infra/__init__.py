"""The Pulumi program: one zone stack built from the zone model (see infra/__main__.py)."""
