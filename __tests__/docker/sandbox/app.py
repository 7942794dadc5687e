"""The trivial WSGI app the `mlflow` stand-in serves: 200 on every path."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"OK\n"]
