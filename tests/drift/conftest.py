import pytest

from tests.drift.gcp_server import ComputeServer
from tests.drift.seed import gcp_firewalls, gcp_tunnels


@pytest.fixture(scope="session")
def compute_server():
    s = ComputeServer()
    yield s
    s.close()


@pytest.fixture
def gcp(compute_server):
    """The local compute API holding we1's declared firewall rules and tunnels."""
    st = compute_server.state
    st.firewalls = {"byside-we1-prod": gcp_firewalls("we1")}
    st.tunnels = {("byside-we1-prod", "europe-west1"): gcp_tunnels("we1")}
    st.requests.clear()
    return compute_server
