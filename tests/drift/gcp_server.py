"""A small compute REST server on loopback: the GET paths google-cloud-compute's FirewallsClient
and VpnTunnelsClient call, with the real API's pagination (maxResults/pageToken -> nextPageToken)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PAGE = 3  # small pages so the client's pager is exercised


class ComputeState:
    def __init__(self) -> None:
        self.firewalls: dict[str, list[dict]] = {}   # project -> firewall resources (REST JSON)
        self.tunnels: dict[tuple[str, str], list[dict]] = {}  # (project, region) -> vpnTunnel resources
        self.requests: list[str] = []


def _handler(state: ComputeState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            state.requests.append(url.path)
            parts = url.path.strip("/").split("/")
            items = kind = None
            if parts[:3] == ["compute", "v1", "projects"] and parts[4:] == ["global", "firewalls"]:
                items, kind = state.firewalls.get(parts[3], []), "compute#firewallList"
            elif parts[:3] == ["compute", "v1", "projects"] and len(parts) == 7 and parts[4] == "regions" \
                    and parts[6] == "vpnTunnels":
                items, kind = state.tunnels.get((parts[3], parts[5]), []), "compute#vpnTunnelList"
            if items is None:
                body = {"error": {"code": 404, "message": f"The resource '{url.path}' was not found",
                                  "errors": [{"reason": "notFound", "message": "not found"}]}}
                return self._send(404, body)
            q = parse_qs(url.query)
            start = int(q.get("pageToken", ["0"])[0] or 0)
            size = min(int(q.get("maxResults", [PAGE])[0]), PAGE)
            page = {"kind": kind, "id": "projects/x", "items": items[start:start + size],
                    "selfLink": f"https://www.googleapis.com{url.path}"}
            if start + size < len(items):
                page["nextPageToken"] = str(start + size)
            self._send(200, page)

        def _send(self, code: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


class ComputeServer:
    def __init__(self) -> None:
        self.state = ComputeState()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
