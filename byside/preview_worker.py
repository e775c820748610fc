"""One zone's offline preview in a fresh interpreter: `python -m byside.preview_worker <zone>`.

Prints the document on stdout; errors (one line, naming the cause) on stderr, exit 2.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    from .preview import dumps, run_in_this_process

    if len(argv) != 1:
        print("usage: python -m byside.preview_worker <zone>", file=sys.stderr)
        return 2
    try:
        doc = run_in_this_process(argv[0], os.environ.get("BYSIDE_ZONES_DIR") or None)
    except Exception as exc:  # noqa: BLE001 - reported as one line to the parent, exit 2
        import zones

        msg = str(exc) if isinstance(exc, (zones.ZoneDataError, KeyError, ValueError)) else f"{type(exc).__name__}: {exc}"
        print(msg.replace("\n", "; "), file=sys.stderr)
        return 2
    sys.stdout.write(dumps(doc))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
