"""The offline preview: the Pulumi program (infra/) on Pulumi's own mock engine, no CLI, no cloud.

- `run`: the orchestration (a worker process per batch of zones) and the stack-export document;
- `worker`: the worker process (`python -m byside.preview.worker`), one forked runtime per zone;
- `mocks`: what the mock engine answers for invokes and new resources, from the zone model;
- `cache`: the documents kept in build/cache/preview/, keyed by a hash of their inputs.
"""

from .run import (PROJECT, REPO, PreviewError, dumps, preview_zones, run_in_this_process, run_preview,
                  run_previews, secret_envelope, summary)

__all__ = ["PROJECT", "REPO", "PreviewError", "dumps", "preview_zones", "run_in_this_process", "run_preview",
           "run_previews", "secret_envelope", "summary"]
