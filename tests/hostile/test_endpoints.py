"""Bad endpoints (issue 10, class "Endpoints"): exit 2 naming the option or variable, never a traceback."""

from __future__ import annotations

import pytest

from tests.cli import invoke

from .conftest import no_traceback

BAD = [
    ("http://", "no host name"),
    ("https://", "no host name"),
    ("http://127.0.0.1:99999", "Port out of range 0-65535"),
    ("http://127.0.0.1:0", "port 0 is not a port"),
    ("http://host:abc", "Port could not be cast to integer value as 'abc'"),
    ("http://[::1", "Invalid IPv6 URL"),
    ("http:// x", "no host name"),
    ("ftp://x", "not an http(s) URL"),
    ("localhost:5000", "not an http(s) URL"),
]


def message(name: str, url: str, problem: str) -> str:
    return f"error: {name}: {url!r} is not a usable endpoint ({problem}); e.g. http://127.0.0.1:5000"


@pytest.mark.parametrize("url, problem", BAD)
@pytest.mark.parametrize("option, cloud", [("--aws-endpoint-url", "aws"), ("--gcp-endpoint", "gcp")])
def test_drift_endpoint_options_are_checked(url, problem, option, cloud):
    r = invoke("drift", "--zone", "we1", "--cloud", cloud, option, url)
    no_traceback(r)
    assert (r.exit_code, r.stderr.strip()) == (2, message(option, url, problem))


@pytest.mark.parametrize("url, problem", BAD[:3])
@pytest.mark.parametrize("command", [["audit", "access", "--out", "never-written"], ["drift", "--cloud", "aws"]])
def test_the_aws_endpoint_variable_is_checked(monkeypatch, tmp_path, url, problem, command):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    r = invoke(*command)
    no_traceback(r)
    assert (r.exit_code, r.stderr.strip()) == (2, message("AWS_ENDPOINT_URL", url, problem))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("var", ["AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_STS"])
def test_service_endpoint_variables_are_checked_for_the_access_review(monkeypatch, tmp_path, var):
    monkeypatch.setenv(var, "http://")
    r = invoke("audit", "access", "--out", str(tmp_path / "o"))
    assert (r.exit_code, r.stderr.strip()) == (2, message(var, "http://", "no host name"))


def test_an_endpoint_from_the_aws_config_file_is_exit_2(monkeypatch, tmp_path):
    # botocore reads `endpoint_url` from the profile too, and refuses a bad one with a bare ValueError.
    config = tmp_path / "config"
    config.write_text("[default]\nendpoint_url = http://127.0.0.1:99999\nregion = eu-west-1\n")
    for k in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    r = invoke("audit", "access", "--out", str(tmp_path / "o"))
    no_traceback(r)
    assert (r.exit_code, r.stderr.strip()) == (
        2, "error: cannot read the account: bad endpoint URL: Port out of range 0-65535")
    r = invoke("drift", "--zone", "we1", "--cloud", "aws")
    assert (r.exit_code, r.stderr.strip()) == (2, "error: AWS: bad endpoint URL: Port out of range 0-65535")
