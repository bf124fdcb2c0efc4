#!/usr/bin/env python3
"""A loopback stand-in for ALeRCE's API, for bench/load.sh only.

Serves /alerce/objects/?page=&page_size= as the real API pages (ALeRCE-shaped objects, `count` of them, each page
after `--page-delay` seconds, so a run ingests slowly enough to overlap the load test), /alerce/objects/<oid>/lightcurve
(the recorded fixture light curve) and /alerce/classifiers. Listens on 127.0.0.1 only.
"""
import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "TomAlerts.Brokers.Tests" / "Fixtures" / "alerce"


def item(i):
    return {
        "oid": f"ZTF24load{i:07d}", "ndethist": "14", "ncovhist": 1180, "mjdstarthist": 60237.48124,
        "mjdendhist": 60282.29437, "corrected": False, "stellar": False, "ndet": 12, "g_r_max": -0.07268143,
        "g_r_max_corr": None, "g_r_mean": -0.0995283, "g_r_mean_corr": None, "firstmjd": 60240.41234,
        "lastmjd": 60282.29437 + i * 1e-4, "deltajd": 41.88, "meanra": (i * 0.0359) % 360,
        "meandec": -89 + (i * 0.0179) % 178, "sigmara": 3.07e-05, "sigmadec": 4.52e-05, "class": "SNIa",
        "classifier": "lc_classifier", "probability": 0.5 + (i % 50) / 100.0, "step_id_corr": "23.10.13a1",
    }


def make_handler(count, page_delay):
    lightcurve = (FIXTURES / "lightcurve_ZTF23abtfusv.json").read_bytes()
    classifiers = (FIXTURES / "classifiers.json").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            url = urlparse(self.path)
            if url.path.endswith("/lightcurve"):
                return self.reply(lightcurve)
            if url.path.startswith("/alerce/classifiers"):
                return self.reply(classifiers)
            if url.path.startswith("/alerce/objects"):
                query = parse_qs(url.query)
                page = int(query.get("page", ["1"])[0])
                size = int(query.get("page_size", ["10"])[0])
                time.sleep(page_delay)
                items = [item(i) for i in range((page - 1) * size, min(count, page * size))]
                more = page * size < count
                body = {"total": count, "page": None, "next": page + 1 if more else None, "has_next": more,
                        "prev": page - 1 if page > 1 else None, "has_prev": page > 1, "items": items}
                return self.reply(json.dumps(body).encode())
            self.reply(b'{"message": "The requested URL was not found on the server."}', 404)

        def reply(self, body, status=200):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--page-delay", type=float, default=1.0)
    args = parser.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.alerts, args.page_delay)).serve_forever()
