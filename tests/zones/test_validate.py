"""Each class of bad zone data is rejected with file, YAML path and line."""

from .conftest import edit, errors, warnings
import zones


def test_repository_zones_are_valid():
    platform, issues = zones.load()
    assert platform is not None, [str(i) for i in issues]
    assert sorted(platform.zones) == ["sa1", "we1", "we2"]
    # Example data uses documentation ranges: warnings, never errors.
    assert all(i.severity == "warning" and "documentation" in i.message for i in issues)


# 1. malformed CIDR or host bits set
def test_malformed_cidr(zdir):
    edit(zdir, "we1.yaml", "aws: {cidr: 10.11.0.0/22}", "aws: {cidr: 10.11.0.0/33}")
    assert errors(zdir) == [
        "zones/we1.yaml:20 segments[0].sites.aws.cidr: malformed CIDR '10.11.0.0/33': '10.11.0.0/33' does not appear to be an IPv4 or IPv6 network"
    ]


def test_host_bits_set(zdir):
    edit(zdir, "we2.yaml", "gcp: {cidr: 10.22.0.0/24}", "gcp: {cidr: 10.22.0.5/24}")
    assert errors(zdir) == [
        "zones/we2.yaml:21 segments[0].sites.gcp.cidr: 10.22.0.5/24 has host bits set (network is 10.22.0.0/24)"
    ]


# 2. overlap between any two segments anywhere
def test_overlap_across_zones(zdir):
    edit(zdir, "sa1.yaml", "gcp: {cidr: 10.32.0.0/24}", "gcp: {cidr: 10.21.1.0/24}")
    assert errors(zdir) == [
        "zones/sa1.yaml:20 segments[0].sites.gcp.cidr: 10.21.1.0/24 overlaps segment 'edge' 10.21.0.0/22 (zones/we2.yaml:20)"
    ]


def test_overlap_within_zone_across_sites(zdir):
    edit(zdir, "we1.yaml", "aws: {cidr: 10.11.48.0/24}", "aws: {cidr: 10.10.32.0/24}")
    assert errors(zdir) == [
        "zones/we1.yaml:40 segments[3].sites.aws.cidr: 10.10.32.0/24 overlaps segment 'db' 10.10.32.0/22 (zones/we1.yaml:33)"
    ]


# 3. VLAN ids
def test_vlan_outside_1_4094(zdir):
    edit(zdir, "we1.yaml", "vlan: 110", "vlan: 5000")
    assert errors(zdir) == ["zones/we1.yaml:19 segments[0].sites.dc-lis.vlan: VLAN 5000 is outside 1-4094"]


def test_vlan_outside_vendor_range(zdir):
    edit(zdir, "we2.yaml", "vlan: 2010", "vlan: 110")
    assert errors(zdir) == [
        "zones/we2.yaml:19 segments[0].sites.dc-mad.vlan: VLAN 110 is outside dc-mad's vendor range 2000-2299"
    ]


def test_vlan_reused_in_one_dc(zdir):
    edit(zdir, "we1.yaml", "vlan: 120", "vlan: 110")
    assert errors(zdir) == [
        "zones/we1.yaml:26 segments[1].sites.dc-lis.vlan: VLAN 110 is already used in dc-lis (zones/we1.yaml:19)"
    ]


# 4. unknown references
def test_unknown_references(zdir):
    edit(zdir, "we1.yaml", "datacenters: [dc-lis]", "datacenters: [dc-lis, dc-opo]")
    edit(zdir, "we1.yaml", "{from: edge, to: app,", "{from: edge, to: cache,")
    edit(zdir, "we1.yaml", "subscriber: sub-tagus-bank", "subscriber: sub-nobody")
    edit(zdir, "we1.yaml", "services: [api, voice]", "services: [api, fax]")
    edit(zdir, "we1.yaml", "owner: platform-sre", "owner: platform-ops")
    assert errors(zdir) == [
        "zones/we1.yaml:7 owner: unknown team 'platform-ops'",
        "zones/we1.yaml:10 datacenters[1]: unknown data centre 'dc-opo'",
        "zones/we1.yaml:43 segment_policy[0].to: unknown segment 'cache'",
        "zones/we1.yaml:52 allowlists[1].subscriber: unknown subscriber 'sub-nobody'",
        "zones/we1.yaml:56 allowlists[2].services[1]: unknown service 'fax'",
    ]


def test_subscriber_in_another_zone(zdir):
    edit(zdir, "we2.yaml", "subscriber: sub-thames-energy", "subscriber: sub-tagus-bank")
    assert errors(zdir) == [
        "zones/we2.yaml:52 allowlists[1].subscriber: subscriber 'sub-tagus-bank' is assigned to zone 'we1', not 'we2'"
    ]


def test_unknown_site_and_team_zone(zdir):
    edit(zdir, "sa1.yaml", "aws: {cidr: 10.31.48.0/24}", "azure: {cidr: 10.31.48.0/24}")
    edit(zdir, "access.yaml", "zones: [we1, we2, sa1]", "zones: [we1, we3]")
    assert errors(zdir) == [
        "zones/access.yaml:29 teams[0].zones[1]: unknown zone 'we3'",
        "zones/sa1.yaml:36 segments[3].sites.azure: unknown site 'azure'; this zone's sites are aws, dc-lis, dc-mad, gcp",
    ]


# 5. timezone and window
def test_unknown_timezone(zdir):
    edit(zdir, "sa1.yaml", "timezone: America/Sao_Paulo", "timezone: America/Brasilia")
    assert errors(zdir) == ["zones/sa1.yaml:8 timezone: unknown IANA timezone 'America/Brasilia'"]


def test_window_longer_than_24h(zdir):
    edit(zdir, "we1.yaml", 'maintenance_window: {start: "00:00", end: "06:00"}', 'maintenance_window: {start: "00:00", end: "30:00"}')
    assert errors(zdir) == ["zones/we1.yaml:9 maintenance_window: window 00:00-30:00 is 30 h long; a daily window is at most 24 h"]


def test_window_wider_than_promised_is_error(zdir):
    edit(zdir, "we2.yaml", 'maintenance_window: {start: "00:00", end: "06:00"}', 'maintenance_window: {start: "23:00", end: "06:00"}')
    assert errors(zdir) == [
        "zones/we2.yaml:9 maintenance_window: window 23:00-06:00 is not within the promised 00:00-06:00 local window"
    ]


def test_window_stricter_than_promised_is_warning(zdir):
    edit(zdir, "we2.yaml", 'maintenance_window: {start: "00:00", end: "06:00"}', 'maintenance_window: {start: "00:00", end: "04:00"}')
    assert errors(zdir) == []
    assert "zones/we2.yaml:9 maintenance_window: warning: window 00:00-04:00 is stricter than the promised 00:00-06:00 local" in warnings(zdir)


def test_backup_start_outside_window(zdir):
    edit(zdir, "sa1.yaml", 'start: "01:00"', 'start: "07:00"')
    assert errors(zdir) == ["zones/sa1.yaml:58 backup.start: backup start 07:00 is outside the maintenance window 00:00-06:00"]


# 6. allowlist entries
def test_allowlist_too_broad_private_and_special(zdir):
    edit(zdir, "we1.yaml", "cidrs: [198.51.100.64/28, 198.51.100.80/28]",
         "cidrs: [8.0.0.0/8, 10.1.0.0/24, 127.0.0.0/24, 169.254.1.0/24, 224.0.0.0/24, 0.0.0.0/32, 240.0.0.0/24, fe80::/64]")
    assert errors(zdir) == [
        "zones/we1.yaml:54 allowlists[1].cidrs[0]: 8.0.0.0/8 is too broad: prefix /8 is shorter than the minimum /16",
        "zones/we1.yaml:54 allowlists[1].cidrs[1]: 10.1.0.0/24 is private or non-global: not a subscriber's public range",
        "zones/we1.yaml:54 allowlists[1].cidrs[2]: 127.0.0.0/24 is loopback: not a subscriber's public range",
        "zones/we1.yaml:54 allowlists[1].cidrs[3]: 169.254.1.0/24 is link-local: not a subscriber's public range",
        "zones/we1.yaml:54 allowlists[1].cidrs[4]: 224.0.0.0/24 is multicast: not a subscriber's public range",
        "zones/we1.yaml:54 allowlists[1].cidrs[5]: 0.0.0.0/32 is unspecified: not a subscriber's public range",
        "zones/we1.yaml:54 allowlists[1].cidrs[6]: 240.0.0.0/24 is reserved: not a subscriber's public range",
        "zones/we1.yaml:54 allowlists[1].cidrs[7]: fe80::/64 is link-local: not a subscriber's public range",
    ]


def test_allowlist_min_prefix_is_configurable(zdir):
    edit(zdir, "platform.yaml", "allowlist_min_prefix_ipv4: 16", "allowlist_min_prefix_ipv4: 28")
    assert errors(zdir) == [
        "zones/sa1.yaml:47 allowlists[0].cidrs[0]: 192.0.2.128/25 is too broad: prefix /25 is shorter than the minimum /28",
        "zones/we1.yaml:51 allowlists[0].cidrs[0]: 203.0.113.0/27 is too broad: prefix /27 is shorter than the minimum /28",
        "zones/we1.yaml:51 allowlists[0].cidrs[1]: 203.0.113.32/27 is too broad: prefix /27 is shorter than the minimum /28",
        "zones/we1.yaml:57 allowlists[2].cidrs[0]: 192.0.2.0/26 is too broad: prefix /26 is shorter than the minimum /28",
        "zones/we2.yaml:51 allowlists[0].cidrs[0]: 203.0.113.128/26 is too broad: prefix /26 is shorter than the minimum /28",
        "zones/we2.yaml:54 allowlists[1].cidrs[0]: 198.51.100.192/27 is too broad: prefix /27 is shorter than the minimum /28",
    ]


def test_allowlist_duplicate(zdir):
    edit(zdir, "we2.yaml", "cidrs: [198.51.100.192/27]", "cidrs: [198.51.100.192/27, 203.0.113.128/26]")
    assert errors(zdir) == [
        "zones/we2.yaml:54 allowlists[1].cidrs[1]: 203.0.113.128/26 is duplicated for service 'api' (line 51)"
    ]


def test_documentation_ranges_warn(zdir):
    assert "zones/we2.yaml:54 allowlists[1].cidrs[0]: warning: 198.51.100.192/27 is a documentation range (RFC 5737/3849): fine for examples, not for a subscriber" in warnings(zdir)


# 7. backup and log retention
def test_backup_and_log_retention_below_promise(zdir):
    edit(zdir, "we1.yaml", "  daily: 5", "  daily: 3")
    edit(zdir, "we1.yaml", "  rpo_hours: 24", "  rpo_hours: 48")
    edit(zdir, "we1.yaml", "  vpn: 90", "  vpn: 3")
    edit(zdir, "we1.yaml", "  audit: 180", "  audit: 365")
    assert errors(zdir) == [
        "zones/we1.yaml:60 backup.daily: 3 daily backups; the Service Description promises 5",
        "zones/we1.yaml:63 backup.rpo_hours: RPO 48 h; the Service Description promises at most 24 h",
        "zones/we1.yaml:71 log_retention.vpn: 3 days for 'vpn' is outside 7-180 days (7 days to 6 months)",
        "zones/we1.yaml:73 log_retention.audit: 365 days for 'audit' is outside 7-180 days (7 days to 6 months)",
    ]


# 8. duplicate ids, unknown keys, wrong types
def test_duplicate_ids(zdir):
    edit(zdir, "subscribers.yaml", "{id: sub-cerrado-auto,", "{id: sub-paulista-varejo,")
    edit(zdir, "we1.yaml", "  - name: mgmt", "  - name: db")
    out = errors(zdir)
    assert "zones/subscribers.yaml:12 subscribers[6].id: duplicate subscriber id 'sub-paulista-varejo' (first at line 11)" in out
    assert "zones/we1.yaml:35 segments[3].name: duplicate segment name 'db' (first at line 29)" in out


def test_duplicate_zone_file(zdir):
    (zdir / "we1-copy.yaml").write_text((zdir / "we1.yaml").read_text())
    assert "zones/we1.yaml:5 id: duplicate zone id 'we1' (also zones/we1-copy.yaml:5)" in errors(zdir)


def test_unknown_key_and_wrong_type(zdir):
    edit(zdir, "we1.yaml", "  rto_hours: 12", "  rto_hour: 12")
    edit(zdir, "datacenters.yaml", "bgp_asn: 65020", "bgp_asn: sixty-five")
    assert errors(zdir) == [
        "zones/datacenters.yaml:28 datacenters[1].bgp_asn: Input should be a valid integer (got 'sixty-five')",
        "zones/we1.yaml:59 backup.rto_hours: required key is missing",
        "zones/we1.yaml:64 backup.rto_hour: unknown key (typo?)",
    ]


def test_yaml_syntax_error(zdir):
    edit(zdir, "we2.yaml", "name: Western Europe 2", "name: [Western Europe 2")
    assert errors(zdir) == ["zones/we2.yaml:7 <root>: column 6: not valid YAML: expected ',' or ']', but got ':'"]
