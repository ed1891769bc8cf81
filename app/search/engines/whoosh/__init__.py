"""The Whoosh engine: `backend` (the index), `queries`, `format` (what is pickled into the index),
`postings` and `arrays` (posting lists evaluated with numpy), `pool` (rebuild writers)."""
