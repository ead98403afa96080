#!/usr/bin/env python3
"""bench/queue_runs.py: queue runs of one workflow through the HTTP API, fast.

CLIENTS keep-alive connections POST /api/workflows/WF/runs (input {"i": n}) until RUNS runs were
accepted (202). A 503 (the database restarting), 429 or a dropped connection is retried after
100 ms, up to 200 times per run. Writes each accepted run id to OUT, one a line, and exits 1 if
any run could not be queued. Used by tests/chaos/chaos.sh and bench/queue_bench.sh.
Usage: bench/queue_runs.py BASE_URL TOKEN WORKFLOW_ID RUNS OUT [CLIENTS=8]
"""
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlparse


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    base, token, wf, runs, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    clients = int(sys.argv[6]) if len(sys.argv) > 6 else 8
    url = urlparse(base)
    ids, lock, lost = [], threading.Lock(), [0]

    def client(first, count):
        conn = None
        for i in range(first, first + count):
            for _ in range(200):
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
                    conn.request("POST", f"/api/workflows/{wf}/runs", json.dumps({"input": {"i": i}}),
                                 {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                    res = conn.getresponse()
                    body = res.read()
                    if res.status == 202:
                        with lock:
                            ids.append(json.loads(body)["runId"])
                        break
                except (OSError, http.client.HTTPException):
                    conn = None
                time.sleep(0.1)
            else:
                with lock:
                    lost[0] += 1

    per = (runs + clients - 1) // clients
    threads = [threading.Thread(target=client, args=(c * per, max(0, min(per, runs - c * per))))
               for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(out, "w") as f:
        f.write("".join(i + "\n" for i in ids))
    if lost[0]:
        sys.exit(f"queue_runs: {lost[0]} runs could not be queued")


if __name__ == "__main__":
    main()
