"""A client of an mproc cluster's HTTP endpoints, standard library only.

    from mproc_client import Cluster
    cluster = Cluster("http://127.0.0.1:5801", token)   # the URL and token `run.sh cluster` prints
    cluster.send("mproc.demo.square", {"n": 7})         # -> {"n": 7, "square": 49, ...}
    cluster.status()                                    # -> [{"worker": ..., "host": ..., "pid": ...}, ...]

From the shell: python3 mproc_client.py URL TOKEN send ADDRESS JSON | status
(the token may also come from MPROC_TOKEN). Failures raise MprocError with the HTTP status
and the cluster's one-line reason (401 token, 403 address not reachable, 404 no handler,
502 the handler failed, 504 no reply in time).
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class MprocError(Exception):
    """The cluster refused or failed a request: .status is the HTTP status, str() the reason."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status


class Cluster:
    def __init__(self, url, token, timeout=30.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def send(self, address, body, timeout=10.0):
        """Sends `body` (anything JSON can hold but None) to `address`; returns the reply, decoded."""
        path = "/eventbus/" + urllib.parse.quote(address, safe="") + "?timeout=" + str(timeout)
        return self._call("POST", path, json.dumps(body).encode("utf-8"), timeout + 5)

    def status(self):
        """Every worker JVM of the cluster, as `run.sh status --json` lists them."""
        return self._call("GET", "/api/status", None, self.timeout)

    def _call(self, method, path, data, timeout):
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + self.token,
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                reason = json.loads(text).get("error", text)
            except ValueError:
                reason = text
            raise MprocError(e.code, reason) from None


def main(argv):
    if len(argv) < 3 or argv[2] not in ("send", "status") or (argv[2] == "send" and len(argv) != 5):
        print("usage: mproc_client.py URL TOKEN send ADDRESS JSON | status   (TOKEN '-': $MPROC_TOKEN)", file=sys.stderr)
        return 2
    token = os.environ.get("MPROC_TOKEN", "") if argv[1] == "-" else argv[1]
    cluster = Cluster(argv[0], token)
    try:
        reply = cluster.send(argv[3], json.loads(argv[4])) if argv[2] == "send" else cluster.status()
    except MprocError as e:
        print("mproc_client: %s (HTTP %d)" % (e, e.status), file=sys.stderr)
        return 1
    print(json.dumps(reply))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
