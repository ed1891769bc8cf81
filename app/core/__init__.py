"""Cross-domain building blocks: text rendering, after-commit side effects, signals, database set-up."""
