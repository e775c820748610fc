"""bench/measure.py: a ratio's two commands run in turn, each sample its own child's wall and peak."""

import sys

from bench.measure import measure_pair


def test_measure_pair_runs_the_two_commands_in_turn(tmp_path):
    log = tmp_path / "order"
    a = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('a')"]
    b = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('b'); print('core_s 0.5')"]
    ra, rb = measure_pair(a, b, 3)
    assert log.read_text() == "ababab"
    assert len(ra.walls) == len(rb.walls) == 3 and ra.inner_s is None and rb.inner_s == 0.5
    assert ra.peak_mib > 0 and rb.wall_s > 0
