"""Hypothesis strategies for request bodies no web form sends: JSON documents and file parts."""

import json
from io import BytesIO

from hypothesis import strategies as st

text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200),
    st.sampled_from(["", " ", "a" * 25_000, "1e309", "-1", "0", "2147483648"]),
)

# A JSON value of any shape: numbers, booleans, nulls, lists and objects, nested.
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
              st.floats(allow_nan=False, allow_infinity=False), text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=8,
)  # fmt: skip


def json_bodies(fields):
    """An object naming the form's fields with any JSON values, or any other JSON document."""
    named = st.fixed_dictionaries({}, optional={name: json_values for name in fields})
    return st.one_of(named, json_values)


def post_json(client, url, body):
    """POST `body` as a JSON document (test clients drop a top-level null given as json=)."""
    return client.post(url, data=json.dumps(body), content_type="application/json")


def multipart_bodies(fields):
    """A multipart form whose fields are text or file parts; at least one file part."""
    part = st.one_of(
        text.map(lambda value: ("text", value)), st.binary(max_size=200).map(lambda b: ("file", b))
    )
    parts = st.dictionaries(st.sampled_from([*fields, "attachment"]), part, min_size=1)
    return parts.filter(lambda p: any(kind == "file" for kind, _ in p.values()))


def post_multipart(client, url, parts):
    """POST `parts` as multipart/form-data, file parts as uploads."""
    data = {
        name: (BytesIO(value), "upload.bin") if kind == "file" else value
        for name, (kind, value) in parts.items()
    }
    return client.post(url, data=data, content_type="multipart/form-data")
