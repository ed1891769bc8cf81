"""Shared helpers for the benchmark scripts (plain scripts that print their figures)."""

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values):
    """(median, p95, p99) in milliseconds for a list of seconds."""
    return (
        statistics.median(values) * 1000,
        percentile(values, 0.95) * 1000,
        percentile(values, 0.99) * 1000,
    )


def seeded_app(directory, **settings):
    """An app on a new SQLite file in `directory`, its tables made and communities seeded, with the
    test configuration plus `settings` (config names), for benchmarks that drive the services."""
    from app import create_app
    from app.communities.seed import seed_communities
    from app.extensions import db
    from config import TestConfig

    config = TestConfig(directory)
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{directory / 'bench.db'}"
    for name, value in settings.items():
        setattr(config, name, value)
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed_communities()
        db.session.commit()
    return app
