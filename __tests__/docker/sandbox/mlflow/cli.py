"""Stands in for `mlflow.cli` in the read-only-root sandbox test (MLflow itself is not installable
on this machine). The entrypoint runs `mlflow.cli.cli.main(args=..., prog_name="mlflow")` in a
re-executed interpreter (the password never reaches an argv); `server` starts gunicorn exactly as
MLflow 2.18 does
(mlflow/server/__init__.py, _build_gunicorn_command):

    [sys.executable, "-m", "gunicorn", *shlex.split(gunicorn_opts), "-b", f"{host}:{port}", "-w", str(workers), app_name]

with this directory's trivial WSGI app (`app:app`) in place of `mlflow.server:app`. Every other
option of `mlflow server` is accepted and ignored.
"""
import os
import shlex
import sys

VALUE_OPTIONS = {"--host", "--port", "--workers", "--gunicorn-opts"}


def options(argv):
    found, i = {}, 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
            found[name] = value
        elif arg in VALUE_OPTIONS and i + 1 < len(argv):
            found[arg] = argv[i + 1]
            i += 1
        i += 1
    return found


def server(argv):
    if not argv or argv[0] != "server":
        sys.stderr.write(f"mlflow stand-in: only `server` is implemented, got {argv!r}\n")
        return 2
    opts = options(argv[1:])
    host = opts.get("--host", "127.0.0.1")
    port = opts.get("--port", "5000")
    workers = opts.get("--workers", "4")
    gunicorn_opts = opts.get("--gunicorn-opts")
    command = [
        sys.executable, "-m", "gunicorn",
        *(shlex.split(gunicorn_opts) if gunicorn_opts else []),
        "-b", f"{host}:{port}", "-w", str(workers),
        "app:app",
    ]
    os.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # where app.py is
    os.execv(command[0], command)
    return 0


class _Cli:
    """The click group's `main`, as the entrypoint calls it."""

    def main(self, args, prog_name):
        raise SystemExit(server(list(args)))


cli = _Cli()
