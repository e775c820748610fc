"""No secret in plain text anywhere; same inputs, same bytes."""

from __future__ import annotations

import subprocess
import sys

import pulumi

from byside.preview import REPO
from byside.preview.mocks import ZoneMocks

ENVELOPE = '"ciphertext": "v1:offline-preview:no-secrets-provider"'


def mock_secrets(platform, zone: str, stack) -> list[str]:
    """The plaintexts the mock engine really produced for this zone's RandomPasswords (and the
    keys built from them), recomputed with the same mocks the preview used."""
    mocks = ZoneMocks(platform, zone, zone)
    values = []
    for r in stack.of_type("random:index/randomPassword:RandomPassword"):
        name = r["urn"].rsplit("::", 1)[1]
        _, state = mocks.new_resource(pulumi.runtime.MockResourceArgs(
            typ=r["type"], name=name, inputs=r["inputs"], custom=True))
        result = state["result"]["value"]
        assert len(result) == r["inputs"]["length"] == 39
        values += [result, "k" + result, state["bcryptHash"]["value"]]
    return values


def test_no_secret_in_preview_files_or_logs(platform, previews, stacks):
    for zone, (text, log) in previews.items():
        secrets = mock_secrets(platform, zone, stacks[zone])
        assert len(secrets) == 3 * {"we1": 6, "we2": 4, "sa1": 10}[zone]
        for value in secrets:
            assert value not in text, f"{zone}: a secret value is in the preview file"
            assert value not in log, f"{zone}: a secret value is in the preview log"
            assert value[:16] not in text  # not even a prefix of it
        # Every key is an envelope where it is used: 2 per AWS connection, 1 per GCP tunnel, each in
        # the resource's inputs and outputs and in the vpnPeers outputs (stack and ZoneStack);
        # plus each RandomPassword's result and bcryptHash outputs.
        psks = 2 * len(stacks[zone].of_type("aws:ec2/vpnConnection:VpnConnection")) + \
            len(stacks[zone].of_type("gcp:compute/vPNTunnel:VPNTunnel"))
        passwords = len(stacks[zone].of_type("random:index/randomPassword:RandomPassword"))
        assert psks == passwords
        assert text.count(ENVELOPE) == 2 * psks + 2 * psks + 2 * passwords


def test_cli_twice_byte_identical_and_silent_about_secrets(tmp_path, platform, previews, stacks):
    outs = []
    for run in ("a", "b"):
        proc = subprocess.run([sys.executable, "-m", "byside.cli", "preview", "--zone", "we2", "--out",
                               str(tmp_path / run / "we2.json")], cwd=REPO, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        for value in mock_secrets(platform, "we2", stacks["we2"]):
            assert value not in proc.stdout and value not in proc.stderr
        assert "aws:ec2/vpnConnection:VpnConnection" in proc.stdout and "total" in proc.stdout
        outs.append((tmp_path / run / "we2.json").read_bytes())
    assert outs[0] == outs[1] == previews["we2"][0].encode()
