#!/usr/bin/env python3
"""bench/ready.py: how long `weft serve` takes from exec to accepting connections, and its idle RSS.

Seeds a data dir once (a first start creates the database, then stops), then starts the server
RUNS times on it: each time from just before fork+exec until a TCP connect to its port succeeds
(tried every 0.5 ms), then its RSS after IDLE_MS of idling, then SIGTERM. Prints each run and the
median, min and max. Everything listens on 127.0.0.1 and every server it starts is stopped.
Usage: bench/ready.py WEFT_BINARY [RUNS=20] [IDLE_MS=500]
"""
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

KEY = "f" * 64


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start(weft, data, port, log):
    env = dict(os.environ, WEFT_MASTER_KEY=KEY, WEFT_SETUP_TOKEN="bench-setup-token")
    began = time.perf_counter()
    proc = subprocess.Popen([weft, "--data-dir", data, "serve", "--listen", f"127.0.0.1:{port}"],
                            env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    deadline = began + 10
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, (time.perf_counter() - began) * 1000
        if proc.poll() is not None or time.perf_counter() > deadline:
            proc.kill()
            proc.wait()
            sys.exit(f"weft serve did not start (exit {proc.returncode}); see {log.name}")
        time.sleep(0.0005)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    weft = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    idle_ms = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    with tempfile.TemporaryDirectory(prefix="weft-ready-") as tmp:
        data = os.path.join(tmp, "data")
        with open(os.path.join(tmp, "serve.log"), "w") as log:
            proc, _ = start(weft, data, free_port(), log)  # creates and migrates the database
            stop(proc)
            ready, rss = [], []
            for i in range(runs):
                proc, ms = start(weft, data, free_port(), log)
                try:
                    time.sleep(idle_ms / 1000)
                    kb = rss_kb(proc.pid)
                finally:
                    stop(proc)
                ready.append(ms)
                rss.append(kb / 1024)
                print(f"run {i + 1}: ready {ms:.1f} ms, idle RSS {kb / 1024:.1f} MB")
    print(f"ready (exec -> accepting): median {statistics.median(ready):.1f} ms, "
          f"min {min(ready):.1f}, max {max(ready):.1f} ({runs} starts)")
    print(f"idle RSS after {idle_ms} ms: median {statistics.median(rss):.1f} MB, "
          f"min {min(rss):.1f}, max {max(rss):.1f}")


if __name__ == "__main__":
    main()
