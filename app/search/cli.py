"""`flask search reindex | status | worker`."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.search import registry
from app.search.indexer import outbox_backlog

search_cli = AppGroup("search", help="Full-text search index.")


def _state():
    return current_app.extensions["majlis_search"]


@search_cli.command("reindex")
def reindex():
    """Rebuild the whole index from the database into a new directory, swapped in at the end."""
    total = sum(len(list(provider.all_ids())) for provider in registry.providers().values())
    indexer = _state().indexer
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        count = indexer.rebuild(progress=bar.update)
    click.echo(f"Indexed {count} documents.")


@search_cli.command("status")
def status():
    """Document counts by type, outbox backlog and index size."""
    info = _state().backend.status()
    if not info["available"]:
        click.echo("Index: missing or unreadable (it will be rebuilt; or run `flask search reindex`).")
    else:
        click.echo(f"Index: {info['path']}")
        for type_name, count in sorted(info["documents"].items()):
            click.echo(f"  {type_name}: {count} documents")
        click.echo(f"Index size: {info['size_bytes'] / 1_048_576:.1f} MB")
    backlog, oldest = outbox_backlog()
    click.echo(
        f"Outbox backlog: {backlog} rows" + (f" (oldest {oldest:%Y-%m-%d %H:%M:%S} UTC)" if oldest else "")
    )


@search_cli.command("worker")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between outbox polls.")
@click.option("--no-wait", is_flag=True, help="Exit at once if another worker runs, instead of standing by.")
def worker(poll, no_wait):
    """Drain the outbox in a loop (with SEARCH_INDEXER=worker); only one runs per database. Ctrl-C stops."""
    from app.search.worker_lock import WorkerRunning, sole_worker

    indexer = _state().indexer
    standby = lambda: click.echo("Another search worker is running: standing by.")  # noqa: E731
    try:
        with sole_worker(wait=not no_wait, on_standby=standby):
            click.echo("Search worker running; Ctrl-C to stop.")
            indexer.run_forever(poll=poll)
    except WorkerRunning as running:
        raise click.ClickException(str(running)) from running
    except KeyboardInterrupt:
        indexer.stop()
