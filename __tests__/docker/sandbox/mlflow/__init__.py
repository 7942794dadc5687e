"""Stand-in for the `mlflow` package in the read-only-root sandbox test (see cli.py)."""
