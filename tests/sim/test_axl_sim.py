#!/usr/bin/env python3
"""test_axl_sim.py - self-test of the AXL simulator (unittest, standard library only)."""

import base64
import http.client
import threading
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIM = HERE / "axl_sim.py"
FIXTURE = HERE / "axl-fixture-small.json"
REPO = HERE.parent.parent
SCHEMA_DIR = REPO / "tests" / "specs" / "axl-12.5"
XSD = SCHEMA_DIR / "AXLSoap.xsd"
HAVE_SCHEMA = XSD.is_file() and shutil.which("xmllint") is not None
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"

with open(FIXTURE, encoding="utf-8") as _f:
    USERS = json.load(_f)["users"]
BY_ID = {u["userid"]: u for u in USERS}

# The listUser request j2w sends (returnedTags in LUser schema order, all empty).
FULL_TAGS = ("<firstName/><lastName/><userid/><mailid/><department/><manager/>"
             "<primaryExtension><pattern/><routePartitionName/></primaryExtension>"
             "<homeCluster/><imAndPresenceEnable/><serviceProfile/><directoryUri/>"
             "<telephoneNumber/><title/>")
DEVICE_SQL = ("SELECT eu.pkid, eu.displayname, d.name AS devicename, tm.name AS model "
              "FROM enduser eu LEFT OUTER JOIN enduserdevicemap m ON m.fkenduser = eu.pkid "
              "AND m.tkuserassociation = 1 LEFT OUTER JOIN device d ON d.pkid = m.fkdevice "
              "LEFT OUTER JOIN typemodel tm ON tm.enum = d.tkmodel WHERE eu.pkid IN (%s) "
              "ORDER BY eu.pkid, d.name")


def envelope(op_xml, ver="12.5", env="soapenv", ns="ns"):
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<%s:Envelope xmlns:%s="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:%s="http://www.cisco.com/AXL/API/%s"><%s:Header/><%s:Body>%s</%s:Body></%s:Envelope>'
            % (env, env, ns, ver, env, env, op_xml, env, env))


def list_user(skip=0, first=500, crit="<userid>%</userid>", tags=FULL_TAGS, seq="1", ns="ns"):
    s = ' sequence="%s"' % seq if seq is not None else ""
    paging = ""
    if skip is not None:
        paging += "<skip>%s</skip>" % skip
    if first is not None:
        paging += "<first>%s</first>" % first
    return ("<%s:listUser%s><searchCriteria>%s</searchCriteria><returnedTags>%s</returnedTags>%s</%s:listUser>"
            % (ns, s, crit, tags, paging, ns))


def sql(statement, seq="2"):
    return '<ns:executeSQLQuery sequence="%s"><sql>%s</sql></ns:executeSQLQuery>' % (seq, statement)


def in_list(*pkids):
    return ", ".join("'%s'" % p for p in pkids)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def body_op(raw):
    root = ET.fromstring(raw)
    assert local(root.tag) == "Envelope"
    body = [c for c in root if local(c.tag) == "Body"][0]
    return body[0]


def users_of(raw):
    ret = body_op(raw).find("return")
    return list(ret) if ret is not None else []


def rows_of(raw):
    return [{local(c.tag): (c.text or "") for c in row} for row in body_op(raw).find("return")]


def fault_of(raw):
    f = body_op(raw)
    assert local(f.tag) == "Fault", raw
    err = f.find("detail/axlError")
    return {"faultcode": f.findtext("faultcode"), "faultstring": f.findtext("faultstring"),
            "axlcode": int(err.findtext("axlcode")), "axlmessage": err.findtext("axlmessage"),
            "request": err.findtext("request")}


class SimProcess:
    """The simulator in a child process on port 0, stopped with SIGTERM."""

    def __init__(self, *extra, fixture=FIXTURE, validate=False, tls=None):
        self.dir = tempfile.mkdtemp(prefix="axl_sim_test-")
        self.port_file = os.path.join(self.dir, "port")
        self.pid_file = os.path.join(self.dir, "pid")
        self.log_file = os.path.join(self.dir, "log.jsonl")
        self.tls = tls
        args = [sys.executable, str(SIM), "--fixture", str(fixture), "--port", "0",
                "--port-file", self.port_file, "--pid-file", self.pid_file, "--log", self.log_file]
        if not validate:
            args += ["--schema-dir", os.path.join(self.dir, "no-schema")]
        self.stderr = open(os.path.join(self.dir, "stderr"), "w+")
        self.proc = subprocess.Popen(args + [str(a) for a in extra], stdout=subprocess.DEVNULL,
                                     stderr=self.stderr)
        deadline = time.time() + 15
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stderr.seek(0)
                raise RuntimeError("simulator did not start: " + self.stderr.read())
            time.sleep(0.02)
        with open(self.port_file) as f:
            self.port = int(f.read())

    def conn(self, timeout=10):
        if self.tls:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=self.tls)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def log(self):
        with open(self.log_file, encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "killed"
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return rc


def post(conn, body, op=None, ver="12.5", headers=None, soapaction=None):
    if op is None:
        op = local(ET.fromstring(body.encode("utf-8")).find(".//{%s}Body" % SOAP_NS)[0].tag)
    h = {"Content-Type": "text/xml; charset=utf-8",
         "SOAPAction": soapaction if soapaction is not None else '"CUCM:DB ver=%s %s"' % (ver, op)}
    if soapaction is False:
        del h["SOAPAction"]
    h.update(headers or {})
    conn.request("POST", "/axl/", body=body.encode("utf-8"), headers=h)
    r = conn.getresponse()
    data = r.read()
    return r.status, r, data


class Base(unittest.TestCase):

    def start(self, *extra, **kw):
        s = SimProcess(*extra, **kw)
        self.addCleanup(lambda: self.assertEqual(s.stop(), 0, "simulator did not exit 0 on SIGTERM"))
        return s


class TestServing(Base):
    """Normal behaviour, one simulator with schema validation on when available."""

    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess(validate=True)
        cls.c = cls.sim.conn()

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        rc = cls.sim.stop()
        assert rc == 0, rc

    def call(self, op_xml, ver="12.5", env="soapenv", ns="ns"):
        return post(self.c, envelope(op_xml, ver=ver, env=env, ns=ns), ver=ver)

    def test_list_all_sorted_by_userid(self):
        status, r, raw = self.call(list_user())
        self.assertEqual(status, 200, raw)
        self.assertEqual(r.getheader("Content-Type"), "text/xml; charset=utf-8")
        self.assertEqual(int(r.getheader("Content-Length")), len(raw))
        ids = [u.findtext("userid") for u in users_of(raw)]
        self.assertEqual(ids, sorted(BY_ID))
        self.assertEqual(ids[0], "FRANK")  # code-point order, as the README says

    def test_paging(self):
        seen = []
        for skip in range(0, 10, 3):
            status, _, raw = self.call(list_user(skip=skip, first=3))
            self.assertEqual(status, 200)
            page = [u.findtext("userid") for u in users_of(raw)]
            self.assertLessEqual(len(page), 3)
            if not page:
                self.assertIn(b"<return/>", raw)
                break
            seen += page
        self.assertEqual(seen, sorted(BY_ID))
        status, _, raw = self.call(list_user(skip=100, first=3))
        self.assertIn(b"<return/></ns:listUserResponse>", raw)
        # skip without first is ignored (AXLSoap.xsd): the whole match comes back
        status, _, raw = self.call(list_user(skip=5, first=None))
        self.assertEqual(len(users_of(raw)), len(USERS))

    def test_envelope_shape_and_sequence(self):
        status, _, raw = self.call(list_user(seq="42", crit="<userid>alice</userid>"))
        self.assertTrue(raw.startswith(
            b"<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv="
            b"\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><ns:listUserResponse "
            b"xmlns:ns=\"http://www.cisco.com/AXL/API/12.5\" sequence=\"42\"><return>"
            b"<user uuid=\"{F5653A7D-1D91-F407-631F-01B29DC25EAA}\"><firstName>Alice</firstName>"), raw)
        self.assertTrue(raw.endswith(b"</user></return></ns:listUserResponse></soapenv:Body></soapenv:Envelope>"))
        status, _, raw = self.call(list_user(seq=None, crit="<userid>alice</userid>"))
        self.assertIn(b'<ns:listUserResponse xmlns:ns="http://www.cisco.com/AXL/API/12.5"><return>', raw)

    def test_full_user_in_schema_order(self):
        status, _, raw = self.call(list_user(crit="<userid>alice</userid>"))
        u = users_of(raw)[0]
        self.assertEqual([c.tag for c in u],
                         ["firstName", "lastName", "userid", "mailid", "department", "manager",
                          "primaryExtension", "homeCluster", "imAndPresenceEnable", "serviceProfile",
                          "directoryUri", "telephoneNumber", "title"])
        self.assertEqual(u.findtext("primaryExtension/pattern"), "1001")
        self.assertEqual(u.findtext("primaryExtension/routePartitionName"), "PT_INTERNAL")
        sp = u.find("serviceProfile")
        self.assertEqual(sp.text, "SP_Jabber")
        self.assertRegex(sp.get("uuid"), r"^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$")
        self.assertEqual(u.findtext("homeCluster"), "true")

    def test_returned_tags_filtering(self):
        tags = "<firstName/><userid/><primaryExtension><pattern/></primaryExtension><serviceProfile/>"
        status, _, raw = self.call(list_user(crit="<userid>bob</userid>", tags=tags))
        self.assertEqual(status, 200, raw)
        u = users_of(raw)[0]
        self.assertEqual([c.tag for c in u], ["firstName", "userid", "primaryExtension", "serviceProfile"])
        self.assertEqual([c.tag for c in u.find("primaryExtension")], ["pattern"])
        self.assertEqual(u.find("serviceProfile").get("uuid"), "{6A8E9D3C-0000-0000-0000-000000000001}")
        self.assertEqual(u.get("uuid"), "{083C72B4-EA4C-D7F5-84DD-751C9EBC1562}")
        # primaryExtension named without children comes back empty
        status, _, raw = self.call(list_user(crit="<userid>bob</userid>",
                                             tags="<userid/><primaryExtension/>"))
        self.assertIn(b"<userid>bob</userid><primaryExtension/></user>", raw)
        # booleans from JSON true come out as "true"
        status, _, raw = self.call(list_user(crit="<userid>bob</userid>", tags="<homeCluster/>"))
        self.assertIn(b"<homeCluster>true</homeCluster>", raw)

    def test_nulls_are_empty_elements(self):
        status, _, raw = self.call(list_user(crit="<userid>carol</userid>"))
        for frag in (b"<mailid/>", b"<primaryExtension/>", b"<serviceProfile/>", b"<directoryUri/>",
                     b"<telephoneNumber/>", b"<title/>"):
            self.assertIn(frag, raw)
        status, _, raw = self.call(list_user(crit="<userid>bob</userid>"))
        self.assertIn(b"<manager/>", raw)
        self.assertIn(b"<pattern>1002</pattern><routePartitionName/>", raw)

    def test_escaping_and_utf8(self):
        status, _, raw = self.call(list_user(crit="<userid>dave</userid>"))
        self.assertEqual(status, 200)
        u = users_of(raw)[0]
        d = BY_ID["dave"]
        for tag in ("firstName", "lastName", "department", "title"):
            self.assertEqual(u.findtext(tag), d[tag])
        self.assertEqual(u.find("serviceProfile").text, "SP_R&D")
        self.assertEqual(u.findtext("primaryExtension/routePartitionName"), "PT_<E164>")
        self.assertIn(b"<title>R&amp;D &lt;Lead&gt; &quot;x&quot; &apos;y&apos;</title>", raw)
        status, _, raw = self.call(list_user(crit="<userid>zoe%</userid>"))
        u = users_of(raw)[0]
        self.assertEqual(u.findtext("firstName"), "Zoë")
        self.assertIn("<lastName>Ünal</lastName>".encode("utf-8"), raw)

    def test_search_criteria_like(self):
        def ids(crit):
            status, _, raw = self.call(list_user(crit=crit))
            self.assertEqual(status, 200, raw)
            return [u.findtext("userid") for u in users_of(raw)]
        self.assertEqual(ids("<userid>a%</userid>"), ["alice"])
        self.assertEqual(ids("<userid>_ve</userid>"), ["eve"])
        self.assertEqual(ids("<userid>frank</userid>"), ["FRANK"])
        self.assertEqual(ids("<userid>%A%</userid>"), ["FRANK", "alice", "carol", "dave", "zoe.unal"])
        self.assertEqual(ids("<lastName>ng</lastName>"), ["FRANK", "alice"])
        self.assertEqual(ids("<lastName>Ng</lastName><userid>a%</userid>"), ["alice"])
        self.assertEqual(ids("<department>R&amp;%</department>"), ["dave"])
        self.assertEqual(ids("<userid>nobody</userid>"), [])

    def test_prefixes_vary(self):
        status, _, raw = self.call(list_user(ns="axl", crit="<userid>alice</userid>"), env="SOAP-ENV", ns="axl")
        self.assertEqual(status, 200, raw)
        self.assertEqual(len(users_of(raw)), 1)

    def test_keep_alive(self):
        c = self.sim.conn()
        try:
            post(c, envelope(list_user(first=1)))
            sock = c.sock
            for _ in range(3):
                status, _, _ = post(c, envelope(list_user(first=1)))
                self.assertEqual(status, 200)
                self.assertIs(c.sock, sock)
        finally:
            c.close()

    def test_other_axl_version(self):
        status, _, raw = self.call(list_user(crit="<userid>alice</userid>"), ver="14.0")
        self.assertEqual(status, 200, raw)
        self.assertIn(b'xmlns:ns="http://www.cisco.com/AXL/API/14.0"', raw)

    def test_soapaction_checks(self):
        body = envelope(list_user(first=1))
        for sa, needle in (('"CUCM:DB ver=14.0 listUser"', "does not match the namespace version"),
                           ('"CUCM:DB ver=12.5 getUser"', "does not match the request body operation"),
                           (False, "SOAPAction header must be")):
            status, r, raw = post(self.c, body, soapaction=sa)
            self.assertEqual(status, 500, sa)
            f = fault_of(raw)
            self.assertIn(needle, f["faultstring"])
            self.assertEqual(f["faultcode"], "soapenv:Client")
            self.assertEqual(f["request"], "listUser")
        # unquoted SOAPAction is tolerated
        status, _, _ = post(self.c, body, soapaction="CUCM:DB ver=12.5 listUser")
        self.assertEqual(status, 200)

    def test_unknown_operation(self):
        for op in ("listPhone", "frobnicate"):
            status, r, raw = self.call("<ns:%s><name>x</name></ns:%s>" % (op, op))
            self.assertEqual(status, 500)
            self.assertEqual(r.getheader("Content-Type"), "text/xml; charset=utf-8")
            f = fault_of(raw)
            self.assertEqual((f["axlcode"], f["faultstring"], f["request"]), (5007, "Unknown operation: " + op, op))

    def test_doctype_refused(self):
        evil = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                + envelope(list_user(first=1)).split("?>", 1)[1])
        status, r, raw = post(self.c, evil, op="listUser")
        self.assertEqual(status, 400)
        self.assertNotIn(b"root:", raw)
        status, r, raw = post(self.c, "<not xml", op="listUser")
        self.assertEqual(status, 400)
        # the connection stays usable
        status, _, _ = post(self.c, envelope(list_user(first=1)))
        self.assertEqual(status, 200)

    def test_wrong_content_type(self):
        status, _, _ = post(self.c, envelope(list_user(first=1)), headers={"Content-Type": "application/json"})
        self.assertEqual(status, 415)

    def test_get_axl_page(self):
        self.c.request("GET", "/axl/")
        r = self.c.getresponse()
        self.assertEqual(r.status, 200)
        self.assertIn(b"AXL Web Service", r.read())

    def test_sql_devices(self):
        a, b, carol, e = (BY_ID[k]["pkid"] for k in ("alice", "bob", "carol", "eve"))
        unknown = "99999999-9999-4999-8999-999999999999"
        status, _, raw = self.call(sql(DEVICE_SQL % in_list(e, a, carol, unknown, a)))
        self.assertEqual(status, 200, raw)
        rows = rows_of(raw)
        got = [(r["pkid"], r["devicename"]) for r in rows]
        expect = sorted([(a, "CSFALICE"), (a, "SEP001122334455"), (carol, ""),
                         (e, "CSFEVE"), (e, "SEP0000000000E0"), (e, "TCTEVE")])
        self.assertEqual(got, expect)
        for r in rows:
            self.assertEqual(list(r), ["pkid", "displayname", "devicename", "model"])
        row_c = [r for r in rows if r["pkid"] == carol][0]
        self.assertEqual((row_c["displayname"], row_c["model"]), ("", ""))
        self.assertIn(b"<devicename>CSFALICE</devicename><model>Cisco Unified Client Services Framework</model>", raw)
        self.assertIn(b"<row><pkid>" + carol.encode() + b"</pkid><displayname></displayname>"
                      b"<devicename></devicename><model></model></row>", raw)
        self.assertEqual([r["model"] for r in rows if r["devicename"] == "SEP0000000000E0"], [""])
        # whitespace, case, CDATA and escaping
        stmt = "\n  " + DEVICE_SQL.lower().replace(" ", "\n\t ") % in_list(BY_ID["dave"]["pkid"]) + "\n"
        status, _, raw = self.call(sql("<![CDATA[%s]]>" % stmt))
        self.assertEqual(status, 200, raw)
        self.assertEqual(rows_of(raw)[0]["displayname"], "Dave O'Brien & <Co>")
        self.assertIn(b"<displayname>Dave O&apos;Brien &amp; &lt;Co&gt;</displayname>", raw)
        # unknown pkids only: no rows
        status, _, raw = self.call(sql(DEVICE_SQL % in_list(unknown)))
        self.assertIn(b"<return/>", raw)
        self.assertIn(b'<ns:executeSQLQueryResponse xmlns:ns="http://www.cisco.com/AXL/API/12.5" sequence="2">', raw)

    def test_sql_count(self):
        status, _, raw = self.call(sql("select count(*) as total from enduser"))
        self.assertEqual(status, 200, raw)
        self.assertEqual(rows_of(raw), [{"total": str(len(USERS))}])

    def test_sql_rejected(self):
        a = BY_ID["alice"]["pkid"]
        for stmt in (DEVICE_SQL % in_list(a.upper()),
                     DEVICE_SQL % ("'%s' OR 1=1" % a),
                     DEVICE_SQL % "",
                     DEVICE_SQL % ("'%s', userid" % a),
                     "SELECT * FROM enduser",
                     "DELETE FROM enduser"):
            status, _, raw = self.call(sql(stmt.replace("&", "&amp;").replace("<", "&lt;")))
            self.assertEqual(status, 500, stmt)
            f = fault_of(raw)
            self.assertEqual((f["axlcode"], f["faultstring"], f["faultcode"], f["request"]),
                             (-201, "A syntax error has occurred.", "soapenv:Server", "executeSQLQuery"))

    def test_get_user_and_version(self):
        op = ('<ns:getUser sequence="3"><userid>ALICE</userid><returnedTags><firstName/><userid/>'
              '<associatedDevices><device/></associatedDevices></returnedTags></ns:getUser>')
        status, _, raw = self.call(op)
        self.assertEqual(status, 200, raw)
        u = users_of(raw)[0]
        self.assertEqual([c.tag for c in u], ["firstName", "userid", "associatedDevices"])
        self.assertEqual([d.text for d in u.find("associatedDevices")], ["SEP001122334455", "CSFALICE"])
        status, _, raw = self.call("<ns:getUser><userid>nobody</userid></ns:getUser>")
        f = fault_of(raw)
        self.assertEqual((status, f["axlcode"], f["faultstring"]),
                         (500, 5007, "Item not valid: The specified User was not found"))
        status, _, raw = self.call("<ns:getCCMVersion/>")
        self.assertEqual(body_op(raw).findtext("return/componentVersion/version"), "12.5.1.11900(146)")

    def test_log_lines(self):
        status, _, _ = self.call(list_user(skip=3, first=2, seq="77"))
        rec = [r for r in self.sim.log() if r.get("sequence") == "77"][-1]
        for key in ("n", "soapaction", "operation", "skip", "first", "status", "validated", "auth", "fault"):
            self.assertIn(key, rec)
        self.assertEqual((rec["operation"], rec["skip"], rec["first"], rec["status"], rec["auth"], rec["fault"]),
                         ("listUser", 3, 2, 200, "missing", None))
        self.assertEqual(rec["soapaction"], '"CUCM:DB ver=12.5 listUser"')
        self.assertEqual(rec["validated"], HAVE_SCHEMA)

    @unittest.skipUnless(HAVE_SCHEMA, "AXLSoap.xsd or xmllint missing")
    def test_schema_accepts_client_request(self):
        # the exact listUser the client sends, empty returnedTags and all
        status, _, raw = self.call(list_user(seq="501"))
        self.assertEqual(status, 200, raw)
        rec = [r for r in self.sim.log() if r.get("sequence") == "501"][-1]
        self.assertTrue(rec["validated"])
        status, _, raw = self.call(sql(DEVICE_SQL % in_list(BY_ID["alice"]["pkid"]), seq="502"))
        self.assertEqual(status, 200, raw)
        rec = [r for r in self.sim.log() if r.get("sequence") == "502"][-1]
        self.assertTrue(rec["validated"])

    @unittest.skipUnless(HAVE_SCHEMA, "AXLSoap.xsd or xmllint missing")
    def test_schema_rejects_out_of_order(self):
        tags = "<userid/><firstName/><lastName/>"
        status, _, raw = self.call(list_user(tags=tags))
        self.assertEqual(status, 500, raw)
        f = fault_of(raw)
        self.assertEqual((f["faultcode"], f["axlcode"]), ("soapenv:Client", 5003))
        self.assertTrue(f["faultstring"].startswith("request does not validate against AXLSoap.xsd: "
                                                     "Element 'firstName': This element is not expected."),
                        f["faultstring"])
        # an empty value outside returnedTags counts
        status, _, raw = self.call(list_user(first=""))
        self.assertIn("'' is not a valid value", fault_of(raw)["faultstring"])
        # a tag LUser does not have (associatedDevices is RUser only)
        status, _, raw = self.call(list_user(tags="<userid/><associatedDevices/>"))
        self.assertEqual(fault_of(raw)["axlcode"], 5003)
        # missing returnedTags
        status, _, raw = self.call('<ns:listUser><searchCriteria><userid>%</userid></searchCriteria></ns:listUser>')
        self.assertIn("Missing child element", fault_of(raw)["faultstring"])
        # qualified children (elementFormDefault is unqualified)
        status, _, raw = self.call('<ns:listUser><ns:searchCriteria><userid>%</userid></ns:searchCriteria>'
                                   '<returnedTags><userid/></returnedTags></ns:listUser>')
        self.assertEqual(fault_of(raw)["axlcode"], 5003)
        # cached verdict: same shape, other values, same answer
        status, _, raw = self.call(list_user(tags=tags, skip=7, first=9))
        self.assertEqual(fault_of(raw)["axlcode"], 5003)

    @unittest.skipUnless(HAVE_SCHEMA, "AXLSoap.xsd or xmllint missing")
    def test_responses_validate(self):
        """The simulator's own answers are valid ListUserRes / ExecuteSQLQueryRes / GetUserRes."""
        for op_xml in (list_user(), sql(DEVICE_SQL % in_list(*(u["pkid"] for u in USERS))),
                       '<ns:getUser><userid>alice</userid></ns:getUser>'):
            status, _, raw = self.call(op_xml)
            self.assertEqual(status, 200)
            resp = body_op(raw)
            with tempfile.NamedTemporaryFile("wb", suffix=".xml", delete=False) as f:
                f.write(ET.tostring(resp, encoding="utf-8"))
            try:
                p = subprocess.run(["xmllint", "--noout", "--schema", str(XSD), f.name],
                                   capture_output=True, text=True)
            finally:
                os.unlink(f.name)
            self.assertEqual(p.returncode, 0, p.stderr)


class TestFailureModes(Base):

    def test_auth(self):
        s = self.start("--user", "axladmin", "--password", "s3cr:et")
        c = s.conn()
        body = envelope(list_user(first=1))
        good = "Basic " + base64.b64encode(b"axladmin:s3cr:et").decode()
        bad = "Basic " + base64.b64encode(b"axladmin:nope").decode()
        for hdrs in ({}, {"Authorization": bad}):
            status, r, raw = post(c, body, headers=hdrs)
            self.assertEqual(status, 401)
            self.assertEqual(raw, b"<html><head><title>Apache Tomcat - Error report</title></head><body>"
                                  b"<h1>HTTP Status 401 - Unauthorized</h1></body></html>")
            self.assertTrue(r.getheader("Content-Type").startswith("text/html"))
        status, _, raw = post(c, body, headers={"Authorization": good})
        self.assertEqual(status, 200)
        self.assertEqual([(r["auth"], r["status"]) for r in s.log()], [("missing", 401), ("bad", 401), ("ok", 200)])
        c.close()

    def test_max_rows(self):
        s = self.start("--max-rows", "3")
        c = s.conn()
        status, r, raw = post(c, envelope(list_user(first=500)))
        self.assertEqual(status, 500)
        f = fault_of(raw)
        self.assertEqual(f["faultstring"], "Query request too large. Total rows matched: 7 rows. "
                                           "Suggested row fetch: less than 3 rows")
        self.assertEqual((f["axlcode"], f["request"]), (-1, "listUser"))
        status, _, raw = post(c, envelope(list_user(first=3, skip=3)))
        self.assertEqual((status, len(users_of(raw))), (200, 3))
        status, _, raw = post(c, envelope(list_user(first=None, skip=None, crit="<lastName>Ng</lastName>")))
        self.assertEqual((status, len(users_of(raw))), (200, 2))
        status, _, raw = post(c, envelope(list_user(first=None, skip=None)))
        self.assertEqual(status, 500)
        self.assertIn("Total rows matched: 7 rows", fault_of(raw)["faultstring"])
        # SQL: 2 + 1 + 3 = 6 rows > 3
        pk = [BY_ID[k]["pkid"] for k in ("alice", "carol", "eve")]
        status, _, raw = post(c, envelope(sql(DEVICE_SQL % in_list(*pk))))
        self.assertEqual(fault_of(raw)["faultstring"], "Query request too large. Total rows matched: 6 rows. "
                                                       "Suggested row fetch: less than 3 rows")
        status, _, raw = post(c, envelope(sql(DEVICE_SQL % in_list(pk[0]))))
        self.assertEqual((status, len(rows_of(raw))), (200, 2))
        c.close()

    def test_ignore_skip(self):
        s = self.start("--ignore-skip")
        c = s.conn()
        pages = []
        for skip in (0, 3):
            status, _, raw = post(c, envelope(list_user(skip=skip, first=3)))
            self.assertEqual(status, 200)
            pages.append([u.findtext("userid") for u in users_of(raw)])
        self.assertEqual(pages[0], sorted(BY_ID)[:3])
        self.assertEqual(pages[1], pages[0])
        self.assertEqual([r["skip"] for r in s.log()], [0, 3])
        c.close()

    def test_no_paging(self):
        s = self.start("--no-paging")
        c = s.conn()
        status, _, raw = post(c, envelope(list_user(skip=3, first=2)))
        self.assertEqual((status, len(users_of(raw))), (200, len(USERS)))
        c.close()

    def test_bad_uuid(self):
        s = self.start("--bad-uuid", "bob={NOT-A-GUID}", "--bad-uuid", "carol=", validate=True)
        c = s.conn()
        status, _, raw = post(c, envelope(list_user(first=50)))
        self.assertEqual(status, 200)
        got = {u.findtext("userid"): u.get("uuid") for u in users_of(raw)}
        self.assertEqual(got["bob"], "{NOT-A-GUID}")
        self.assertIsNone(got["carol"])
        self.assertEqual(got["alice"], BY_ID["alice"]["uuid"])
        if HAVE_SCHEMA:
            self.assertTrue(s.log()[0]["validated"])
        c.close()
        bad = subprocess.run([sys.executable, str(SIM), "--fixture", str(FIXTURE), "--bad-uuid", "bob"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("--bad-uuid wants USERID=VALUE", bad.stderr)

    def test_throttle_with_retry_after(self):
        s = self.start("--throttle", "2", "--retry-after", "7")
        c = s.conn()
        for _ in range(2):
            status, r, raw = post(c, envelope(list_user(first=1)))
            self.assertEqual((status, r.getheader("Retry-After"), raw),
                             (503, "7", b"<html><body>Service Unavailable</body></html>"))
        status, r, raw = post(c, envelope(list_user(first=1)))
        self.assertEqual((status, r.getheader("Retry-After")), (200, None))
        c.close()

    def test_throttle_without_retry_after(self):
        s = self.start("--throttle", "1")
        c = s.conn()
        status, r, _ = post(c, envelope(list_user(first=1)))
        self.assertEqual((status, r.getheader("Retry-After")), (503, None))
        status, _, _ = post(c, envelope(list_user(first=1)))
        self.assertEqual(status, 200)
        c.close()

    def test_fault_after(self):
        s = self.start("--fault-after", "2", "--fault-code", "5099", "--fault-message", "Boom & <bust>")
        c = s.conn()
        for _ in range(2):
            status, _, _ = post(c, envelope(list_user(first=1)))
            self.assertEqual(status, 200)
        for _ in range(2):
            status, _, raw = post(c, envelope(sql("SELECT COUNT(*) AS total FROM enduser")))
            self.assertEqual(status, 500)
            f = fault_of(raw)
            self.assertEqual((f["axlcode"], f["faultstring"], f["axlmessage"], f["request"], f["faultcode"]),
                             (5099, "Boom & <bust>", "Boom & <bust>", "executeSQLQuery", "soapenv:Server"))
        self.assertEqual([r["fault"] for r in s.log()], [None, None, "Boom & <bust>", "Boom & <bust>"])
        self.assertEqual({r["validated"] for r in s.log()}, {False})  # no schema here
        c.close()

    def test_concurrent_clients(self):
        s = self.start()
        errors = []

        def worker(k):
            try:
                c = s.conn()
                for skip in range(0, 7):
                    status, _, raw = post(c, envelope(list_user(skip=skip, first=1, seq=str(k))))
                    ids = [u.findtext("userid") for u in users_of(raw)]
                    if status != 200 or ids != [sorted(BY_ID)[skip]]:
                        errors.append((k, skip, status, ids))
                c.close()
            except Exception as e:  # reported below
                errors.append((k, repr(e)))
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(r["n"] for r in s.log()), list(range(1, 57)))

    def test_slow(self):
        s = self.start("--slow-ms", "400", "--slow-after", "1")
        c = s.conn()
        t0 = time.monotonic()
        post(c, envelope(list_user(first=1)))
        t1 = time.monotonic()
        post(c, envelope(list_user(first=1)))
        t2 = time.monotonic()
        self.assertLess(t1 - t0, 0.35)
        self.assertGreaterEqual(t2 - t1, 0.4)
        c.close()

    def test_drop_after(self):
        s = self.start("--drop-after", "1")
        c = s.conn()
        status, _, _ = post(c, envelope(list_user(first=1)))
        self.assertEqual(status, 200)
        for _ in range(2):
            c2 = s.conn()
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
                post(c2, envelope(list_user(first=1)))
            c2.close()
        log = s.log()
        self.assertEqual([r.get("dropped", False) for r in log], [False, True, True])
        self.assertEqual(log[1]["status"], None)
        c.close()

    def test_drop_count(self):
        s = self.start("--drop-after", "0", "--drop-count", "1")
        c = s.conn()
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            post(c, envelope(list_user(first=1)))
        c.close()
        c = s.conn()
        status, _, _ = post(c, envelope(list_user(first=1)))
        self.assertEqual(status, 200)
        c.close()

    @unittest.skipUnless(shutil.which("openssl"), "openssl missing")
    def test_tls(self):
        d = tempfile.mkdtemp(prefix="axl_sim_tls-")
        self.addCleanup(shutil.rmtree, d, True)
        cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        ctx = ssl.create_default_context(cafile=cert)
        s = self.start("--tls-cert", cert, "--tls-key", key, tls=ctx)
        c = s.conn()
        status, _, raw = post(c, envelope(list_user(first=1)))
        self.assertEqual(status, 200)
        c.close()
        strict = http.client.HTTPSConnection("127.0.0.1", s.port, timeout=10,
                                             context=ssl.create_default_context())
        with self.assertRaises(ssl.SSLCertVerificationError):
            post(strict, envelope(list_user(first=1)))
        strict.close()
        # the server survives a failed handshake
        c = s.conn()
        status, _, _ = post(c, envelope(list_user(first=1)))
        self.assertEqual(status, 200)
        c.close()

    def test_pid_file_and_sigterm(self):
        s = SimProcess()
        with open(s.pid_file) as f:
            self.assertEqual(int(f.read()), s.proc.pid)
        port_file = s.port_file
        s.proc.send_signal(signal.SIGTERM)
        self.assertEqual(s.proc.wait(10), 0)
        self.assertFalse(os.path.exists(port_file))
        s.stop()

    def test_binds_loopback_only(self):
        s = self.start()
        with socket.create_connection(("127.0.0.1", s.port), timeout=5):
            pass
        out = subprocess.run(["ss", "-ltnH", "sport = :%d" % s.port], capture_output=True, text=True) \
            if shutil.which("ss") else None
        if out and out.returncode == 0 and out.stdout.strip():
            self.assertIn("127.0.0.1:%d" % s.port, out.stdout)

    def test_bad_fixture(self):
        d = tempfile.mkdtemp(prefix="axl_sim_bad-")
        self.addCleanup(shutil.rmtree, d, True)
        bad = os.path.join(d, "bad.json")
        with open(bad, "w") as f:
            f.write('{"users": [{"firstName": "no userid"}]}')
        p = subprocess.run([sys.executable, str(SIM), "--fixture", bad], capture_output=True, text=True, timeout=10)
        self.assertEqual(p.returncode, 2)
        self.assertIn("cannot load fixture", p.stderr)


class TestSampleFixtures(Base):
    """The fixtures under samples/ load and page completely."""

    def run_fixture(self, path):
        with open(path, encoding="utf-8") as f:
            users = json.load(f)["users"]
        s = self.start(fixture=path, validate=True)
        c = s.conn()
        got, skip = [], 0
        while True:
            status, _, raw = post(c, envelope(list_user(skip=skip, first=7)))
            self.assertEqual(status, 200, raw)
            page = users_of(raw)
            if not page:
                break
            got += [u.findtext("userid") for u in page]
            skip += 7
        self.assertEqual(got, sorted(u["userid"] for u in users))
        pk = [u["pkid"] for u in users]
        status, _, raw = post(c, envelope(sql(DEVICE_SQL % in_list(*pk))))
        self.assertEqual(status, 200, raw)
        expect = sum(max(1, len(u.get("devices") or [])) for u in users)
        self.assertEqual(len(rows_of(raw)), expect)
        c.close()

    def test_samples(self):
        found = sorted((REPO / "samples").glob("cucm/*/axl-fixture.json"))
        if not found:
            self.skipTest("no samples/cucm/*/axl-fixture.json yet")
        for path in found:
            with self.subTest(fixture=str(path.relative_to(REPO))):
                self.run_fixture(path)


if __name__ == "__main__":
    unittest.main(verbosity=2)
