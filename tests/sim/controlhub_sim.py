#!/usr/bin/env python3
"""controlhub_sim.py - the Webex API parts j2w-apply uses, on loopback, for j2w tests.

Serves People (GET /v1/people?email=, GET /v1/people list with Link paging,
GET /v1/people/{id}), UC Manager profiles (GET /v1/telephony/config/callingProfiles)
and calling behaviour (GET|PUT /v1/people/{id}/features/callingBehavior) from a
seeded org, following tests/specs/webex (webex-admin.json, webex-ucm.json) and
the calling-behaviour contract of developer.webex.com, "Read Person's Calling
Behavior" and "Configure a Person's Calling Behavior"
(https://developer.webex.com/docs/api/v1/webex-calling-person-settings):
Bearer token check, PUT answers 204, CISCOTEL clears profileId, null is the org
default. Misbehaves on demand: a rate limit (a token bucket: --rate, --burst,
429 + Retry-After), injected 5xx (500 included), 423, slow answers, dropped
connections, a token that expires after N requests, an outage that ends on the
same port (--outage-after/--outage-for), the whole org's Call Settings API
restricted (403), partner administration (--org-id: orgId on every request), and
an explicit network round trip (--rtt-ms). Each answer leaves in one write with
Nagle off, so the simulator adds no delay of its own.

Every write is appended to --write-log (one JSON line: person, email, before,
after, trackingId), so tests can assert exactly what changed. GET /_sim/state
returns the org's calling behaviours (no token needed; loopback only).
Python 3 standard library only; binds to 127.0.0.1 only.
"""

import argparse
import base64
import json
import os
import random
import signal
import socket
import ssl
import sys
import threading
import time
import uuid as uuidlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

BEHAVIORS = (
    "NATIVE_WEBEX_TEAMS_CALLING",
    "CALL_WITH_APP_REGISTERED_FOR_CISCOTEL",
    "CALL_WITH_APP_REGISTERED_FOR_TEL",
    "CALL_WITH_APP_REGISTERED_FOR_WEBEXCALLTEL",
    "NATIVE_SIP_CALL_TO_UCM",
)
CISCOTEL = "CALL_WITH_APP_REGISTERED_FOR_CISCOTEL"
MAX_BODY = 1 << 20
NS = uuidlib.UUID("6f1c0a52-7a39-4c51-9d3e-4f2a0c6b8e11")


def spark_id(kind, key):
    """A Webex-style ID: base64 of ciscospark://us/KIND/uuid, without padding."""
    u = uuidlib.uuid5(NS, kind + ":" + key)
    raw = ("ciscospark://us/%s/%s" % (kind, u)).encode()
    return base64.b64encode(raw).decode().rstrip("=")


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


class Org:
    """The org's people, profiles and calling behaviours, behind one lock."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.profiles = []
        self.people = []
        self.by_id = {}
        self.by_email = {}
        self.default_behavior = "NATIVE_WEBEX_TEAMS_CALLING"
        self.org_id = args.org_id or spark_id("ORGANIZATION", "example.com")
        if args.org:
            with open(args.org, encoding="utf-8") as f:
                seed = json.load(f)
            self.default_behavior = seed.get("orgDefaultBehavior", self.default_behavior)
            for p in seed.get("profiles", []):
                self.profiles.append({"id": p.get("id") or spark_id("CALLING_PROFILE", p["name"]),
                                      "name": p["name"]})
            for p in seed.get("people", []):
                self.add_person(p)
        if args.synthetic:
            for name in ("UC Profile US", "EMEA", "Contact Center"):
                if not any(p["name"] == name for p in self.profiles):
                    self.profiles.append({"id": spark_id("CALLING_PROFILE", name), "name": name})
            for i in range(args.synthetic):
                self.add_person({"emails": ["user%06d@bench.example.com" % i],
                                 "displayName": "User %06d" % i,
                                 "department": "Contact Center" if i % 5 == 0 else "Sales"})

    def add_person(self, p):
        email = p["emails"][0]
        person = {
            "id": p.get("id") or spark_id("PEOPLE", email.lower()),
            "emails": list(p["emails"]),
            "displayName": p.get("displayName", email),
            "firstName": p.get("firstName"),
            "lastName": p.get("lastName"),
            "department": p.get("department"),
            "orgId": self.org_id,
            "type": "person",
        }
        person = {k: v for k, v in person.items() if v is not None}
        cb = p.get("callingBehavior", {})
        profile = cb.get("profile")
        pid = cb.get("profileId")
        if profile is not None:
            pid = self.profile_id(profile)
            if pid is None:
                raise ValueError("person %s: no profile named %r" % (email, profile))
        self.people.append(person)
        self.by_id[person["id"]] = person
        self.by_email[email.lower()] = person
        person["_behavior"] = cb.get("behaviorType")
        person["_profileId"] = None if person["_behavior"] == CISCOTEL else pid

    def profile_id(self, name):
        for p in self.profiles:
            if p["name"] == name:
                return p["id"]
        return None

    def profile_name(self, pid):
        for p in self.profiles:
            if p["id"] == pid:
                return p["name"]
        return pid

    def behavior(self, person):
        bt = person["_behavior"]
        return {"behaviorType": bt,
                "effectiveBehaviorType": bt if bt is not None else self.default_behavior,
                "profileId": person["_profileId"]}

    @staticmethod
    def public(person):
        return {k: v for k, v in person.items() if not k.startswith("_")}

    def state(self):
        return {p["emails"][0].lower(): {"behavior": p["_behavior"],
                                         "profile": self.profile_name(p["_profileId"])
                                         if p["_profileId"] else None}
                for p in self.people}


class Sim:
    def __init__(self, args):
        self.args = args
        self.org = Org(args)
        self.tokens = None
        if args.token_file:
            with open(args.token_file) as f:
                self.tokens = [t.rstrip("\r\n") for t in f if t.strip()]
        self.rng = random.Random(args.seed)
        self.rng_lock = threading.Lock()
        self.counter_lock = threading.Lock()
        self.authed = 0
        self.api_requests = 0
        self.answers_lost = {}
        for spec in args.lose_answers:
            kind, n = spec.split(":")
            self.answers_lost[kind] = int(n)
        self.outage_start = None
        self.forbid_start = None
        self.bucket = float(args.burst if args.burst else (args.rate or 0))
        self.bucket_at = time.monotonic()
        self.log_lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.write_log = open(args.write_log, "a", buffering=1) if args.write_log else None
        self.stats = {"requests": 0, "429": 0, "503": 0, "5xx": 0, "423": 0, "403": 0,
                      "dropped": 0, "outage": 0, "writes": 0, "lost": 0}
        self.spaces = Spaces(args, self.org)

    def count(self, key, n=1):
        with self.counter_lock:
            self.stats[key] += n

    def lose_answer(self, kind):
        """Whether the answer to a write of kind (rooms, messages) that was done gets lost."""
        with self.counter_lock:
            if self.answers_lost.get(kind, 0) <= 0:
                return False
            self.answers_lost[kind] -= 1
            self.stats["lost"] += 1
            return True

    def chance(self, p):
        if p <= 0:
            return False
        with self.rng_lock:
            return self.rng.random() < p

    def next_request(self):
        """Numbers an API request from 1; starts the outage at the request that begins it."""
        with self.counter_lock:
            self.stats["requests"] += 1
            self.api_requests += 1
            n = self.api_requests
            a = self.args
            if a.outage_after is not None and n > a.outage_after and self.outage_start is None:
                self.outage_start = time.monotonic()
            return n

    def outage_left(self):
        """Seconds the outage still lasts (0 when the service is up)."""
        if self.outage_start is None:
            return 0.0
        return max(0.0, self.outage_start + self.args.outage_for - time.monotonic())

    def forbidden(self, n):
        """Whether the org's Call Settings API access is restricted for request n."""
        a = self.args
        if a.forbid_calling_after is None or n <= a.forbid_calling_after:
            return False
        with self.counter_lock:
            if self.forbid_start is None:
                self.forbid_start = time.monotonic()
            return time.monotonic() < self.forbid_start + a.forbid_calling_for

    def take_token(self):
        """The rate limit: a token bucket of --rate per second, --burst deep, full at start."""
        if not self.args.rate:
            return True
        with self.counter_lock:
            now = time.monotonic()
            cap = float(self.args.burst or self.args.rate)
            self.bucket = min(cap, self.bucket + (now - self.bucket_at) * self.args.rate)
            self.bucket_at = now
            if self.bucket >= 1.0:
                self.bucket -= 1.0
                return True
            return False

    def record(self, entry, writes=False):
        line = json.dumps(entry, sort_keys=True) + "\n"
        with self.log_lock:
            f = self.write_log if writes else self.log
            if f:
                f.write(line)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # no Nagle: an answer is one write (answer()), so it never waits for a delayed ACK
    disable_nagle_algorithm = True
    server_version = "controlhub-sim"
    sys_version = ""

    def log_message(self, fmt, *args):
        if self.server.sim.args.verbose:
            sys.stderr.write("controlhub_sim: " + (fmt % args) + "\n")

    # --- answering -------------------------------------------------------

    def answer(self, status, obj=None, headers=None):
        """Writes status line, headers and body in one segment, after half the round trip."""
        sim = self.server.sim
        tid = "ROUTER_" + str(uuidlib.uuid4()).upper()
        body = b""
        if obj is not None:
            if status >= 400 and isinstance(obj, dict):
                obj.setdefault("trackingId", tid)
            body = json.dumps(obj).encode()
        head = ["HTTP/1.1 %d %s" % (status, self.responses.get(status, ("",))[0]),
                "Server: controlhub-sim", "Trackingid: " + tid]
        if body:
            head.append("Content-Type: application/json;charset=UTF-8")
        head.append("Content-Length: %d" % len(body))
        for k, v in (headers or {}).items():
            head.append("%s: %s" % (k, v))
        if self.close_connection:
            head.append("Connection: close")
        if sim.args.rtt_ms:
            time.sleep(sim.args.rtt_ms / 2000.0)  # the way back
        try:
            self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        except OSError:
            self.close_connection = True
        sim.record({"t": round(time.time(), 3), "method": self.command, "path": self.path,
                    "status": status, "tracking_id": self.headers.get("TrackingID")})
        return tid

    def error(self, status, message, headers=None, code=None):
        e = {"description": message}
        if code is not None:
            e["errorCode"] = code
        return self.answer(status, {"message": message, "errors": [e]}, headers)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > MAX_BODY:
            return None
        return self.rfile.read(n) if n else b""

    def drop(self, what):
        """Closes the connection without an answer."""
        sim = self.server.sim
        sim.count(what)
        sim.record({"t": round(time.time(), 3), "method": self.command, "path": self.path,
                    "status": None, "dropped": what})
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # --- faults, in the order a real gateway would apply them --------------

    def faults(self, url, q):
        """Returns True when a fault answered (or dropped) the request."""
        sim = self.server.sim
        a = sim.args
        n = sim.next_request()
        if a.rtt_ms:
            time.sleep(a.rtt_ms / 2000.0)  # the way there
        if a.latency_ms:
            time.sleep(a.latency_ms / 1000.0)
        if a.slow_rate and sim.chance(a.slow_rate):
            time.sleep(a.slow_ms / 1000.0)
        left = sim.outage_left()
        if left > 0:
            sim.count("outage")
            if a.outage_mode == "hang":
                time.sleep(left)
                self.drop("dropped")
            elif a.outage_mode == "drop":
                self.drop("dropped")
            else:
                sim.count("5xx")
                self.error(int(a.outage_mode), "Service Unavailable. Try again later.")
            return True
        if a.drop_rate and sim.chance(a.drop_rate):
            self.drop("dropped")
            return True
        auth = self.headers.get("Authorization", "")
        if sim.tokens is not None:
            tok = auth[7:] if auth.startswith("Bearer ") else None
            if tok not in sim.tokens:
                self.error(401, "The request requires a valid access token set in the "
                           "Authorization request header.")
                return True
            with sim.counter_lock:
                expired = False
                if tok == sim.tokens[0]:
                    sim.authed += 1
                    expired = a.expire_after is not None and sim.authed > a.expire_after
            if expired:
                self.error(401, "The request requires a valid access token set in the "
                           "Authorization request header.")
                return True
        org = q.get("orgId", [None])[0]
        if org is not None and org != sim.org.org_id:
            sim.count("403")
            self.error(403, "You are not authorized to access this organization.")
            return True
        if not sim.take_token():
            sim.count("429")
            self.error(429, "Too Many Requests", {"Retry-After": str(a.retry_after)})
            return True
        if a.fail_rate and sim.chance(a.fail_rate):
            sim.count("5xx")
            if a.fail_status == 503:
                sim.count("503")
            self.error(a.fail_status, "Service Unavailable. Try again later." if a.fail_status != 500
                       else "Internal Server Error.")
            return True
        if a.locked_rate and self.command == "PUT" and sim.chance(a.locked_rate):
            sim.count("423")
            self.error(423, "The resource is temporarily locked.", {"Retry-After": "1"})
            return True
        if url.path.endswith("/features/callingBehavior"):
            pid = unquote(url.path.split("/")[3]) if url.path.count("/") >= 5 else ""
            with sim.org.lock:
                p = sim.org.by_id.get(pid)
            email = p["emails"][0].lower() if p is not None else None
            if sim.forbidden(n) or email in a.forbid_email:
                sim.count("403")
                self.error(403, "Access Forbidden. Call Settings API access is restricted "
                           "for this organization.")
                return True
            if email in a.fail_email:
                sim.count("5xx")
                self.error(a.fail_status, "Internal Server Error.")
                return True
        return False

    def own_org(self, q):
        """A partner's request without orgId lands in the partner's own org, which has nobody."""
        return self.server.sim.args.org_id is not None and "orgId" not in q

    # --- routes ----------------------------------------------------------

    def do_GET(self):
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        if url.path == "/_sim/state":
            with self.server.sim.org.lock:
                state = self.server.sim.org.state()
            with self.server.sim.counter_lock:
                stats = dict(self.server.sim.stats)
            self.answer(200, {"people": state, "stats": stats})
            return
        if url.path == "/_sim/spaces":
            self.answer(200, self.server.sim.spaces.dump())
            return
        if self.faults(url, q):
            return
        parts = [unquote(p) for p in url.path.split("/")]
        org = self.server.sim.org
        if self.spaces_get(url, q):
            return
        if url.path == "/v1/people":
            self.list_people(q)
        elif url.path == "/v1/telephony/config/callingProfiles":
            self.list_profiles(q)
        elif len(parts) == 4 and parts[1:3] == ["v1", "people"]:
            with org.lock:
                p = None if self.own_org(q) else org.by_id.get(parts[3])
                body = org.public(p) if p else None
            if body is None:
                self.error(404, "Person not found.")
            else:
                self.answer(200, body)
        elif len(parts) == 6 and parts[1:3] == ["v1", "people"] and parts[4:] == ["features", "callingBehavior"]:
            with org.lock:
                p = None if self.own_org(q) else org.by_id.get(parts[3])
                body = org.behavior(p) if p else None
            if body is None:
                self.error(404, "Person not found.", code=4008)
            else:
                self.answer(200, body)
        else:
            self.error(404, "The requested resource could not be found.")

    def page(self, items, q, base, default_max, cap):
        """Link rel=next paging as Webex does it: max per page, a cursor in the next URL."""
        try:
            size = int(float(q.get("max", [str(default_max)])[0]))
            start = int(q.get("cursor", ["0"])[0])
        except ValueError:
            self.error(400, "Invalid max or cursor.")
            return None
        size = max(1, min(size, cap))
        chunk = items[start:start + size]
        headers = {}
        if start + size < len(items):
            host = "127.0.0.1:%d" % self.server.server_address[1]
            keep = {} if self.server.sim.args.next_drops_params else q
            rest = "&".join("%s=%s" % (k, quote(v[0], safe="")) for k, v in keep.items()
                            if k not in ("max", "cursor"))
            scheme = "https" if self.server.tls else "http"
            nxt = "%s://%s%s?%smax=%d&cursor=%d" % (scheme, host, base, rest + "&" if rest else "",
                                                    size, start + size)
            headers["Link"] = '<%s>; rel="next"' % nxt
        return chunk, headers

    def list_people(self, q):
        """GET /people: by email, by up to 85 ids (notFoundIds), or the whole org, paged."""
        org = self.server.sim.org
        extra = {}
        with org.lock:
            if self.own_org(q):
                items = []
            elif "email" in q:
                p = org.by_email.get(q["email"][0].lower())
                items = [org.public(p)] if p else []
            elif "id" in q:
                ids = [i for i in q["id"][0].split(",") if i]
                if len(ids) > 85:
                    self.error(400, "At most 85 person IDs may be given.")
                    return
                items = [org.public(org.by_id[i]) for i in ids if i in org.by_id]
                missing = [i for i in ids if i not in org.by_id]
                if missing:
                    extra["notFoundIds"] = missing
            else:
                items = [org.public(p) for p in org.people]
        r = self.page(items, q, "/v1/people", 100, self.server.sim.args.people_max)
        if r:
            body = {"items": r[0]}
            body.update(extra)
            self.answer(200, body, r[1])

    def list_profiles(self, q):
        org = self.server.sim.org
        with org.lock:
            items = [] if self.own_org(q) else list(org.profiles)
        r = self.page(items, q, "/v1/telephony/config/callingProfiles",
                      self.server.sim.args.profile_page or 1000, 1000)
        if r:
            self.answer(200, {"callingProfiles": r[0]}, r[1])

    def do_PUT(self):
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        parts = [unquote(p) for p in url.path.split("/")]
        body = self.read_body()
        if self.faults(url, q):
            return
        if not (len(parts) == 6 and parts[1:3] == ["v1", "people"] and parts[4:] == ["features", "callingBehavior"]):
            self.error(404, "The requested resource could not be found.")
            return
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            self.error(415, "Content-Type must be application/json.")
            return
        try:
            req = json.loads(body.decode("utf-8")) if body else None
        except (ValueError, UnicodeDecodeError):
            req = None
        if not isinstance(req, dict):
            self.error(400, "The request body is not a JSON object.", code=25008)
            return
        unknown = set(req) - {"behaviorType", "profileId"}
        if unknown:
            self.error(400, "Unknown field(s): %s." % ", ".join(sorted(unknown)), code=25008)
            return
        sim = self.server.sim
        org = sim.org
        with org.lock:
            p = None if self.own_org(q) else org.by_id.get(parts[3])
            if p is None:
                self.error(404, "Person not found.", code=4008)
                return
            bt = req.get("behaviorType", p["_behavior"])
            if bt is not None:
                if not isinstance(bt, str) or bt.upper() not in BEHAVIORS:
                    self.error(400, "Invalid behaviorType.", code=25008)
                    return
                bt = bt.upper()
            pid = req.get("profileId", p["_profileId"])
            if pid is not None and (not isinstance(pid, str) or org.profile_name(pid) == pid):
                self.error(400, "Invalid profileId.", code=25008)
                return
            if bt == CISCOTEL:
                pid = None  # the server clears it, whatever was sent
            before = {"behaviorType": p["_behavior"], "profileId": p["_profileId"]}
            p["_behavior"], p["_profileId"] = bt, pid
            after = {"behaviorType": bt, "profileId": pid}
            person, email = p["id"], p["emails"][0].lower()
        sim.count("writes")
        # the answer travels back outside the lock: writes to others go on meanwhile
        tid = self.answer(204)
        sim.record({"t": round(time.time(), 3), "person": person, "email": email,
                    "before": before, "after": after, "changed": before != after,
                    "request_tracking_id": self.headers.get("TrackingID"),
                    "org_id": q.get("orgId", [None])[0], "tracking_id": tid}, writes=True)

    def do_POST(self):
        if self.spaces_write("POST"):
            return
        self.read_body()
        self.error(405, "Method not allowed.")

    def do_DELETE(self):
        if self.spaces_write("DELETE"):
            return
        self.read_body()
        self.error(405, "Method not allowed.")


# --- Spaces: rooms, memberships and messages (j2w-chat-archive spaces) ------------------
#
# The Messaging API as webex-messaging.json (webex/webex-openapi-specs) and the
# developer.webex.com pages "Rooms", "Memberships", "Messages" and "Message
# Attachments" describe it: POST /rooms (isLocked makes the creator a moderator),
# GET /rooms (the caller's spaces), DELETE /rooms/{id} (a non-moderator of a locked
# space is only removed from it), POST /memberships (409: "a person may not be
# added to a room more than once"), GET /memberships, POST /messages as JSON or
# multipart/form-data with one file ("Only one file is allowed per message";
# attachments "are limited to 100MB each": 413 above --file-limit; markdown at most
# 7439 bytes), GET /messages (newest first). The token's user is the admin below.
# GET /_sim/spaces returns every space with its members, messages and files.

import email.parser
import email.policy
import itertools

ADMIN_EMAIL = "admin@example.com"
MARKDOWN_MAX = 7439


def now_iso():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % (int(t * 1000) % 1000)


class Spaces:
    def __init__(self, args, org):
        self.args = args
        self.org = org
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.me = {"id": spark_id("PEOPLE", ADMIN_EMAIL), "emails": [ADMIN_EMAIL],
                   "displayName": "Migration Admin", "type": "person",
                   "orgId": spark_id("ORGANIZATION", "example.com")}
        self.rooms = {}        # id -> room
        self.members = {}      # id -> membership
        self.messages = {}     # id -> message (with "_files": [{filename, type, data}])
        self.created = 0       # spaces ever created, deleted ones too
        self.deleted = []

    def new_id(self, kind):
        return spark_id(kind, "%s-%d" % (kind, next(self.ids)))

    def member_of(self, room_id, person_id):
        for m in self.members.values():
            if m["roomId"] == room_id and m["personId"] == person_id:
                return m
        return None

    def add_member(self, room, person, moderator):
        m = {"id": self.new_id("MEMBERSHIP"), "roomId": room["id"], "personId": person["id"],
             "personEmail": person["emails"][0], "personDisplayName": person.get("displayName"),
             "personOrgId": person.get("orgId"), "isModerator": bool(moderator),
             "isMonitor": False, "roomType": "group", "created": now_iso()}
        self.members[m["id"]] = m
        return m

    def dump(self):
        with self.lock:
            out = []
            for r in self.rooms.values():
                ms = sorted((m for m in self.members.values() if m["roomId"] == r["id"]),
                            key=lambda m: m["personEmail"])
                msgs = sorted((m for m in self.messages.values() if m["roomId"] == r["id"]),
                              key=lambda m: m["_seq"])
                out.append({
                    "id": r["id"], "title": r["title"], "isLocked": r["isLocked"],
                    "creatorId": r["creatorId"], "created": r["created"],
                    "members": [{"email": m["personEmail"], "personId": m["personId"],
                                 "isModerator": m["isModerator"]} for m in ms],
                    "messages": [{"id": m["id"], "text": m.get("text"), "markdown": m.get("markdown"),
                                  "files": [{"filename": f["filename"], "type": f["type"],
                                             "bytes": len(f["data"]),
                                             "content": f["data"].decode("utf-8", "replace")}
                                            for f in m["_files"]]} for m in msgs]})
            return {"spaces": sorted(out, key=lambda r: r["created"]), "created": self.created,
                    "deleted": list(self.deleted)}


def _public_message(m):
    return {k: v for k, v in m.items() if not k.startswith("_")}


def _spaces_get(self, url, q):
    """GET routes of the Messaging API; False when the path is not one of them."""
    sp = self.server.sim.spaces
    parts = [unquote(p) for p in url.path.split("/")]
    if url.path == "/v1/people/me":
        self.answer(200, sp.me)
        return True
    if url.path == "/v1/rooms":
        with sp.lock:
            mine = [r for r in sp.rooms.values() if sp.member_of(r["id"], sp.me["id"])]
            if q.get("type", ["group"])[0] not in ("group", ""):
                mine = []
            key = q.get("sortBy", ["id"])[0]
            if key == "created":
                mine.sort(key=lambda r: r["created"], reverse=True)
            items = [dict(r) for r in mine]
        page = self.page(items, q, "/v1/rooms", 100, 1000)
        if page:
            self.answer(200, {"items": page[0]}, page[1])
        return True
    if len(parts) == 4 and parts[1:3] == ["v1", "rooms"]:
        with sp.lock:
            r = sp.rooms.get(parts[3])
        if r is None:
            self.error(404, "Could not find a room with provided ID.")
        else:
            self.answer(200, r)
        return True
    if url.path == "/v1/memberships":
        rid = q.get("roomId", [None])[0]
        with sp.lock:
            items = [m for m in sp.members.values() if rid is None or m["roomId"] == rid]
        page = self.page(items, q, "/v1/memberships", 100, 1000)
        if page:
            self.answer(200, {"items": page[0]}, page[1])
        return True
    if url.path == "/v1/messages":
        rid = q.get("roomId", [None])[0]
        with sp.lock:
            if rid is None or rid not in sp.rooms or not sp.member_of(rid, sp.me["id"]):
                self.error(404, "Could not find a room with provided ID.")
                return True
            items = sorted((m for m in sp.messages.values() if m["roomId"] == rid),
                           key=lambda m: m["_seq"], reverse=True)
            items = [_public_message(m) for m in items]
        page = self.page(items, q, "/v1/messages", 50, 1000)
        if page:
            self.answer(200, {"items": page[0]}, page[1])
        return True
    return False


def _read_form(self, body):
    """The fields and files of a multipart/form-data body, or None when it is not one."""
    ctype = self.headers.get("Content-Type") or ""
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body)
    if not msg.is_multipart():
        return None
    fields, files = {}, []
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files.append({"name": name, "filename": part.get_filename(),
                          "type": part.get_content_type(), "data": data})
        else:
            fields[name] = data.decode("utf-8")
    return fields, files


def _spaces_write(self, method):
    """POST and DELETE of rooms, memberships, messages; False for other paths."""
    url = urlsplit(self.path)
    parts = [unquote(p) for p in url.path.split("/")]
    if not (len(parts) >= 3 and parts[1] == "v1" and parts[2] in ("rooms", "memberships", "messages")):
        return False
    sim = self.server.sim
    sp = sim.spaces
    n = int(self.headers.get("Content-Length") or 0)
    if n > sim.args.file_limit + (1 << 20):
        self.close_connection = True
        self.error(413, "The request is larger than a message with its file may be.")
        return True
    body = self.rfile.read(n) if n else b""
    if self.faults(url, parse_qs(url.query)):
        return True
    if sim.args.spaces_forbidden:
        self.error(403, "The token lacks a scope this request needs (spark:rooms_write, "
                   "spark:memberships_write or spark:messages_write).")
        return True
    ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
    if method == "DELETE":
        if len(parts) != 4 or parts[2] != "rooms":
            self.error(405, "Method not allowed.")
            return True
        with sp.lock:
            r = sp.rooms.get(parts[3])
            me = sp.member_of(parts[3], sp.me["id"]) if r else None
            if r is None or me is None:
                self.error(404, "Could not find a room with provided ID.")
                return True
            if r["isLocked"] and not me["isModerator"]:
                del sp.members[me["id"]]     # a non-moderator only leaves
            else:
                del sp.rooms[r["id"]]
                for k in [k for k, m in sp.members.items() if m["roomId"] == r["id"]]:
                    del sp.members[k]
                for k in [k for k, m in sp.messages.items() if m["roomId"] == r["id"]]:
                    del sp.messages[k]
                sp.deleted.append(r["id"])
        self.answer(204)
        return True
    if len(parts) != 3:
        self.error(404, "The requested resource could not be found.")
        return True
    form = None
    if ctype == "multipart/form-data" and parts[2] == "messages":
        try:
            form = _read_form(self, body)
        except (ValueError, UnicodeDecodeError):
            form = None
        if form is None:
            self.error(400, "The multipart body cannot be read.")
            return True
        req, files = form
    elif ctype == "application/json":
        try:
            req = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            req = None
        files = []
        if not isinstance(req, dict):
            self.error(400, "The request body is not a JSON object.")
            return True
    else:
        self.error(415, "Content-Type must be application/json or multipart/form-data.")
        return True
    if parts[2] == "rooms":
        title = req.get("title")
        if not isinstance(title, str) or not title.strip():
            self.error(400, "title is required.")
            return True
        with sp.lock:
            fail_after = sim.args.fail_rooms_after
            if fail_after is not None and sp.created >= fail_after:
                self.error(503, "Service Unavailable. Try again later.")
                return True
            r = {"id": sp.new_id("ROOM"), "title": title, "type": "group",
                 "isLocked": bool(req.get("isLocked")), "creatorId": sp.me["id"],
                 "ownerId": sp.me["orgId"], "created": now_iso()}
            r["lastActivity"] = r["created"]
            sp.rooms[r["id"]] = r
            sp.add_member(r, sp.me, r["isLocked"])
            sp.created += 1
        if sim.lose_answer("rooms"):
            self.error(502, "Bad Gateway.")
            return True
        self.answer(200, r)
        return True
    if parts[2] == "memberships":
        rid, pid, pemail = req.get("roomId"), req.get("personId"), req.get("personEmail")
        with sp.lock:
            r = sp.rooms.get(rid)
            me = sp.member_of(rid, sp.me["id"]) if r else None
            if r is None or me is None:
                self.error(404, "Could not find a room with provided ID.")
                return True
            if r["isLocked"] and not me["isModerator"]:
                self.error(403, "Only moderators may add people to a moderated space.")
                return True
            with sim.org.lock:
                person = sim.org.by_id.get(pid) if pid else \
                    sim.org.by_email.get((pemail or "").lower())
            if person is None:
                self.error(404, "Person not found.")
                return True
            if sp.member_of(rid, person["id"]):
                self.error(409, "Conflict: a person may not be added to a room more than once.")
                return True
            m = sp.add_member(r, person, req.get("isModerator"))
        self.answer(200, m)
        return True
    # messages
    rid = req.get("roomId")
    if len(files) > 1 or (isinstance(req.get("files"), list) and len(req["files"]) > 1):
        self.error(400, "Only one file is allowed per message.")
        return True
    for f in files:
        if len(f["data"]) > sim.args.file_limit:
            self.error(413, "The file is larger than a message attachment may be.")
            return True
    text, md = req.get("text"), req.get("markdown")
    if md is not None and len(md.encode("utf-8")) > MARKDOWN_MAX:
        self.error(400, "The maximum message length is 7439 bytes.")
        return True
    if not (text or md or files):
        self.error(400, "A message needs text, markdown or a file.")
        return True
    with sp.lock:
        if rid not in sp.rooms or not sp.member_of(rid, sp.me["id"]):
            self.error(404, "Could not find a room with provided ID.")
            return True
        m = {"id": sp.new_id("MESSAGE"), "roomId": rid, "roomType": "group",
             "personId": sp.me["id"], "personEmail": ADMIN_EMAIL, "created": now_iso(),
             "_seq": next(sp.ids), "_files": files}
        if text is not None:
            m["text"] = text
        if md is not None:
            m["markdown"] = md
        if files:
            host = "127.0.0.1:%d" % self.server.server_address[1]
            m["files"] = ["http://%s/v1/contents/%s" % (host, sp.new_id("CONTENT"))]
        sp.messages[m["id"]] = m
        out = _public_message(m)
    if sim.lose_answer("messages"):
        self.error(502, "Bad Gateway.")
        return True
    self.answer(200, out)
    return True


Handler.spaces_get = _spaces_get
Handler.spaces_write = _spaces_write


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # a client may open a connection per request in flight at once: never refuse them
    request_queue_size = 1024

    def __init__(self, sim, port, tls):
        self.sim = sim
        self.tls = tls
        super().__init__(("127.0.0.1", port), Handler)

    def finish_request(self, request, client_address):
        # the TLS handshake runs in the connection's own thread: a client that
        # rejects the certificate stalls nobody else
        if self.tls is not None:
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError) as e:
                if self.sim.args.verbose:
                    sys.stderr.write("controlhub_sim: TLS handshake failed: %s\n" % e)
                return
        super().finish_request(request, client_address)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Webex Control Hub API simulator on 127.0.0.1")
    p.add_argument("--org", help="JSON seed {profiles:[{name}], people:[{emails, callingBehavior}]}")
    p.add_argument("--synthetic", type=int, default=0, help="add N people userNNNNNN@bench.example.com")
    p.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = pick a free one)")
    p.add_argument("--port-file", help="write the chosen port here once listening")
    p.add_argument("--pid-file", help="write the process id here")
    p.add_argument("--token-file", help="require 'Authorization: Bearer' with a token from this file (one per line)")
    p.add_argument("--expire-after", type=int, help="refuse the first token (401) after N requests with it")
    p.add_argument("--org-id", help="the org's id; requests must carry orgId=ID (a partner "
                   "administrator: without it they reach the partner's own, empty org; another "
                   "orgId is 403)")
    p.add_argument("--rate", type=float, default=0, help="requests per second before 429 (0 = no limit)")
    p.add_argument("--burst", type=float, default=0, help="token bucket depth (default: --rate)")
    p.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds on 429")
    p.add_argument("--fail-rate", type=float, default=0, help="fraction of requests answered --fail-status")
    p.add_argument("--fail-status", type=int, default=503, help="status of injected failures (500, 502, 503, 504)")
    p.add_argument("--locked-rate", type=float, default=0, help="fraction of PUTs answered 423")
    p.add_argument("--drop-rate", type=float, default=0, help="fraction of requests dropped unanswered")
    p.add_argument("--outage-after", type=int, help="the service stops answering after N API requests")
    p.add_argument("--outage-for", type=float, default=3600, help="... for S seconds, then answers again")
    p.add_argument("--outage-mode", default="drop", choices=("drop", "hang", "500", "502", "503", "504"),
                   help="during the outage: close connections unanswered, hold them unanswered, "
                   "or answer this status")
    p.add_argument("--forbid-calling-after", type=int,
                   help="after N API requests, every callingBehavior request is 403, as when a "
                   "full administrator restricts Call Settings API access (0: from the start)")
    p.add_argument("--forbid-calling-for", type=float, default=3600,
                   help="... for S seconds, then the restriction is lifted")
    p.add_argument("--forbid-email", action="append", default=[], type=str.lower,
                   help="callingBehavior of this person is 403 (repeatable)")
    p.add_argument("--fail-email", action="append", default=[], type=str.lower,
                   help="callingBehavior of this person always answers --fail-status (repeatable)")
    p.add_argument("--rtt-ms", type=float, default=0, help="network round trip: half before the "
                   "request is handled, half before the answer leaves")
    p.add_argument("--latency-ms", type=int, default=0, help="server time: sleep MS before every answer")
    p.add_argument("--slow-rate", type=float, default=0, help="fraction of answers delayed --slow-ms")
    p.add_argument("--slow-ms", type=int, default=2000, help="the delay of a slow answer")
    p.add_argument("--profile-page", type=int, default=0, help="callingProfiles page size (Link paging)")
    p.add_argument("--people-max", type=int, default=1000, help="the largest /people page (max is capped to it)")
    p.add_argument("--next-drops-params", action="store_true",
                   help="next-page links keep only max and cursor (a Webex defect: filters and orgId lost)")
    p.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    p.add_argument("--tls-key", help="... and this private key (PEM)")
    p.add_argument("--seed", type=int, default=1, help="random seed for injected faults")
    p.add_argument("--log", help="append one JSON line per request")
    p.add_argument("--write-log", help="append one JSON line per write (PUT 204)")
    p.add_argument("--verbose", action="store_true", help="access log on stderr")
    p.add_argument("--file-limit", type=int, default=100000000,
                   help="bytes a message attachment may hold (413 above)")
    p.add_argument("--spaces-forbidden", action="store_true",
                   help="answer 403 (missing scope) to every write of rooms, memberships, messages")
    p.add_argument("--fail-rooms-after", type=int, default=None,
                   help="answer 503 to every POST /rooms after N spaces were created")
    p.add_argument("--lose-answers", action="append", default=[], metavar="rooms|messages:N",
                   help="the first N POST /rooms (or /messages) are done, but answered 502 "
                        "(a gateway that lost the answer)")
    a = p.parse_args(argv)
    if a.tls_key and not a.tls_cert:
        p.error("--tls-key needs --tls-cert")
    return a


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        sim = Sim(args)
    except (OSError, ValueError, KeyError) as e:
        print("controlhub_sim: cannot load the org: %s" % e, file=sys.stderr)
        return 2
    tls = None
    if args.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    server = Server(sim, args.port, tls)
    port = server.server_address[1]
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if args.pid_file:
        write_atomic(args.pid_file, "%d\n" % os.getpid())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    if args.port_file:
        write_atomic(args.port_file, "%d\n" % port)
    print("controlhub_sim: %d people, %d profiles, listening on %s://127.0.0.1:%d/v1"
          % (len(sim.org.people), len(sim.org.profiles), "https" if tls else "http", port),
          file=sys.stderr, flush=True)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    for f in (sim.log, sim.write_log):
        if f:
            f.close()
    for f in (args.port_file, args.pid_file):
        if f:
            try:
                os.unlink(f)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
