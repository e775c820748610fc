"""Data prints verbatim everywhere: no Rich markup, no emoji codes (`pkgA:m:typA` stays as it is),
in the report, the stderr notes and the errors."""

import io
import json

from byside.console import err, make_console, out, styled

from .conftest import TESTPACK, byside

ODD = "urn:pulumi:we1::byside::pkgA:m:typA::x[bold]y:smile:"


def test_the_consoles_interpret_no_markup_and_no_emoji():
    buf = io.StringIO()
    c = make_console(file=buf, width=200)
    c.print(f"{ODD} [secret] [i]tags[/i] :m: :thumbs_up:")
    c.print(styled(("fix:", "green"), " [red]kept[/red] :m:"))
    assert buf.getvalue() == f"{ODD} [secret] [i]tags[/i] :m: :thumbs_up:\nfix: [red]kept[/red] :m:\n"
    assert (out._markup, out._emoji, err._markup, err._emoji) == (False, False, False, False)


def test_urns_types_and_messages_print_verbatim_in_the_report_and_on_stderr(tmp_path):
    bucket = "urn:pulumi:we1::byside::aws:s3/bucket:Bucket::assets[b]:m:x"
    doc = {"steps": [
        {"op": "same", "urn": "urn:pulumi:we1::byside::pulumi:pulumi:Stack::byside-we1",
         "newState": {"urn": "urn:pulumi:we1::byside::pulumi:pulumi:Stack::byside-we1", "type": "pulumi:pulumi:Stack"}},
        {"op": "create", "urn": bucket, "newState": {"urn": bucket, "custom": True, "type": "aws:s3/bucket:Bucket",
                                                     "inputs": {"acl": "public-read"}}},
        {"op": "delete", "urn": ODD, "oldState": {"urn": ODD, "type": "pkgA:m:typA"}}],
        "changeSummary": {"same": 1, "create": 1, "delete": 1}}
    plan = tmp_path / "odd[1]:m:.json"
    plan.write_text(json.dumps(doc))
    r = byside("check", "--plan", str(plan), "--policy-pack", str(TESTPACK), "--no-checkov")
    assert r.returncode == 1
    assert f"not judged ({plan}): {ODD} (delete)" in r.stderr
    assert "    mandatory test-no-public-bucket (crossguard) assets[b]:m:x aws:s3/bucket:Bucket" in r.stdout.splitlines()
    assert "Ⓜ" not in r.stdout + r.stderr
    r = byside("check", "--plan", str(tmp_path / "missing[red]:m:.json"), "--no-checkov")
    assert (r.returncode, r.stderr.strip()) == (2, f"error: {tmp_path / 'missing[red]:m:.json'}: no such plan file")


def test_no_command_prints_rich_markup_any_more():
    # The consoles interpret no markup: a `[bold]` left in a command would print as text.
    import re
    from pathlib import Path

    from .conftest import ROOT

    tags = re.compile(r"print\(f?[\"'][^\"']*\[(bold|red|yellow|green|dim)[^\]]*\]")
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in sorted((ROOT / "byside").rglob("*.py"))
                 for i, line in enumerate(p.read_text().splitlines(), 1) if tags.search(line)]
    assert offenders == []
