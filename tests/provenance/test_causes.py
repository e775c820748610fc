"""Which zone fact caused a finding (byside/provenance/causes.py)."""

from byside.provenance.causes import cause
from byside.provenance.facts import Fact

CIDR = Fact("zones/we1.yaml", 51, "allowlists[0].cidrs[1]", "allowlist", "203.0.113.32/27")
OTHER = Fact("zones/we1.yaml", 51, "allowlists[0].cidrs[0]", "allowlist", "203.0.113.0/27")
PORT = Fact("zones/platform.yaml", 33, "services[1].ports[0]", "service", "sftp tcp/22")
BACKUP = Fact("zones/we1.yaml", 60, "backup.daily", "backup", "5")
TAGS = Fact("zones/platform.yaml", 7, "data_classification", "tags", "confidential")


def test_the_fact_the_message_names_comes_first():
    assert cause("network-no-world-ingress", "entries[1]: 203.0.113.32/27 ...", [OTHER, CIDR, PORT]) == CIDR
    # a range inside a declared one counts as named
    assert cause("CKV_AWS_24", "rule allows 203.0.113.40/29", [OTHER, CIDR, PORT]) == CIDR


def test_a_range_no_fact_holds_is_the_programs():
    assert cause("network-ingress-allowlisted", "entries[0]: 8.8.8.0/24 is not in zone we1's allowlist",
                 [OTHER, CIDR, PORT]) is None


def test_without_a_named_value_the_kinds_order_decides():
    assert cause("backup-retention", "daily backups kept 3 days, promised 5", [TAGS, BACKUP]) == BACKUP
    assert cause("network-no-public-admin-ingress", "exposes ssh (22)", [PORT, OTHER]) == OTHER


def test_another_packs_policy_takes_only_a_named_fact():
    assert cause("test-x", "entries[0]: 203.0.113.32/27 is denied", [OTHER, CIDR, TAGS]) == CIDR
    assert cause("test-x", "something else", [OTHER, CIDR, TAGS]) is None
    assert cause("test-x", "confidential data", [TAGS]) is None  # tags and the zone id are never a cause


def test_the_whole_internet_names_no_subscriber_range():
    assert cause("network-no-public-admin-ingress", "allows tcp/22 from 0.0.0.0/0: exposes ssh (22)",
                 [OTHER, CIDR]) is None
    # an aggregate the program built from two declared ranges names both; the first is shown
    assert cause("network-no-world-ingress", "entries[0]: 203.0.113.0/26", [CIDR, OTHER]) == OTHER
