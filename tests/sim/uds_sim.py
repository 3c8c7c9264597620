#!/usr/bin/env python3
"""Unified CM UDS clusterUser simulator for j2w-dns-check --uds-probe tests (stdlib only).

Serves GET /cucm-uds/clusterUser?username=U or ?email=E over HTTPS with the
documented answer shapes (developer.cisco.com, UDS System Resources):
  found:     <clusterUser ...><result found="true" .../><homeCluster ...>HOST</homeCluster>...
  not found: <clusterUser ...><result found="false"/></clusterUser>
Users come from --user NAME=EMAIL (repeatable); --home HOST names the home cluster.
--status N answers every request with HTTP N instead. Every request line is logged.
"""
import argparse
import http.server
import os
import ssl
import sys
import urllib.parse
from xml.sax.saxutils import escape, quoteattr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--user", action="append", default=[])
    ap.add_argument("--home", default="cucm-pub.example.com")
    ap.add_argument("--status", type=int, default=200)
    ap.add_argument("--log", default=None)
    args = ap.parse_args()
    users = {}
    for u in args.user:
        name, _, mail = u.partition("=")
        users[name.lower()] = mail.lower()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, fmt, *a):
            if args.log:
                with open(args.log, "a") as f:
                    f.write(self.requestline + "\n")

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            q = urllib.parse.parse_qs(url.query)
            if url.path != "/cucm-uds/clusterUser":
                self.send_error(404)
                return
            if args.status != 200:
                self.send_error(args.status)
                return
            found = False
            if "username" in q:
                found = q["username"][0].lower() in users
            elif "email" in q:
                found = q["email"][0].lower() in users.values()
            else:
                self.send_error(400)
                return
            host = self.headers.get("Host", "")
            uri = quoteattr("https://%s%s" % (host, self.path))
            if found:
                body = ('<clusterUser version="14.0.1" uri=%s>'
                        '<result found="true" version="14.0.1"/>'
                        '<homeCluster serversUri="https://%s:8443/cucm-uds/servers">%s</homeCluster>'
                        '<homeClusterDetails><selfProvisioningSecureMode>true</selfProvisioningSecureMode>'
                        '</homeClusterDetails></clusterUser>') % (uri, escape(args.home), escape(args.home))
            else:
                body = '<clusterUser version="14.0.1" uri=%s><result found="false"/></clusterUser>' % uri
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
