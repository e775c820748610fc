"""GCP side of a zone: one component per concern."""
