"""The allowlist compiler: exact coverage, quotas never exceeded, failures with numbers."""

import ipaddress

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import zones
from zones.allowlist import QuotaExceeded, aggregate, compile_service, compile_zone
from zones.model import PortRange, Quotas

TCP443 = PortRange(protocol="tcp", from_port=443, to_port=443)
VOICE = (PortRange(protocol="tcp", from_port=5061, to_port=5061), PortRange(protocol="udp", from_port=10000, to_port=10999))


def _v4(draw_int, prefix):
    return ipaddress.ip_network((draw_int >> (32 - prefix) << (32 - prefix), prefix))


@st.composite
def cidr_lists(draw):
    nets = []
    for _ in range(draw(st.integers(0, 120))):
        if draw(st.booleans()) or not nets:
            prefix = draw(st.integers(16, 32))
            nets.append(_v4(draw(st.integers(0, 2**32 - 1)), prefix))
        else:
            prefix = draw(st.integers(32, 64))
            value = draw(st.integers(0, 2**64 - 1)) << 64
            nets.append(ipaddress.ip_network((value >> (128 - prefix) << (128 - prefix), prefix)))
    return nets


@st.composite
def quota_sets(draw):
    return Quotas(
        aws_prefix_list_max_entries=draw(st.integers(1, 1000)),
        aws_sg_inbound_rules=draw(st.integers(2, 120)),
        aws_sgs_per_eni=draw(st.integers(1, 16)),
        gcp_source_ranges_per_rule=draw(st.integers(1, 300)),
    )


def _covered(nets) -> set:
    """Address ranges as merged integer intervals per family (exact set equality)."""
    return {(n.version, str(n)) for n in ipaddress.collapse_addresses([x for x in nets if x.version == 4])} | \
           {(n.version, str(n)) for n in ipaddress.collapse_addresses([x for x in nets if x.version == 6])}


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nets=cidr_lists(), q=quota_sets(), ports=st.sampled_from([(TCP443,), VOICE]))
def test_packing_covers_exactly_and_respects_quotas(nets, q, ports):
    try:
        plan = compile_service("z1", "svc", nets, ports, q)
    except QuotaExceeded as exc:
        assert exc.needed > exc.available
        return
    pl_nets = [ipaddress.ip_network(e) for pl in plan.prefix_lists for e in pl.entries]
    fw_nets = [ipaddress.ip_network(e) for r in plan.firewall_rules for e in r.source_ranges]
    # Exactly the input's addresses, no more, no less, in both clouds.
    assert _covered(pl_nets) == _covered(nets)
    assert _covered(fw_nets) == _covered(nets)
    # Quotas.
    assert all(1 <= pl.max_entries <= q.aws_prefix_list_max_entries for pl in plan.prefix_lists)
    assert all(len({ipaddress.ip_network(e).version for e in pl.entries}) == 1 for pl in plan.prefix_lists)
    by_name = {pl.name: pl for pl in plan.prefix_lists}
    for sg in plan.security_groups:
        charged = sum(by_name[n].max_entries for n in sg.prefix_lists) * len(ports)
        assert charged == sg.rule_cost <= q.aws_sg_inbound_rules
    assert len(plan.security_groups) <= q.aws_sgs_per_eni
    assert sorted(n for sg in plan.security_groups for n in sg.prefix_lists) == sorted(by_name)
    for rule in plan.firewall_rules:
        assert 1 <= len(rule.source_ranges) <= q.gcp_source_ranges_per_rule
        assert {ipaddress.ip_network(e).version for e in rule.source_ranges} == {rule.family}


def test_aggregation_collapses_overlaps_and_adjacent_blocks():
    v4, v6 = aggregate(["203.0.113.0/27", "203.0.113.32/27", "203.0.113.8/29", "2001:db8::/48", "2001:db8:1::/48"])
    assert [str(n) for n in v4] == ["203.0.113.0/26"]
    assert [str(n) for n in v6] == ["2001:db8::/47"]


def test_prefix_list_size_is_bounded_by_rule_quota_per_port_range():
    nets = [f"198.51.{i}.0/24" for i in range(0, 200, 2)]  # 100 non-adjacent /24s
    plan = compile_service("we1", "voice", nets, VOICE, Quotas())
    # Two port ranges: each list may hold at most 60 // 2 = 30 entries.
    assert [pl.max_entries for pl in plan.prefix_lists] == [30, 30, 30, 10]
    assert [sg.rule_cost for sg in plan.security_groups] == [60, 60, 60, 20]
    assert [r.name for r in plan.firewall_rules] == ["we1-voice-allow-v4-1"]


def test_quota_exceeded_exact_numbers():
    nets = [f"11.{b}.0.0/24" for b in range(0, 250, 2)] + [f"12.{b}.0.0/24" for b in range(0, 250, 2)]  # 250
    with pytest.raises(QuotaExceeded) as exc:
        compile_service("we1", "api", nets, (TCP443,), Quotas(aws_sgs_per_eni=4))
    assert (exc.value.needed, exc.value.available) == (5, 4)
    assert str(exc.value) == ("we1/api: security groups per network interface: needs 5, quota allows 4 "
                              "(250 aggregated CIDRs x 1 port ranges = 250 rules charged, 60 per group)")


def test_example_zone_we1_compiles():
    p = zones.load_platform()
    plans = {a.service: a for a in compile_zone(p, "we1")}
    assert sorted(plans) == ["api", "sftp", "voice"]
    api = plans["api"]
    assert api.input_count == 7
    assert api.aggregated == ("192.0.2.0/26", "198.51.100.64/27", "203.0.113.0/26", "2001:db8:10::/48", "2001:db8:20::/48")
    assert [(pl.name, pl.entries) for pl in api.prefix_lists] == [
        ("we1-api-v4-1", ("192.0.2.0/26", "198.51.100.64/27", "203.0.113.0/26")),
        ("we1-api-v6-1", ("2001:db8:10::/48", "2001:db8:20::/48")),
    ]
    assert [(sg.name, sg.prefix_lists, sg.rule_cost) for sg in api.security_groups] == [
        ("we1-api-allow-1", ("we1-api-v4-1", "we1-api-v6-1"), 5)]


@settings(max_examples=1000, deadline=None)
@given(nets=cidr_lists())
def test_fast_aggregation_equals_ipaddress_collapse(nets):
    from zones.allowlist import aggregate_text

    v4, v6 = aggregate_text([str(n) for n in nets])
    assert v4 == [str(n) for n in ipaddress.collapse_addresses([n for n in nets if n.version == 4])]
    assert v6 == [str(n) for n in ipaddress.collapse_addresses([n for n in nets if n.version == 6])]
