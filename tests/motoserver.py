"""One moto server per test session, in SERVER mode on loopback (shared by tests/audits and
tests/drift): tests reach it through boto3 with endpoint_url, exactly as the commands do."""

from __future__ import annotations

import json
import logging
import os
import urllib.request

import boto3
from moto.server import ThreadedMotoServer

REGION = "eu-west-1"
_server: ThreadedMotoServer | None = None
_url: str | None = None


def url() -> str:
    global _server, _url
    if _url is None:
        # AWS-managed policies (AdministratorAccess...) exist in a real account; moto (in this
        # process: the server is a thread) loads them only when asked.
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        _server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        _server.start()
        host, port = _server.get_host_and_port()
        _url = f"http://{host}:{port}"
    return _url


def reset() -> None:
    """Forget every resource (moto's own reset API)."""
    req = urllib.request.Request(f"{url()}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(req, timeout=10).read()


def client(service: str, **creds):
    kw = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", **creds}
    return boto3.client(service, endpoint_url=url(), region_name=REGION, **kw)


def env(monkeypatch) -> str:
    """Point the standard AWS environment at the server (what a user would export)."""
    u = url()
    for k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", u)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    return u


def stop() -> None:
    global _server, _url
    if _server is not None:
        _server.stop()
    _server = _url = None


def doc(statements: list[dict]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})
