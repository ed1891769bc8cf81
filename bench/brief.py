"""The final brief's pages and its PDF against the consultation page, in one run.

A consultation of --contributions submitted contributions (every stakeholder group and region), a
brief listing --items of them in six sections, published. Prints, in-process (one core), the median
and p95 per request of the consultation page (the baseline), the brief page, a version's page with
its changes, and the PDF in English, Arabic and Chinese made afresh and kept (the same brief asked
again), each also as a multiple of the baseline.

    .venv/bin/python bench/brief.py [--contributions 200] [--items 60] [--repeat 20]
"""

import argparse
import tempfile
import time
from pathlib import Path

from _common import seeded_app, summary_ms

import tests.factories as make
from app.consultation import brief_pdf, services
from app.consultation.types import REGIONS
from app.extensions import db

GROUPS = (
    "government",
    "private_sector",
    "civil_society",
    "academia",
    "international_organization",
    "technical",
)
SECTIONS = (("action_line", "c2"), ("action_line", "c8"), ("format_innovations", None), ("workshops", None),
            ("facilitators", None), ("regional_inputs", None))  # fmt: skip
DISPOSITIONS = ("incorporated", "partially", "noted", "not_incorporated")


def seed(contributions: int, items: int) -> str:
    consultation = make.consultation(slug="bench")
    secretariat = make.secretariat(consultation)
    regions = list(REGIONS)
    authors = [make.user(stakeholder_type=group) for group in GROUPS]
    rows = [
        make.contribution(
            consultation,
            authors[n % len(authors)],
            state="submitted",
            title=f"Contribution number {n}",
            region=regions[n % len(regions)],
        )  # fmt: skip
        for n in range(contributions)
    ]
    sections = [
        services.add_section(
            consultation,
            secretariat,
            kind,
            f"Section {n}: {kind}",
            community=make.community(line) if line else None,
        )
        for n, (kind, line) in enumerate(SECTIONS)
    ]
    for n, row in enumerate(rows[:items]):
        services.add_item(
            sections[n % len(sections)], secretariat, DISPOSITIONS[n % len(DISPOSITIONS)],
            f"Rationale {n}: how the secretariat weighed this input against the others.", contribution=row,
        )  # fmt: skip
    services.publish(consultation, secretariat)
    services.remove_item(sections[0].items[0], secretariat)
    services.publish_correction(consultation, secretariat, "One input moved.")
    db.session.commit()
    return consultation.slug


def timed(client, path, repeat, language="en", kept=True):
    """Seconds per request; with kept=False each PDF is made afresh (the process's PDFs forgotten)."""
    headers = {"Accept-Language": language}
    assert client.get(path, headers=headers).status_code == 200, path  # warm-up
    times = []
    for _ in range(repeat):
        if not kept:
            brief_pdf._made.clear()
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, path
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=200)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = seeded_app(Path(tmp), PAGE_CACHE_BYTES=0, RATELIMIT_ENABLED=False)
        with app.app_context(), app.test_request_context():
            slug = seed(args.contributions, args.items)
        client = app.test_client()
        cases = [
            ("consultation page (baseline)", f"/consultations/{slug}", "en"),
            ("brief page", f"/consultations/{slug}/brief", "en"),
            ("version 2 with its changes", f"/consultations/{slug}/brief/versions/2", "en"),
            ("PDF made, English", f"/consultations/{slug}/brief.pdf", "en"),
            ("PDF made, Arabic", f"/consultations/{slug}/brief.pdf", "ar"),
            ("PDF made, Chinese", f"/consultations/{slug}/brief.pdf", "zh"),
            ("PDF kept, Arabic", f"/consultations/{slug}/brief.pdf", "ar"),
        ]
        print(
            f"{args.contributions} contributions, {args.items} in the brief; {args.repeat} requests each, in-process"
        )
        print(f"{'case':<32}{'median':>10}{'p95':>9}{'× baseline':>12}")
        baseline = None
        for name, path, language in cases:
            made = name.startswith("PDF made")
            repeat = max(3, args.repeat // 4) if made else args.repeat
            median, p95, _p99 = summary_ms(timed(client, path, repeat, language, kept=not made))
            baseline = baseline or median
            print(f"{name:<32}{median:>8.1f}ms{p95:>8.1f}{median / baseline:>12.2f}")


if __name__ == "__main__":
    main()
