"""`flask jobs worker` for a test's own database, as a process the test can kill:

python -m tests.support.job_worker --directory <the app's database directory> [--schema <PostgreSQL schema>]
    [--mail-port 2525]
"""

import argparse
from pathlib import Path

from app import create_app
from tests.support.database import config_for


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--directory", type=Path, required=True)
    parser.add_argument("--schema", default=None)
    parser.add_argument("--mail-port", type=int, default=None)
    options = parser.parse_args()
    config = config_for(options.directory, options.schema)
    config.JOBS_RUNNER = "worker"
    if options.mail_port:
        config.MAIL_SERVER, config.MAIL_PORT = "127.0.0.1", options.mail_port
    app = create_app(config)
    app.extensions["majlis_jobs"].run_forever(poll=0.1)


if __name__ == "__main__":
    main()
