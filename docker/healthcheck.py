#!/usr/bin/env python3
"""Container health check of the MLflow image (ECS runs it inside the container, as the container
user, with the container's environment; see HEALTH_CHECK_COMMAND in src/image/contract.ts).

Healthy (exit 0) when both hold:
  1. the server answers 200 on http://127.0.0.1:5000/;
  2. the database accepts the credentials this container was started with: a new connection is
     opened with MLFLOW_DB_* (the password ECS injected from Secrets Manager when the task started).

Unhealthy (exit 1) when the server does not answer, or when the database rejects the login
("password authentication failed"). That is what happens after RDS rotates an RDS-managed master
password (every 7 days): the running task still holds the old password, its new connections fail,
and only a new task reads the current secret. The failing check makes ECS replace the task.

A database that cannot be reached (network, failover, timeout) does NOT fail the check: a new task
would not reach it either, and replacing every task during a database outage only adds churn (the
alarms and the load balancer report that case).

Options: --url URL (default http://127.0.0.1:5000/), -h/--help. It prints one line saying why.
The environment is read and validated by the entrypoint's own code (mlflow-entrypoint.py beside
this file), so both agree on the variables.
"""
import importlib.util
import os
import re
import sys
import urllib.request

HTTP_TIMEOUT_SECONDS = 3
DB_CONNECT_TIMEOUT_SECONDS = 4
DEFAULT_URL = "http://127.0.0.1:5000/"
# libpq's wording for a rejected login (password, or PAM/IAM): the server sends SQLSTATE 28P01 /
# 28000, which psycopg2 does not expose for connection errors, so the message is matched.
REJECTED_LOGIN = re.compile(r"authentication failed for user", re.IGNORECASE)
EXIT_HEALTHY = 0
EXIT_UNHEALTHY = 1


def load_entrypoint():
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("mlflow-entrypoint.py", "entrypoint.py"):
        path = os.path.join(here, name)
        if os.path.exists(path):
            spec = importlib.util.spec_from_file_location("mlflow_entrypoint", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise FileNotFoundError(f"no mlflow-entrypoint.py beside {__file__}")


def check_http(url):
    try:
        status = urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_SECONDS).status
    except Exception as err:  # noqa: BLE001 (any failure to answer is unhealthy)
        return False, f"server: no answer on {url} ({err.__class__.__name__})"
    return status == 200, f"server: {url} answered {status}"


def check_database(db, connect):
    """(healthy, reason). `connect` is psycopg2.connect (a parameter for the tests)."""
    try:
        conn = connect(
            host=db["host"], port=db["port"], dbname=db["name"], user=db["user"], password=db["password"],
            sslmode=db["sslmode"], connect_timeout=DB_CONNECT_TIMEOUT_SECONDS, application_name="mlflow-healthcheck",
        )
    except Exception as err:  # noqa: BLE001 (psycopg2.Error and socket errors alike)
        message = str(err).strip().splitlines()[0] if str(err).strip() else err.__class__.__name__
        if REJECTED_LOGIN.search(str(err)):
            return False, f"database: login rejected for user '{db['user']}' (the password this task started with is no longer valid; rotated?)"
        return True, f"database: not reachable, not counted against this task ({message})"
    conn.close()
    return True, "database: login accepted"


def main(argv, env):
    if "-h" in argv or "--help" in argv:
        sys.stdout.write(__doc__)
        return EXIT_HEALTHY
    url = DEFAULT_URL
    if "--url" in argv:
        url = argv[argv.index("--url") + 1]
    entrypoint = load_entrypoint()
    try:
        config = entrypoint.read_config(env, "db-upgrade")
    except entrypoint.ConfigError as err:
        sys.stdout.write(f"unhealthy: {len(err.problems)} problem(s) in the environment: {'; '.join(err.problems)}\n")
        return EXIT_UNHEALTHY
    http_ok, http_reason = check_http(url)
    import psycopg2  # noqa: PLC0415 (in the image; imported late so --help works without it)

    db_ok, db_reason = check_database(config["db"], psycopg2.connect)
    healthy = http_ok and db_ok
    sys.stdout.write(f"{'healthy' if healthy else 'unhealthy'}: {http_reason}; {db_reason}\n")
    return EXIT_HEALTHY if healthy else EXIT_UNHEALTHY


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], dict(os.environ)))
