"""Deferred jobs: the one way work leaves a request to run after its commit (app/jobs/queue.py).

Infrastructure: it imports no domain. A domain registers the kinds it enqueues
(`jobs.register(kind, handler)`) in its own init_app."""

from app.jobs.queue import enqueue, register

__all__ = ["enqueue", "register", "init_app"]


def init_app(app):
    """The runner for JOBS_RUNNER, the after-commit wake-up and `flask jobs`."""
    from app.core import after_commit, page_cache
    from app.jobs import models  # noqa: F401  (the jobs table)
    from app.jobs.cli import jobs_cli
    from app.jobs.queue import WAKE_KIND, JobRunner, _after_commit

    page_cache.register_private_tables("jobs")
    runner = JobRunner(app, app.config.get("JOBS_RUNNER", "background"))
    app.extensions["majlis_jobs"] = runner
    after_commit.register(WAKE_KIND, _after_commit)
    app.cli.add_command(jobs_cli)
    if runner.mode == "background":
        app.before_request(lambda: runner.start_background())
