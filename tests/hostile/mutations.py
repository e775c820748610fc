"""Hypothesis strategies that turn a good input file into a hostile one, the ways files go bad in
the wild or in an attacker's hands: truncation, flipped bytes, deep nesting, aliases, huge fields,
wrong encodings, and structural edits that keep the syntax but break the meaning."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

HUGE = 300_000  # characters in a "huge field": past Excel's cell limit, under every file-size cap

# Values an edited field may take: wrong types, edge numbers, odd text, deep and big structures.
hostile_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True),
    st.text(max_size=30), st.sampled_from(["", " ", "\u202e", "=cmd|' /C calc'!A0", "../../etc/passwd", "*",
                                           "2027-02-30", "2027-01-31 10:00:00", "9999-12-31", "null", "0x10"]),
    st.just("x" * HUGE), st.just([[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]), st.just(list(range(5000))),
    st.just('{"Statement": ' + "[" * 50_000 + "]" * 50_000 + "}"),  # a JSON document inside a string field
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3), st.lists(st.text(max_size=5), max_size=4),
)


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:50]):
            out += _paths(v, prefix + (i,))
    return out


def _set(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    parent[path[-1]] = value
    return doc


def _delete(doc: Any, path: tuple) -> Any:
    if not path:
        return doc
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    del parent[path[-1]]
    return doc


@st.composite
def structural(draw, data: Any) -> bytes:
    """The document with one field replaced, deleted or duplicated, written back as JSON (which
    YAML 1.2 reads too): the syntax holds, the meaning breaks."""
    doc = json.loads(json.dumps(data))
    path = draw(st.sampled_from(_paths(doc)))
    action = draw(st.sampled_from(["replace", "delete", "wrap"]))
    if action == "replace" or not path:
        doc = _set(doc, path, draw(hostile_values))
    elif action == "delete":
        doc = _delete(doc, path)
    else:
        value = doc
        for p in path:
            value = value[p]
        doc = _set(doc, path, [value] * draw(st.integers(1, 3)))
    return json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8")


@st.composite
def textual(draw, seed: bytes, yaml: bool) -> bytes:
    """Byte- and text-level damage."""
    how = draw(st.sampled_from(["truncate", "flip", "nest", "huge", "encoding", "bom", "splice"]
                               + (["alias", "tag"] if yaml else ["duplicate"])))
    n = len(seed)
    if how == "truncate":
        return seed[:draw(st.integers(0, max(n - 1, 0)))]
    if how == "flip":
        out = bytearray(seed)
        for _ in range(draw(st.integers(1, 8))):
            if out:
                out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
        return bytes(out)
    at = draw(st.integers(0, n))
    if how == "nest":
        depth = draw(st.sampled_from([60, 200, 5000, 100_000]))
        deep = (b"[" * depth + b"]" * depth) if draw(st.booleans()) else (b'{"a":' * depth + b"1" + b"}" * depth)
        if yaml and draw(st.booleans()):
            return seed + b"\ndeep: " + deep + b"\n"
        return seed[:at] + deep + seed[at:]
    if how == "huge":
        return seed[:at] + b"x" * HUGE + seed[at:]
    if how == "encoding":
        text = seed.decode("utf-8", "replace") + "\n# café ☃\n"
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"]))
        return text.encode(codec, "replace")
    if how == "bom":
        return draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])) + seed
    if how == "splice":
        junk = draw(st.binary(min_size=1, max_size=40))
        return seed[:at] + junk + seed[at:]
    if how == "alias":
        levels = draw(st.integers(2, 9))
        names = "abcdefghij"
        bomb = [b'b0mb_a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for i in range(1, levels):
            bomb.append(f"b0mb_{names[i]}: &{names[i]} [".encode() + b",".join([f"*{names[i - 1]}".encode()] * 9) + b"]")
        if draw(st.booleans()):
            bomb.append(b"rec: &r [*r]")
        return seed.rstrip(b"\n") + b"\n" + b"\n".join(bomb) + b"\n"
    if how == "tag":
        tag = draw(st.sampled_from([b"!!python/object/apply:os.system ['true']", b"!custom x", b"!!binary aGk=",
                                    b"!!python/name:os.system", b"!!set {a: null}"]))
        return seed.rstrip(b"\n") + b"\nextra: " + tag + b"\n"
    # duplicate (JSON): the same key twice
    return seed.replace(b"{", b'{"dup": 1, "dup": 2, ', 1)


def mutated(seed: bytes, *, yaml: bool, data: Any = None):
    """One hostile variant of `seed` (`data`: its parsed content, for structural edits)."""
    options = [textual(seed, yaml)]
    if data is not None:
        options.append(structural(data))
    return st.one_of(*options)
