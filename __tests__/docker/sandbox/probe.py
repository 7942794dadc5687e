"""Runs inside the sandbox as the container user: starts the image's entrypoint (`server`) with
the task's environment, waits until the server answers on its port or exits, then stops it and
prints one JSON line: {"answered": bool, "status": int|null, "exitCode": int|null, "output": str,
"uid": int, "gid": int, "rootWritable": bool, "healthCheck": {"exitCode": int, "output": str}|null}.
With PROBE_HEALTHCHECK=<path> in the environment file, the container health check runs once the
server answered (inside the sandbox, so the database is unreachable: that is not counted).

    python probe.py <environment.json> <entrypoint.py> <seconds>
"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request


def root_writable():
    try:
        with open("/.probe-write-test", "w", encoding="utf-8"):
            return True
    except OSError:
        return False


def main(env_file, entrypoint, seconds):
    with open(env_file, encoding="utf-8") as handle:
        env = json.load(handle)
    port = env.get("PROBE_PORT", "5000")
    proc = subprocess.Popen(
        [sys.executable, entrypoint, "server"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    status, deadline = None, time.monotonic() + float(seconds)
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            status = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status
            break
        except Exception:  # noqa: BLE001 (not up yet)
            time.sleep(0.2)
    health = None
    if status is not None and env.get("PROBE_HEALTHCHECK"):
        check = subprocess.run([sys.executable, env["PROBE_HEALTHCHECK"]], env=env, capture_output=True, text=True, timeout=30)
        health = {"exitCode": check.returncode, "output": check.stdout + check.stderr}
    exit_code = proc.poll()
    if exit_code is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    output = proc.stdout.read().decode("utf-8", "replace")
    print(json.dumps({
        "answered": status is not None, "status": status, "exitCode": exit_code, "output": output,
        "uid": os.getuid(), "gid": os.getgid(), "rootWritable": root_writable(), "healthCheck": health,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
