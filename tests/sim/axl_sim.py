#!/usr/bin/env python3
"""axl_sim.py - a Cisco Unified CM 12.5 AXL SOAP endpoint on loopback, for j2w tests.

Serves the users of a JSON fixture through listUser (and getUser, getCCMVersion) and
the executeSQLQuery statements j2w sends, and misbehaves on demand like a real
cluster: HTTP 401, HTTP 503 throttling, "Query request too large", arbitrary faults,
slow answers, dropped connections, requests that do not validate against
AXLSoap.xsd, a server (or proxy) that ignores skip or does not page at all, a user
whose uuid is not a GUID. Python 3 standard library only; binds to 127.0.0.1 only.
Options and exact faults: tests/sim/README.md.
"""

import argparse
import base64
import json
import os
import re
import shutil
import signal
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid as uuidlib
import xml.etree.ElementTree as ET
import xml.parsers.expat
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XML_NS = "http://www.w3.org/XML/1998/namespace"
AXL_NS_RE = re.compile(r"^http://www\.cisco\.com/AXL/API/(\d+(?:\.\d+)*)$")
SOAPACTION_RE = re.compile(r"^CUCM:DB ver=(\S+) (\S+)$")
MAX_BODY = 16 * 1024 * 1024
DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parent.parent / "specs" / "axl-12.5"

# AXLSoap.xsd 12.5, complexType LUser, in schema order.
LUSER_ORDER = [
    "firstName", "middleName", "lastName", "emMaxLoginTime", "userid", "mailid",
    "department", "manager", "userLocale", "primaryExtension", "associatedPc",
    "enableCti", "subscribeCallingSearchSpaceName", "enableMobility",
    "enableMobileVoiceAccess", "maxDeskPickupWaitTime", "remoteDestinationLimit",
    "status", "enableEmcc", "patternPrecedence", "numericUserId", "mlppPassword",
    "homeCluster", "imAndPresenceEnable", "serviceProfile", "directoryUri",
    "telephoneNumber", "title", "mobileNumber", "homeNumber", "pagerNumber",
    "calendarPresence", "userIdentity",
]
# The part of complexType RUser (getUser) the simulator serves, in schema order.
RUSER_ORDER = [
    "firstName", "displayName", "middleName", "lastName", "userid", "mailid",
    "department", "manager", "associatedDevices", "primaryExtension", "homeCluster",
    "imAndPresenceEnable", "serviceProfile", "directoryUri", "telephoneNumber", "title",
]
PE_CHILDREN = ("pattern", "routePartitionName")
SEARCH_FIELDS = ("firstName", "lastName", "userid", "department")

HTML_401 = (b"<html><head><title>Apache Tomcat - Error report</title></head><body>"
            b"<h1>HTTP Status 401 - Unauthorized</h1></body></html>")
HTML_503 = b"<html><body>Service Unavailable</body></html>"
HTML_AXL_GET = (b"<html><head><title>Cisco CallManager: AXL Web Service</title></head>"
                b"<body><h1>Cisco CallManager: AXL Web Service</h1><p>The AXL Web Service is "
                b"working and accepting requests. Use HTTP POST to send a request.</p></body></html>")
HTML_CTYPE = "text/html;charset=utf-8"
XML_CTYPE = "text/xml; charset=utf-8"

DIGITS_RE = re.compile(r"^[0-9]+$")
GUID_LIT_RE = re.compile(r"^'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'$")
DEVICE_SQL_RE = re.compile(r"""
    ^\s*select\s+eu\.pkid\s*,\s*eu\.displayname\s*,\s*d\.name\s+as\s+devicename\s*,
    \s*tm\.name\s+as\s+model\s+
    from\s+enduser\s+eu\s+
    left\s+(?:outer\s+)?join\s+enduserdevicemap\s+m\s+on\s+m\.fkenduser\s*=\s*eu\.pkid\s+
        and\s+m\.tkuserassociation\s*=\s*1\s+
    left\s+(?:outer\s+)?join\s+device\s+d\s+on\s+d\.pkid\s*=\s*m\.fkdevice\s+
    left\s+(?:outer\s+)?join\s+typemodel\s+tm\s+on\s+tm\.enum\s*=\s*d\.tkmodel\s+
    where\s+eu\.pkid\s+in\s*\((?P<list>[^()]*)\)\s*
    order\s+by\s+eu\.pkid\s*,\s*d\.name\s*;?\s*$""", re.I | re.X)
COUNT_SQL_RE = re.compile(r"^\s*select\s+count\s*\(\s*\*\s*\)\s+as\s+total\s+from\s+enduser\s*;?\s*$", re.I)

_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(value):
    """XML-escape a value for text or attribute content; drops characters XML 1.0 forbids."""
    s = _INVALID_XML_CHARS.sub("", str(value))
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def local(tag):
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def namespace(tag):
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def child(elem, name):
    for c in elem:
        if local(c.tag) == name:
            return c
    return None


def text_of(value):
    """Fixture value -> wire text; None stays None (rendered as an empty element)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def leaf(tag, value, attrs=""):
    s = text_of(value)
    if s is None or s == "":
        return "<%s%s/>" % (tag, attrs)
    return "<%s%s>%s</%s>" % (tag, attrs, esc(s), tag)


def like_regex(pattern):
    """SQL LIKE ('%' any run, '_' one char, backslash escapes) -> compiled regex, case-insensitive."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.I | re.S)


class Fault(Exception):
    """A SOAP fault answered with HTTP 500."""

    def __init__(self, message, axlcode, faultcode="soapenv:Server"):
        super().__init__(message)
        self.message = message
        self.axlcode = axlcode
        self.faultcode = faultcode


class HttpError(Exception):
    """A non-SOAP HTTP answer (400, 404, 405, 413, 415)."""

    def __init__(self, status, text, close=False):
        super().__init__(text)
        self.status = status
        self.body = ("<html><body><h1>HTTP Status %d</h1><p>%s</p></body></html>"
                     % (status, esc(text))).encode("utf-8")
        self.close = close


class DoctypeRefused(Exception):
    pass


# ---------------------------------------------------------------- fixture

def load_fixture(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if isinstance(data, list):
        data = {"cluster": None, "users": data}
    users = []
    for i, raw in enumerate(data.get("users") or []):
        if not isinstance(raw, dict) or not isinstance(raw.get("userid"), str):
            raise ValueError("%s: users[%d] has no string userid" % (path, i))
        u = dict(raw)
        pkid, uid = u.get("pkid"), u.get("uuid")
        if not pkid and uid:
            pkid = uid.strip("{}").lower()
        if not pkid:
            pkid = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, "j2w-axl-sim:user:" + u["userid"]))
        if not uid:
            uid = "{" + pkid.upper() + "}"
        u["pkid"], u["uuid"] = pkid.lower(), uid
        devs = []
        for d in u.get("devices") or []:
            if isinstance(d, str):
                d = {"name": d, "model": None}
            devs.append({"name": d.get("name"), "model": d.get("model")})
        u["devices"] = devs
        users.append(u)
    users.sort(key=lambda u: u["userid"])  # stable: equal userids keep fixture order
    return data.get("cluster"), users


def service_profile(value):
    """serviceProfile fixture value (name or {name, uuid}) -> (name, uuid) or (None, None)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dict):
        name = value.get("name")
        uid = value.get("uuid")
    else:
        name, uid = str(value), None
    if not name:
        return None, None
    if not uid:
        uid = "{" + str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, "j2w-axl-sim:sp:" + name)).upper() + "}"
    return name, uid


def render_tag(user, tag, req_elem):
    """One returned tag of a user; req_elem is the returnedTags child that named it (or None = all)."""
    value = user.get(tag)
    if tag == "primaryExtension":
        if req_elem is None:
            subs = list(PE_CHILDREN)
        else:
            named = {local(c.tag) for c in req_elem}
            subs = [c for c in PE_CHILDREN if c in named]
        if not isinstance(value, dict) or not subs:
            return "<primaryExtension/>"
        return "<primaryExtension>%s</primaryExtension>" % "".join(leaf(s, value.get(s)) for s in subs)
    if tag == "serviceProfile":
        name, uid = service_profile(value)
        if name is None:
            return "<serviceProfile/>"
        return '<serviceProfile uuid="%s">%s</serviceProfile>' % (esc(uid), esc(name))
    if tag == "associatedDevices":
        names = [d["name"] for d in user.get("devices") or [] if d.get("name")]
        if not names:
            return "<associatedDevices/>"
        return "<associatedDevices>%s</associatedDevices>" % "".join(leaf("device", n) for n in names)
    return leaf(tag, value)


def render_user(user, order, returned):
    """returned: returnedTags element or None; tags come out in schema order."""
    if returned is None or len(returned) == 0:
        wanted = {t: None for t in order}
    else:
        wanted = {}
        for c in returned:
            wanted.setdefault(local(c.tag), c)
    parts = [render_tag(user, t, wanted[t]) for t in order if t in wanted]
    return '<user uuid="%s">%s</user>' % (esc(user["uuid"]), "".join(parts))


def envelope(inner):
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
            "<soapenv:Body>" + inner + "</soapenv:Body></soapenv:Envelope>").encode("utf-8")


def response_body(op, ns, sequence, inner):
    seq = ' sequence="%s"' % esc(sequence) if sequence is not None else ""
    ret = "<return>%s</return>" % inner if inner else "<return/>"
    return envelope('<ns:%sResponse xmlns:ns="%s"%s>%s</ns:%sResponse>' % (op, esc(ns), seq, ret, op))


def fault_body(fault, request_name):
    return envelope(
        "<soapenv:Fault><faultcode>%s</faultcode><faultstring>%s</faultstring>"
        "<detail><axlError><axlcode>%s</axlcode><axlmessage>%s</axlmessage>"
        "<request>%s</request></axlError></detail></soapenv:Fault>"
        % (fault.faultcode, esc(fault.message), fault.axlcode, esc(fault.message), esc(request_name or "")))


def too_large(total, suggested):
    return Fault("Query request too large. Total rows matched: %d rows. "
                 "Suggested row fetch: less than %d rows" % (total, suggested), -1)


# ---------------------------------------------------------------- schema validation

_ERR_RE = re.compile(r"^.*?:(\d+): element ([^:]+): Schemas validity error : (.*)$")
_EMPTY_VALUE_RE = re.compile(r"(The value '' )|(: '' is not a valid value)")


def text_class(text):
    t = (text or "").strip()
    if not t:
        return ""
    return "n" if DIGITS_RE.match(t) else "x"


def shape(elem):
    """Cache key: the element tree without its text values (only empty / digits / other)."""
    return (elem.tag, tuple(sorted((k, text_class(v)) for k, v in elem.attrib.items())), text_class(elem.text),
            tuple(shape(c) for c in elem))


def _esc_text(s):
    return (_INVALID_XML_CHARS.sub("", s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\r", "&#13;").replace("\n", "&#10;"))


def _esc_attr(s):
    return _esc_text(s).replace('"', "&quot;").replace("\t", "&#9;")


def standalone(op, schema_ns):
    """Serialise the operation element as its own document, one element per line.

    Returns (text, lines) where lines maps a line number to (local name, inside returnedTags).
    The operation's AXL namespace is declared as schema_ns (requests of another AXL
    version are checked against the 12.5 structure).
    """
    op_ns = namespace(op.tag)
    prefixes = {}

    def collect(e):
        for name in [e.tag] + list(e.attrib):
            ns = namespace(name)
            if ns and ns != XML_NS and ns not in prefixes:
                prefixes[ns] = "ns" if ns == op_ns else "n%d" % len(prefixes)
        for c in e:
            collect(c)
    collect(op)

    def qname(name):
        ns = namespace(name)
        if not ns:
            return name
        return ("xml:" if ns == XML_NS else prefixes[ns] + ":") + local(name)

    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    info = {}

    def walk(e, in_rt, root):
        name = qname(e.tag)
        attrs = ""
        if root:
            attrs += "".join(' xmlns:%s="%s"' % (p, _esc_attr(schema_ns if ns == op_ns else ns))
                             for ns, p in prefixes.items())
        attrs += "".join(' %s="%s"' % (qname(k), _esc_attr(v)) for k, v in e.attrib.items())
        text = e.text or ""
        info[len(out) + 1] = (local(e.tag), in_rt)
        kids = list(e)
        if not kids:
            out.append("<%s%s>%s</%s>" % (name, attrs, _esc_text(text), name))
        else:
            out.append("<%s%s>%s" % (name, attrs, _esc_text(text) if text.strip() else ""))
            sub_rt = in_rt or local(e.tag) == "returnedTags"
            for c in kids:
                walk(c, sub_rt, False)
                if c.tail and c.tail.strip():
                    out[-1] += _esc_text(c.tail)
            out.append("</%s>" % name)
    walk(op, False, True)
    return "\n".join(out) + "\n", info


class Validator:
    def __init__(self, schema_dir, enabled=True):
        self.xsd = None
        self.xmllint = shutil.which("xmllint")
        self.schema_ns = "http://www.cisco.com/AXL/API/12.5"
        if enabled and schema_dir:
            xsd = Path(schema_dir) / "AXLSoap.xsd"
            if xsd.is_file():
                self.xsd = str(xsd)
                with open(xsd, encoding="utf-8", errors="replace") as f:
                    m = re.search(r'targetNamespace="([^"]+)"', f.read(4096))
                if m:
                    self.schema_ns = m.group(1)
        self.available = bool(self.xsd and self.xmllint)
        self.cache = {}
        self.lock = threading.Lock()
        self.warned = False

    def check(self, op):
        """-> (validated, error): validated False when no verdict was possible."""
        if not self.available:
            return False, None
        key = shape(op)
        with self.lock:
            if key not in self.cache:
                self.cache[key] = self._run(op)
            return self.cache[key]

    def _run(self, op):
        text, info = standalone(op, self.schema_ns)
        fd, tmp = tempfile.mkstemp(prefix="axl_sim-", suffix=".xml")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            try:
                p = subprocess.run([self.xmllint, "--noout", "--schema", self.xsd, tmp],
                                   capture_output=True, text=True, timeout=120)
            except (OSError, subprocess.SubprocessError) as e:
                self._warn("xmllint failed to run: %s" % e)
                return False, None
        finally:
            os.unlink(tmp)
        if p.returncode == 0:
            return True, None
        errors, matched = [], False
        for line in p.stderr.splitlines():
            m = _ERR_RE.match(line)
            if not m:
                continue
            matched = True
            lineno, name, msg = int(m.group(1)), m.group(2).strip(), m.group(3).strip()
            where = info.get(lineno)
            if where and where[1] and where[0] == name and _EMPTY_VALUE_RE.search(msg):
                continue  # empty returnedTags value: every real client sends those
            errors.append(msg)
        if not matched:
            self._warn("xmllint gave no verdict (exit %d): %s" % (p.returncode, p.stderr.strip()[:300]))
            return False, None
        return True, (errors[0] if errors else None)

    def _warn(self, msg):
        if not self.warned:
            self.warned = True
            print("axl_sim: %s" % msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the simulator

class Sim:
    def __init__(self, args):
        self.args = args
        self.cluster, self.users = load_fixture(args.fixture)
        # --bad-uuid USERID=VALUE: listUser shows VALUE as that user's uuid ("" = none)
        self.bad_uuid = {}
        for spec in args.bad_uuid or []:
            uid, sep, value = spec.partition("=")
            if not sep or not uid:
                raise ValueError("--bad-uuid wants USERID=VALUE, not '%s'" % spec)
            self.bad_uuid[uid] = value
        self.by_pkid = {u["pkid"]: u for u in self.users}
        self.validator = Validator(args.schema_dir, not args.no_validate)
        self.count = 0
        self.count_lock = threading.Lock()
        self.log_lock = threading.Lock()
        self.log = open(args.log, "a", encoding="utf-8") if args.log else None

    def next_n(self):
        with self.count_lock:
            self.count += 1
            return self.count

    def auth_state(self, header):
        if not header:
            return "missing"
        if self.args.user is None:
            return "ok"
        scheme, _, cred = header.partition(" ")
        if scheme.lower() != "basic":
            return "bad"
        try:
            user, sep, pw = base64.b64decode(cred.strip(), validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return "bad"
        ok = sep and user == self.args.user and pw == (self.args.password or "")
        return "ok" if ok else "bad"

    def write_log(self, rec):
        if not self.log:
            return
        with self.log_lock:
            self.log.write(json.dumps(rec, ensure_ascii=False) + "\n")
            self.log.flush()

    # -- SOAP operations ---------------------------------------------------

    def soap(self, op, ns, version, rec):
        name = local(op.tag)
        if name == "listUser":
            return self.list_user(op, ns, rec)
        if name == "executeSQLQuery":
            return self.sql_query(op, ns)
        if name == "getUser":
            return self.get_user(op, ns)
        if name == "getCCMVersion":
            inner = "<componentVersion>%s</componentVersion>" % leaf("version", self.args.ccm_version)
            return response_body(name, ns, op.get("sequence"), inner)
        raise Fault("Unknown operation: %s" % name, 5007, "soapenv:Client")

    def list_user(self, op, ns, rec):
        sc = child(op, "searchCriteria")
        if sc is None:
            raise Fault("searchCriteria is required", 5003, "soapenv:Client")
        criteria = []
        for c in sc:
            field = local(c.tag)
            if field not in SEARCH_FIELDS:
                raise Fault("searchCriteria: unknown element %s" % field, 5003, "soapenv:Client")
            criteria.append((field, like_regex(c.text or "")))
        if not criteria:
            raise Fault("At least one element under searchCriteria has to be mentioned", 5003, "soapenv:Client")
        returned = child(op, "returnedTags")
        if returned is None:
            raise Fault("returnedTags is required", 5003, "soapenv:Client")
        skip, first = rec["skip"], rec["first"]
        for tag in ("skip", "first"):
            e = child(op, tag)
            if e is not None and not DIGITS_RE.match((e.text or "").strip()):
                raise Fault("%s: '%s' is not an unsigned integer" % (tag, (e.text or "").strip()),
                            5003, "soapenv:Client")
        matched = [u for u in self.users
                   if all(rx.fullmatch(text_of(u.get(f)) or "") for f, rx in criteria)]
        limit = self.args.max_rows
        if limit is not None and (first if first is not None else len(matched)) > limit:
            raise too_large(len(matched), limit)
        if self.args.no_paging:
            page = matched  # a server (or proxy) that drops skip and first
        elif first is not None:
            start = 0 if self.args.ignore_skip else (skip or 0)
            page = matched[start:start + first]
        else:
            page = matched  # skip is ignored unless first is given (AXLSoap.xsd)
        inner = "".join(self.render_listed(u, returned) for u in page)
        return response_body("listUser", ns, op.get("sequence"), inner)

    def render_listed(self, user, returned):
        """One listUser <user>, with the uuid --bad-uuid gives it (none when empty)."""
        if user["userid"] not in self.bad_uuid:
            return render_user(user, LUSER_ORDER, returned)
        value = self.bad_uuid[user["userid"]]
        xml = render_user(dict(user, uuid=value), LUSER_ORDER, returned)
        if value == "":
            xml = xml.replace('<user uuid="">', "<user>", 1)
        return xml

    def get_user(self, op, ns):
        uid_e, uuid_e = child(op, "userid"), child(op, "uuid")
        user = None
        if uid_e is not None:
            want = (uid_e.text or "").strip().lower()
            user = next((u for u in self.users if u["userid"].lower() == want), None)
        elif uuid_e is not None:
            want = (uuid_e.text or "").strip().strip("{}").lower()
            user = self.by_pkid.get(want)
        else:
            raise Fault("userid or uuid is required", 5003, "soapenv:Client")
        if user is None:
            raise Fault("Item not valid: The specified User was not found", 5007)
        inner = render_user(user, RUSER_ORDER, child(op, "returnedTags"))
        return response_body("getUser", ns, op.get("sequence"), inner)

    def sql_query(self, op, ns):
        sql_e = child(op, "sql")
        sql = (sql_e.text if sql_e is not None else None) or ""
        rows = None
        if COUNT_SQL_RE.match(sql):
            rows = ["<row><total>%d</total></row>" % len(self.users)]
        else:
            m = DEVICE_SQL_RE.match(sql)
            if m:
                items = [i.strip() for i in m.group("list").split(",")]
                if not items or not all(GUID_LIT_RE.match(i) for i in items):
                    raise Fault("A syntax error has occurred.", -201)
                rows = []
                for pkid in sorted({i.strip("'") for i in items}):
                    u = self.by_pkid.get(pkid)
                    if u is None:
                        continue
                    devs = sorted((d for d in u["devices"] if d.get("name")), key=lambda d: d["name"])
                    for d in devs or [{"name": None, "model": None}]:
                        rows.append("<row>%s%s%s%s</row>" % (
                            sql_col("pkid", u["pkid"]), sql_col("displayname", u.get("displayName")),
                            sql_col("devicename", d["name"]), sql_col("model", d["model"])))
        if rows is None:
            raise Fault("A syntax error has occurred.", -201)
        if self.args.max_rows is not None and len(rows) > self.args.max_rows:
            raise too_large(len(rows), self.args.max_rows)
        return response_body("executeSQLQuery", ns, op.get("sequence"), "".join(rows))


def sql_col(name, value):
    """SQL NULL comes back as an empty element written out in full, as thin AXL does."""
    s = text_of(value)
    return "<%s>%s</%s>" % (name, esc(s) if s else "", name)


def parse_xml(body):
    """Refuse DOCTYPE (no DTDs, no entities), then parse. Raises DoctypeRefused or ParseError."""
    p = xml.parsers.expat.ParserCreate()

    def refuse(*_):
        raise DoctypeRefused()
    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    try:
        p.Parse(body, True)
    except xml.parsers.expat.ExpatError as e:
        raise ET.ParseError(str(e))
    return ET.fromstring(body)


def find_operation(root):
    """-> (operation element or None, problem text or None)."""
    if local(root.tag) != "Envelope":
        return None, "root element is not a SOAP Envelope"
    if namespace(root.tag) != SOAP_NS:
        return None, "VersionMismatch"
    body = next((c for c in root if local(c.tag) == "Body" and namespace(c.tag) == SOAP_NS), None)
    if body is None:
        return None, "SOAP Body missing"
    op = next(iter(body), None)
    if op is None:
        return None, "SOAP Body is empty"
    return op, None


# ---------------------------------------------------------------- HTTP

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "axl_sim"
    sys_version = ""
    timeout = 120

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):
        if self.server.sim.args.verbose:
            super().log_message(fmt, *args)

    def do_POST(self):
        self.serve("POST")

    def do_GET(self):
        self.serve("GET")

    def do_PUT(self):
        self.serve("PUT")

    def do_DELETE(self):
        self.serve("DELETE")

    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(1024)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise HttpError(413, "request body too large", close=True)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        cl = self.headers.get("Content-Length")
        if cl is None:
            return b""
        try:
            n = int(cl)
        except ValueError:
            raise HttpError(400, "bad Content-Length", close=True)
        if n < 0 or n > MAX_BODY:
            raise HttpError(413, "request body too large", close=True)
        return self.rfile.read(n)

    def answer(self, rec, status, body, ctype, headers=()):
        sim = self.server.sim
        a = sim.args
        if a.slow_ms and rec["n"] > (a.slow_after or 0):
            time.sleep(a.slow_ms / 1000.0)
        rec["status"] = status
        sim.write_log(rec)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def fault(self, rec, f, request_name):
        rec["fault"], rec["axlcode"] = f.message, f.axlcode
        self.answer(rec, 500, fault_body(f, request_name), XML_CTYPE)

    def serve(self, method):
        sim = self.server.sim
        a = sim.args
        n = sim.next_n()
        path = self.path.split("?", 1)[0]
        rec = {"n": n, "method": method, "path": self.path, "soapaction": self.headers.get("SOAPAction"),
               "operation": None, "sequence": None, "skip": None, "first": None, "status": None,
               "validated": False, "auth": sim.auth_state(self.headers.get("Authorization")),
               "fault": None, "axlcode": None}
        try:
            body = self.read_body()
        except (HttpError, ValueError) as e:
            if not isinstance(e, HttpError):
                e = HttpError(400, "bad chunked body", close=True)
            self.close_connection = True
            return self.answer(rec, e.status, e.body, HTML_CTYPE)

        # Parse early (for the log); act on the outcome only after auth.
        root, parse_err, op = None, None, None
        if method == "POST":
            try:
                root = parse_xml(body)
            except DoctypeRefused:
                parse_err = "DOCTYPE is not allowed"
            except ET.ParseError as e:
                parse_err = "malformed XML: %s" % e
            if root is not None:
                op, _ = find_operation(root)
            if op is not None:
                rec["operation"] = local(op.tag)
                rec["sequence"] = op.get("sequence")
                if rec["operation"] == "listUser":
                    for tag in ("skip", "first"):
                        e = child(op, tag)
                        t = (e.text or "").strip() if e is not None else ""
                        rec[tag] = int(t) if DIGITS_RE.match(t) else None

        if a.drop_after is not None and n > a.drop_after and (
                not a.drop_count or n <= a.drop_after + a.drop_count):
            rec["dropped"] = True
            sim.write_log(rec)
            self.close_connection = True
            return
        if a.throttle and n <= a.throttle:
            hdrs = [("Retry-After", str(a.retry_after))] if a.retry_after is not None else []
            return self.answer(rec, 503, HTML_503, HTML_CTYPE, hdrs)
        if path not in ("/axl/", "/axl"):
            return self.answer(rec, 404, HttpError(404, "not found: %s" % path).body, HTML_CTYPE)
        if a.user is not None and rec["auth"] != "ok":
            return self.answer(rec, 401, HTML_401, HTML_CTYPE,
                               [("WWW-Authenticate", 'Basic realm="Cisco Unified Communications Manager"')])
        if method == "GET":
            return self.answer(rec, 200, HTML_AXL_GET, HTML_CTYPE)
        if method != "POST":
            return self.answer(rec, 405, HttpError(405, "method not allowed").body, HTML_CTYPE,
                               [("Allow", "GET, POST")])
        ctype = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if ctype != "text/xml":
            return self.answer(rec, 415, HttpError(415, "Content-Type must be text/xml, not '%s'"
                                                   % ctype).body, HTML_CTYPE)
        if parse_err:
            return self.answer(rec, 400, HttpError(400, parse_err).body, HTML_CTYPE)

        op_name = rec["operation"]
        try:
            if a.fault_after is not None and n > a.fault_after:
                raise Fault(a.fault_message, a.fault_code, a.fault_faultcode)
            op, problem = find_operation(root)
            if problem == "VersionMismatch":
                raise Fault("SOAP envelope namespace must be %s" % SOAP_NS, 5002, "soapenv:VersionMismatch")
            if problem:
                raise Fault(problem, 5002, "soapenv:Client")
            ns = namespace(op.tag)
            m = AXL_NS_RE.match(ns)
            if not m:
                raise Fault("operation %s is not in an AXL namespace (http://www.cisco.com/AXL/API/<version>)"
                            % op_name, 5002, "soapenv:Client")
            version = m.group(1)
            sa = (self.headers.get("SOAPAction") or "").strip()
            if len(sa) >= 2 and sa[0] == sa[-1] == '"':
                sa = sa[1:-1].strip()
            sm = SOAPACTION_RE.match(sa)
            if not sm:
                raise Fault("SOAPAction header must be \"CUCM:DB ver=%s %s\", got '%s'"
                            % (version, op_name, self.headers.get("SOAPAction") or ""), 5002, "soapenv:Client")
            if sm.group(1) != version:
                raise Fault("SOAPAction version %s does not match the namespace version %s"
                            % (sm.group(1), version), 5002, "soapenv:Client")
            if sm.group(2) != op_name:
                raise Fault("SOAPAction operation %s does not match the request body operation %s"
                            % (sm.group(2), op_name), 5002, "soapenv:Client")
            if op_name not in ("listUser", "executeSQLQuery", "getUser", "getCCMVersion"):
                raise Fault("Unknown operation: %s" % op_name, 5007, "soapenv:Client")
            validated, error = sim.validator.check(op)
            rec["validated"] = validated
            if error:
                raise Fault("request does not validate against AXLSoap.xsd: %s" % error, 5003, "soapenv:Client")
            out = sim.soap(op, ns, version, rec)
        except Fault as f:
            return self.fault(rec, f, op_name)
        return self.answer(rec, 200, out, XML_CTYPE)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, sim, port, tls):
        self.sim = sim
        self.tls = tls
        super().__init__(("127.0.0.1", port), Handler)

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)  # no getfqdn(): no resolver use
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        if self.tls is None:
            return super().finish_request(request, client_address)
        try:
            request.settimeout(30)
            conn = self.tls.wrap_socket(request, server_side=True)
            conn.settimeout(None)
        except (ssl.SSLError, OSError) as e:
            if self.sim.args.verbose:
                print("axl_sim: TLS handshake failed: %s" % e, file=sys.stderr, flush=True)
            return
        try:
            super().finish_request(conn, client_address)
        finally:
            try:
                conn.close()
            except OSError:
                pass


def write_atomic(path, text):
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Cisco Unified CM 12.5 AXL simulator on 127.0.0.1")
    p.add_argument("--fixture", required=True, help="JSON fixture {cluster, users:[...]}")
    p.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = pick a free one)")
    p.add_argument("--port-file", help="write the chosen port here once listening")
    p.add_argument("--pid-file", help="write the process id here")
    p.add_argument("--user", help="require HTTP Basic with this user")
    p.add_argument("--password", help="... and this password")
    p.add_argument("--max-rows", type=int, help="'Query request too large' above N rows")
    p.add_argument("--throttle", type=int, default=0, help="answer the first K requests with HTTP 503")
    p.add_argument("--retry-after", type=int, help="Retry-After seconds on those 503s")
    p.add_argument("--fault-after", type=int, help="request N+1 and later answer a SOAP fault")
    p.add_argument("--fault-code", type=int, default=5000, help="axlcode of that fault")
    p.add_argument("--fault-message", default="Simulated fault", help="faultstring/axlmessage of that fault")
    p.add_argument("--fault-faultcode", default="soapenv:Server", help="faultcode of that fault")
    p.add_argument("--slow-ms", type=int, default=0, help="sleep MS before each answer")
    p.add_argument("--slow-after", type=int, default=0, help="... only after the first N requests")
    p.add_argument("--drop-after", type=int, help="after N requests close connections without answering")
    p.add_argument("--drop-count", type=int, default=0, help="drop only this many requests (0 = all later)")
    p.add_argument("--ignore-skip", action="store_true",
                   help="listUser pages always start at 0, whatever skip says (a proxy that drops it)")
    p.add_argument("--no-paging", action="store_true",
                   help="listUser answers the whole match, whatever skip and first say")
    p.add_argument("--bad-uuid", action="append", metavar="USERID=VALUE",
                   help="listUser gives USERID this uuid (not a GUID; empty: no uuid attribute)")
    p.add_argument("--log", help="append one JSON line per request")
    p.add_argument("--schema-dir", default=str(DEFAULT_SCHEMA_DIR), help="directory holding AXLSoap.xsd")
    p.add_argument("--no-validate", action="store_true", help="skip schema validation")
    p.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    p.add_argument("--tls-key", help="... and this private key (PEM)")
    p.add_argument("--ccm-version", default="12.5.1.11900(146)", help="getCCMVersion answer")
    p.add_argument("--verbose", action="store_true", help="access log and TLS errors on stderr")
    a = p.parse_args(argv)
    if (a.user is None) != (a.password is None):
        p.error("--user and --password go together")
    if a.tls_key and not a.tls_cert:
        p.error("--tls-key needs --tls-cert")
    for spec in a.bad_uuid or []:
        if "=" not in spec or spec.startswith("="):
            p.error("--bad-uuid wants USERID=VALUE, not '%s'" % spec)
    return a


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        sim = Sim(args)
    except (OSError, ValueError) as e:
        print("axl_sim: cannot load fixture '%s': %s" % (args.fixture, e), file=sys.stderr)
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
    print("axl_sim: %d users, listening on %s://127.0.0.1:%d/axl/ (schema validation %s)"
          % (len(sim.users), "https" if tls else "http", port,
             "on" if sim.validator.available else "off"), file=sys.stderr, flush=True)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    if sim.log:
        sim.log.close()
    for f in (args.port_file, args.pid_file):
        if f:
            try:
                os.unlink(f)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
