#!/usr/bin/env python3
"""Entrypoint of the MLflow image: turns the environment ECS injects into an `mlflow` command line.

Modes (first argument; default `server`):
  server       exec `mlflow server` with the Postgres backend store, S3 artifacts and gunicorn options
  db-upgrade   exec `mlflow db upgrade <backend store URI>` (the one-off migration task)

Options:
  --print-command   print the command as JSON (password masked) instead of running it; the same
                    as MLFLOW_ENTRYPOINT_DRY_RUN=1. The basic-auth config file is still written.
  --print-contract  print the environment variable names this entrypoint reads, as JSON
  -h, --help        this text
  (--launch-fd N    internal: how the entrypoint re-executes itself to run mlflow, see below)

Environment: see CONTRACT below; the names are the values of IMAGE_ENV in src/image/contract.ts
(a test keeps the two equal). Every missing or invalid variable is reported at once, exit code 2;
a value is echoed masked (a `user:password@` part becomes `user:***@`, control characters are
escaped, long values are cut), so a credential put in the wrong variable is not logged.
The password is URL-encoded into the URI and never printed. It never appears in a command line:
the entrypoint re-executes the Python interpreter (no shell) with an environment from which
MLFLOW_DB_PASSWORD and MLFLOW_AUTH_ADMIN_PASSWORD are removed, hands MLflow's arguments over an
inherited pipe, and runs the `mlflow` command in that process (mlflow.cli). Only MLflow's own
hand-over of the backend store URI to its gunicorn workers (an environment variable MLflow sets)
remains.

Standard library only: this file runs before anything else in the container and in the tests.
"""
import json
import os
import re
import sys
from urllib.parse import quote

# The contract with the stacks (src/image/contract.ts IMAGE_ENV): key -> environment variable name.
CONTRACT = {
    "dbHost": "MLFLOW_DB_HOST",
    "dbPort": "MLFLOW_DB_PORT",
    "dbName": "MLFLOW_DB_NAME",
    "dbUser": "MLFLOW_DB_USER",
    "dbPassword": "MLFLOW_DB_PASSWORD",
    "dbSslMode": "MLFLOW_DB_SSLMODE",
    "artifactsMode": "MLFLOW_ARTIFACTS_MODE",
    "artifactsBucket": "MLFLOW_ARTIFACTS_BUCKET",
    "artifactsPrefix": "MLFLOW_ARTIFACTS_PREFIX",
    "gunicornWorkers": "MLFLOW_GUNICORN_WORKERS",
    "gunicornTimeout": "MLFLOW_GUNICORN_TIMEOUT",
    "authMode": "MLFLOW_AUTH",
    "authAdminPassword": "MLFLOW_AUTH_ADMIN_PASSWORD",
}

# Image-internal knobs (not part of the stack contract): where the basic-auth config is written
# (MLflow itself reads the same variable), and the dry-run switch used by the tests.
INTERNAL_ENV = {
    "authConfigPath": "MLFLOW_AUTH_CONFIG_PATH",
    "dryRun": "MLFLOW_ENTRYPOINT_DRY_RUN",
}

CONTAINER_PORT = 5000
LISTEN_HOST = "0.0.0.0"
DEFAULT_DB_PORT = 5432
DEFAULT_SSLMODE = "require"
ALLOWED_SSLMODES = ("require", "verify-ca", "verify-full")
WEAK_SSLMODES = ("disable", "allow", "prefer")
ARTIFACTS_MODES = ("proxied", "direct")
DEFAULT_ARTIFACTS_MODE = "proxied"
AUTH_MODES = ("none", "basic-auth")
DEFAULT_WORKERS = 4
DEFAULT_TIMEOUT_SECONDS = 120
DEFAULT_AUTH_CONFIG_PATH = "/tmp/mlflow-auth/basic_auth.ini"
AUTH_ADMIN_USERNAME = "admin"
AUTH_DB_SUFFIX = "_auth"
MASK = "***"
EXIT_CONFIG = 2
# Internal: the re-executed interpreter reads MLflow's arguments from this inherited file descriptor.
LAUNCH_FLAG = "--launch-fd"
# Removed from the environment of the MLflow process (and so of gunicorn and its workers).
SECRET_KEYS = ("dbPassword", "authAdminPassword")
SHOWN_MAX = 80
DUPLICATE_DATABASE = "42P04"  # PostgreSQL SQLSTATE duplicate_database

# RFC 1123 host names, dotted IPv4, or a bracketed IPv6 literal.
HOST_RE = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$")
# S3 bucket naming rules (3-63 characters, lower case, digits, dots and hyphens).
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
PREFIX_RE = re.compile(r"^[A-Za-z0-9!_.*'()/=+-]*$")
DB_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_$-]{0,62}$")


# `user:password@` in a value (with or without a scheme); the password part runs to the last '@'.
USERINFO_RE = re.compile(r"((?:[A-Za-z][A-Za-z0-9+.-]*://)?[^\s/:@]*):\S*@")


def shown(value):
    """A value as it may appear in a log line: password in userinfo masked, control characters
    escaped, cut after SHOWN_MAX characters."""
    masked = USERINFO_RE.sub(lambda m: m.group(1) + ":" + MASK + "@", value)
    masked = "".join(c if c.isprintable() else repr(c)[1:-1] for c in masked)
    if len(masked) > SHOWN_MAX:
        masked = masked[:SHOWN_MAX] + f"... ({len(value)} characters)"
    return "'" + masked + "'"


class ConfigError(Exception):
    """All configuration problems, reported together."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


def _get(env, key):
    value = env.get(CONTRACT[key])
    return value if value not in (None, "") else None


def _int_in_range(env, key, default, low, high, problems):
    raw = _get(env, key)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]+", raw) or not (low <= int(raw) <= high):
        problems.append(f"{CONTRACT[key]}: {shown(raw)} is not an integer between {low} and {high}")
        return default
    return int(raw)


def _secret_problems(name, value):
    """Values written into the ini file or the URI must survive configparser: one line, no edge spaces."""
    if any(c in value for c in "\r\n\x00"):
        return [f"{name}: must not contain line breaks or NUL characters"]
    if value != value.strip():
        return [f"{name}: must not start or end with whitespace"]
    return []


def read_config(env, mode):
    """Validates the environment for `mode` ('server' or 'db-upgrade'); raises ConfigError with every problem."""
    problems = []
    required = ["dbHost", "dbName", "dbUser", "dbPassword"]
    if mode == "server":
        required.append("artifactsBucket")
    for key in required:
        if _get(env, key) is None:
            problems.append(f"{CONTRACT[key]}: required but not set")

    host = _get(env, "dbHost")
    if host is not None and not HOST_RE.match(host):
        problems.append(f"{CONTRACT['dbHost']}: {shown(host)} is not a host name or IP address")
    name = _get(env, "dbName")
    if name is not None and not DB_NAME_RE.match(name):
        problems.append(
            f"{CONTRACT['dbName']}: {shown(name)} is not a database name (letters, digits, '_', '$', '-'; at most 63 characters)"
        )
    port = _int_in_range(env, "dbPort", DEFAULT_DB_PORT, 1, 65535, problems)
    password = _get(env, "dbPassword")
    if password is not None:
        problems += _secret_problems(CONTRACT["dbPassword"], password)

    sslmode = _get(env, "dbSslMode") or DEFAULT_SSLMODE
    if sslmode in WEAK_SSLMODES:
        problems.append(
            f"{CONTRACT['dbSslMode']}: {shown(sslmode)} is refused because it allows an unencrypted connection; "
            f"allowed: {', '.join(ALLOWED_SSLMODES)}"
        )
    elif sslmode not in ALLOWED_SSLMODES:
        problems.append(f"{CONTRACT['dbSslMode']}: {shown(sslmode)} is not an sslmode; allowed: {', '.join(ALLOWED_SSLMODES)}")

    auth = _get(env, "authMode") or "none"
    if auth not in AUTH_MODES:
        problems.append(f"{CONTRACT['authMode']}: {shown(auth)} is not supported; allowed: {', '.join(AUTH_MODES)}")
    admin_password = _get(env, "authAdminPassword")
    if auth == "basic-auth" and mode == "server":
        if admin_password is None:
            problems.append(f"{CONTRACT['authAdminPassword']}: required when {CONTRACT['authMode']}=basic-auth but not set")
        else:
            problems += _secret_problems(CONTRACT["authAdminPassword"], admin_password)

    config = {
        "mode": mode,
        "db": {
            "host": host,
            "port": port,
            "name": name,
            "user": _get(env, "dbUser"),
            "password": password,
            "sslmode": sslmode,
        },
        "auth": auth,
        "adminPassword": admin_password,
    }

    if mode == "server":
        artifacts_mode = _get(env, "artifactsMode") or DEFAULT_ARTIFACTS_MODE
        if artifacts_mode not in ARTIFACTS_MODES:
            problems.append(
                f"{CONTRACT['artifactsMode']}: {shown(artifacts_mode)} is not supported; allowed: {', '.join(ARTIFACTS_MODES)}"
            )
        bucket = _get(env, "artifactsBucket")
        if bucket is not None and (not BUCKET_RE.match(bucket) or ".." in bucket):
            problems.append(f"{CONTRACT['artifactsBucket']}: {shown(bucket)} is not a valid S3 bucket name")
        prefix = _get(env, "artifactsPrefix") or ""
        if not PREFIX_RE.match(prefix) or ".." in prefix.split("/"):
            problems.append(
                f"{CONTRACT['artifactsPrefix']}: {shown(prefix)} is not a safe S3 key prefix "
                "(letters, digits and !_.*'()/=+- only, no '..' segment)"
            )
        config["artifacts"] = {"mode": artifacts_mode, "bucket": bucket, "prefix": prefix.strip("/")}
        config["workers"] = _int_in_range(env, "gunicornWorkers", DEFAULT_WORKERS, 1, 64, problems)
        config["timeout"] = _int_in_range(env, "gunicornTimeout", DEFAULT_TIMEOUT_SECONDS, 1, 3600, problems)

    if problems:
        raise ConfigError(problems)
    return config


def postgres_uri(db, database=None, mask=False):
    """SQLAlchemy URI; user, password and database are percent-encoded (quote with safe='')."""
    password = MASK if mask else quote(db["password"], safe="")
    return "postgresql://{user}:{password}@{host}:{port}/{name}?sslmode={sslmode}".format(
        user=quote(db["user"], safe=""),
        password=password,
        host=db["host"],
        port=db["port"],
        name=quote(database or db["name"], safe=""),
        sslmode=db["sslmode"],
    )


def auth_database_name(db):
    """MLflow's basic-auth app keeps its users in its own database on the same server: its Alembic
    migrations use the default `alembic_version` table, the same as the tracking store's, so the two
    cannot share one database (mlflow 2.18; see docs/image.md)."""
    return db["name"] + AUTH_DB_SUFFIX


def artifacts_uri(artifacts):
    return f"s3://{artifacts['bucket']}/{artifacts['prefix']}" if artifacts["prefix"] else f"s3://{artifacts['bucket']}"


def build_command(config, mask=False):
    uri = postgres_uri(config["db"], mask=mask)
    if config["mode"] == "db-upgrade":
        return ["mlflow", "db", "upgrade", uri]
    argv = [
        "mlflow", "server",
        "--backend-store-uri", uri,
        "--host", LISTEN_HOST,
        "--port", str(CONTAINER_PORT),
        "--workers", str(config["workers"]),
        "--gunicorn-opts", f"--timeout {config['timeout']}",
    ]
    artifacts = config["artifacts"]
    if artifacts["mode"] == "proxied":
        argv += ["--serve-artifacts", "--artifacts-destination", artifacts_uri(artifacts)]
    else:
        argv += ["--no-serve-artifacts", "--default-artifact-root", artifacts_uri(artifacts)]
    if config["auth"] == "basic-auth":
        argv += ["--app-name", "basic-auth"]
    return argv


def _ini_value(value):
    # MLflow 2.18 reads the file with configparser.ConfigParser(), whose interpolation treats '%'
    # specially: a literal '%' (every percent-encoded URI has some) must be written as '%%'.
    return value.replace("%", "%%")


def basic_auth_ini(config):
    db = config["db"]
    lines = [
        "[mlflow]",
        "default_permission = READ",
        "database_uri = " + _ini_value(postgres_uri(db, database=auth_database_name(db))),
        "admin_username = " + AUTH_ADMIN_USERNAME,
        "admin_password = " + _ini_value(config["adminPassword"]),
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
    ]
    return "\n".join(lines) + "\n"


def write_basic_auth_ini(config, path):
    """Writes the config readable by the container user only (0600, in a 0700 directory)."""
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(basic_auth_ini(config))
    os.chmod(path, 0o600)


def ensure_database(db, database):
    """Creates `database` on the server if it does not exist (the basic-auth users database).

    Runs in the image, where psycopg2 is installed; imported here so that the rest of this file
    stays standard-library only."""
    import psycopg2  # noqa: PLC0415 (only present in the image)

    conn = psycopg2.connect(
        host=db["host"], port=db["port"], dbname=db["name"], user=db["user"],
        password=db["password"], sslmode=db["sslmode"],
    )
    try:
        conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cur.fetchone() is not None:
                return False
            try:
                # The name was validated (DB_NAME_RE) and is quoted as an identifier.
                cur.execute('CREATE DATABASE "{}"'.format(database.replace('"', '""')))
            except psycopg2.Error as err:
                if getattr(err, "pgcode", None) == DUPLICATE_DATABASE:  # another task won the race
                    return False
                raise
            return True
    finally:
        conn.close()


def usage():
    return __doc__


def child_environment(env, config, mode):
    """The MLflow process's environment: the task's, without the secrets the entrypoint consumed."""
    child_env = {k: v for k, v in env.items() if k not in [CONTRACT[key] for key in SECRET_KEYS]}
    if config["auth"] == "basic-auth" and mode == "server":
        child_env[INTERNAL_ENV["authConfigPath"]] = env.get(INTERNAL_ENV["authConfigPath"]) or DEFAULT_AUTH_CONFIG_PATH
    return child_env


def exec_mlflow(argv_real, child_env):
    """Replaces this process with `python <this file> --launch-fd N` (no shell): the arguments,
    which hold the password, travel through a pipe, never through argv or the environment."""
    read_fd, write_fd = os.pipe()
    payload = json.dumps(argv_real[1:]).encode("utf-8")
    if len(payload) > 60000:  # stays below the pipe buffer, so the write cannot block
        raise RuntimeError("mlflow arguments too long for the launch pipe")
    os.write(write_fd, payload)
    os.close(write_fd)
    os.set_inheritable(read_fd, True)
    interpreter = sys.executable or "python3"
    os.execve(interpreter, [interpreter, os.path.abspath(__file__), LAUNCH_FLAG, str(read_fd)], child_env)


def launch(fd_text):
    """Runs `mlflow <args>` in this process with the arguments read from the inherited pipe."""
    with os.fdopen(int(fd_text), "rb") as pipe:
        args = json.loads(pipe.read().decode("utf-8"))
    from mlflow.cli import cli  # noqa: PLC0415 (only present in the image)

    return cli.main(args=args, prog_name="mlflow")


def main(argv, env):
    args = list(argv)
    if "-h" in args or "--help" in args:
        sys.stdout.write(usage())
        return 0
    if len(args) == 2 and args[0] == LAUNCH_FLAG and args[1].isdigit():
        return launch(args[1])
    if "--print-contract" in args:
        payload = {
            "env": dict(sorted(CONTRACT.items())),
            "internalEnv": dict(sorted(INTERNAL_ENV.items())),
            "port": CONTAINER_PORT,
            "host": LISTEN_HOST,
            "defaultAuthConfigPath": DEFAULT_AUTH_CONFIG_PATH,
        }
        sys.stdout.write(json.dumps(payload, indent=2, sort_keys=True) + "\n")
        return 0
    dry_run = "--print-command" in args or env.get(INTERNAL_ENV["dryRun"]) == "1"
    positionals = [a for a in args if a != "--print-command"]
    unknown = [a for a in positionals if a.startswith("-")]
    if unknown or len(positionals) > 1 or (positionals and positionals[0] not in ("server", "db-upgrade")):
        sys.stderr.write(
            f"mlflow-entrypoint: unexpected arguments {shown(' '.join(args))}; expected [server|db-upgrade] [--print-command]\n"
        )
        return EXIT_CONFIG
    mode = positionals[0] if positionals else "server"

    try:
        config = read_config(env, mode)
    except ConfigError as err:
        sys.stderr.write(f"mlflow-entrypoint: cannot start ({mode}): {len(err.problems)} problem(s) in the environment:\n")
        for problem in err.problems:
            sys.stderr.write(f"  - {problem}\n")
        return EXIT_CONFIG

    child_env = child_environment(env, config, mode)
    if config["auth"] == "basic-auth" and mode == "server":
        write_basic_auth_ini(config, child_env[INTERNAL_ENV["authConfigPath"]])

    basic_auth = config["auth"] == "basic-auth"
    if dry_run:
        plan = {"mode": mode, "argv": build_command(config, mask=True)}
        if basic_auth:
            plan["ensureDatabase"] = auth_database_name(config["db"])
            if mode == "server":
                plan["authConfigPath"] = child_env[INTERNAL_ENV["authConfigPath"]]
        plan["removedFromEnvironment"] = sorted(k for k in env if k not in child_env)
        sys.stdout.write(json.dumps(plan, indent=2) + "\n")
        return 0

    if basic_auth:
        auth_db = auth_database_name(config["db"])
        created = ensure_database(config["db"], auth_db)
        sys.stderr.write(f"mlflow-entrypoint: basic-auth database '{auth_db}' {'created' if created else 'exists'}\n")
    sys.stderr.write(f"mlflow-entrypoint: exec {json.dumps(build_command(config, mask=True))}\n")
    sys.stderr.flush()
    exec_mlflow(build_command(config), child_env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], dict(os.environ)))
