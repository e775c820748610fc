"""Readers of the Pulumi CLI's output formats, one module per family (state, preview digest,
engine events), and the combination of a preview fragment with the stack's state. Each returns
`Plan`s (byside/check/model.py), one per stack; byside/check/plans.py detects the format."""
