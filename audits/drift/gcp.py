"""Reading a zone's deployed GCP firewall rules and VPN tunnels through google-cloud-compute.

GCP firewall rules take no labels: a zone's rules are those named `<zone>-...` in the zone's
project (docs/contracts.md). VPN tunnels carry the `zone` label. Shared secrets are never read
into the result. `endpoint` (e.g. http://127.0.0.1:PORT) goes to the REST transport as
`api_endpoint` with anonymous credentials; without it, Application Default Credentials apply.
"""

from __future__ import annotations

from .live import LiveFirewall, LiveTunnel, LiveZone, ReadError


def _clients(endpoint: str | None):
    from google.cloud import compute_v1

    if endpoint:
        from google.auth.credentials import AnonymousCredentials

        kw = {"credentials": AnonymousCredentials(), "client_options": {"api_endpoint": endpoint}}
    else:
        kw = {}
    return compute_v1.FirewallsClient(**kw), compute_v1.VpnTunnelsClient(**kw)


def _ports(protocol: str, ports: list[str]) -> list[tuple[str, int, int]]:
    """GCP `allowed` entry -> (protocol, from, to) spans; no ports means every port."""
    protocol = protocol.lower()
    if not ports:
        if protocol in ("all", "tcp", "udp"):
            return [(protocol, 0, 65535)]
        return [(protocol, -1, -1)]
    out = []
    for p in ports:
        a, _, b = p.partition("-")
        out.append((protocol, int(a), int(b or a)))
    return out


def read_gcp(live: LiveZone, project: str, region: str, endpoint: str | None = None) -> None:
    from google.api_core import exceptions as gexc
    from google.auth import exceptions as auth_exc

    try:
        firewalls, tunnels = _clients(endpoint)
        prefix = f"{live.zone}-"
        for fw in firewalls.list(project=project):
            if not fw.name.startswith(prefix):
                continue
            if fw.allowed:
                action, entries = "allow", fw.allowed
            else:
                action, entries = "deny", fw.denied
            ports = frozenset(p for e in entries for p in _ports(e.I_p_protocol, list(e.ports)))
            direction = fw.direction or "INGRESS"
            ranges = fw.destination_ranges if direction == "EGRESS" else fw.source_ranges
            live.firewalls.append(LiveFirewall(fw.name, direction, action, frozenset(ranges), ports,
                                               frozenset(fw.target_tags), bool(fw.disabled)))
        for t in tunnels.list(project=project, region=region):
            labels = dict(t.labels)
            if labels.get("zone") != live.zone:
                continue
            cipher = None
            if "cipher_suite" in t:
                cs = t.cipher_suite
                cipher = {
                    "phase1": {k: list(getattr(cs.phase1, k)) for k in ("encryption", "integrity", "prf", "dh")},
                    "phase2": {k: list(getattr(cs.phase2, k)) for k in ("encryption", "integrity", "pfs")},
                }
            live.tunnels.append(LiveTunnel(t.name, labels, t.ike_version if "ike_version" in t else None, cipher))
    except auth_exc.GoogleAuthError as e:
        raise ReadError(f"GCP: no credentials ({e}); set GOOGLE_APPLICATION_CREDENTIALS or give --gcp-endpoint") from None
    except gexc.GoogleAPICallError as e:
        raise ReadError(f"GCP: {e.message or e}") from None
    except gexc.RetryError as e:
        raise ReadError(f"GCP: gave up: {e}") from None
    except Exception as e:  # requests' connection errors surface as their own types through the transport
        import requests

        if isinstance(e, requests.exceptions.RequestException):
            raise ReadError(f"GCP: cannot reach {endpoint or 'compute.googleapis.com'}: {e.__class__.__name__}") from None
        raise
    live.gcp_read = True
