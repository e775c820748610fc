"""The benchmark's synthetic zone generator writes data that validates, deterministically."""

import zones
from bench.generate import generate


def test_generated_zone_validates_with_the_requested_sizes(tmp_path):
    d = generate(tmp_path / "z", subscribers=30, cidrs_per_subscriber=4, segments=12, datacenters=2, seed=7)
    platform, issues = zones.load(d)
    assert platform is not None, [str(i) for i in issues if i.severity == "error"]
    z = platform.zone("bz1")
    assert len(z.segments) == 12
    assert len(z.allowlists) == 30 and all(len(a.cidrs) == 4 for a in z.allowlists)
    assert sorted(platform.datacenters) == ["dc-00", "dc-01"]
    assert [i.severity for i in issues] == ["warning"] * len(issues)  # only the documentation-range DC edges


def test_generation_is_deterministic(tmp_path):
    a = generate(tmp_path / "a", subscribers=5, segments=3, seed=3)
    b = generate(tmp_path / "b", subscribers=5, segments=3, seed=3)
    for path in sorted(a.glob("*.yaml")):
        assert path.read_bytes() == (b / path.name).read_bytes()
