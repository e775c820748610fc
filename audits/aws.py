"""What every AWS-reading audit shares: a fail-fast client config and one translation of
botocore's errors into a clear one-line message (exit 2 at the CLI)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


def fail_fast_config():
    """Few retries and short timeouts: an unreachable endpoint fails in seconds, not minutes."""
    from botocore.config import Config

    return Config(retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=5, read_timeout=30)


@contextmanager
def aws_errors(error: type[Exception], *, no_credentials: str, other_prefix: str) -> Iterator[None]:
    """Raise `error` with a readable message for whatever botocore raises inside the block."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

    try:
        yield
    except NoCredentialsError:
        raise error(no_credentials) from None
    except NoRegionError:
        raise error("no AWS region: set AWS_REGION") from None
    except ClientError as e:
        err = e.response.get("Error", {})
        raise error(f"AWS refused {e.operation_name}: {err.get('Code')}: {err.get('Message')}") from None
    except BotoCoreError as e:
        raise error(f"{other_prefix}{e}") from None
    except ValueError as e:
        # botocore refuses a malformed endpoint URL (a profile's `endpoint_url`, say) with a bare
        # ValueError: "Invalid endpoint: ...", "Port out of range 0-65535", "Invalid IPv6 URL".
        text = str(e)
        if any(w in text.lower() for w in ("endpoint", "port", "url")):
            raise error(f"{other_prefix}bad endpoint URL: {text}") from None
        raise
