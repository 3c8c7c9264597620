#!/usr/bin/env python3
"""Generates a persistent-chat history for the sample org example.com.

Writes the IM&P external-database tables (TC_ROOMS, TC_USERS, TC_MSGARCHIVE,
AFT_LOG) twice, holding the same rows: as CSV dumps (as an Oracle or MS SQL
site would hand them over) and as an SQL file that creates and loads them in
PostgreSQL. The history is deterministic (seeded): several persistent and
ad-hoc rooms, Unicode, HTML-looking and hostile bodies, long messages stored in
BODY_TEXT, and file transfers with their AFT_LOG rows.

usage: chatgen.py OUTDIR [--messages N] [--seed S]
"""
import argparse
import csv
import datetime
import os
import random
from xml.sax.saxutils import escape, quoteattr

CONF = "conference.example.com"
USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "zoe"]
NICKS = {"alice": "Alice Ng", "bob": "Bob Lee", "carol": "Carol Díaz", "dave": "Dave",
         "erin": "Erin O'Neil", "frank": "Frank", "grace": "Grace 王", "heidi": "Heidi Müller",
         "ivan": "Иван", "zoe": "Zoë"}

ROOMS = [
    # jid local part, type, room name (None: form without a name), creator, members
    ("dev-team", "persistent", "Development Team", "alice",
     ["alice", "bob", "carol", "dave", "zoe"]),
    ("sales-emea", "persistent", "Sales EMEA — Ventes & Vertrieb", "heidi",
     ["heidi", "erin", "frank", "ivan"]),
    ("incident-2024", "persistent", "<Incident> & Response \"war room\"", "bob",
     ["bob", "alice", "grace"]),
    ("adhoc-7f3a9c1e", "ad-hoc", None, "carol", ["carol", "dave"]),
    ("general", "persistent", "General 📣", "alice", USERS),
]

PHRASES = [
    "Good morning, all", "Build is green again", "Can someone review PR #{n}?",
    "Deploying to staging at {h}:00", "Le client a confirmé la commande",
    "Die Präsentation ist fertig", "会议改到下午三点", "Привет! Как дела?",
    "שלום, מה נשמע", "🎉 shipped!", "Numbers: 1,234.56; \"quoted\" and 'single'",
    "Use <b>bold</b> & <i>italics</i> in the wiki", "if (a < b && c > d) {{ return; }}",
    "Line one\nLine two\n\tindented line three", "=SUM(A1:A9) is not a formula here",
    "path C:\\temp\\file.txt and a tab\there",
]

HOSTILE = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "</div></li></ol><h1>injected</h1>",
    "\"><svg onload=alert(document.domain)>",
    "&lt;already escaped&gt; &amp; &#x3C;script&#x3E;",
]


def room_config(room_jid, name, rtype):
    fields = []
    if name is not None:
        fields.append('<field var="muc#roomconfig_roomname"><value>%s</value></field>' % escape(name))
    fields.append('<field var="muc#roomconfig_persistentroom"><value>%d</value></field>'
                  % (1 if rtype == "persistent" else 0))
    fields.append('<field var="muc#roomconfig_roomdesc"><value></value></field>')
    return ('<iq xmlns="jabber:client" type="set" to=%s id="cfg1">'
            '<query xmlns="http://jabber.org/protocol/muc#owner">'
            '<x xmlns="jabber:x:data" type="submit">'
            '<field var="FORM_TYPE"><value>http://jabber.org/protocol/muc#roomconfig</value></field>'
            '%s</x></query></iq>' % (quoteattr(room_jid), "".join(fields)))


def stanza(room_jid, nick, body, msg_id, extra=""):
    return ('<message from=%s to=%s type="groupchat" id="m%d" xmlns="jabber:client">'
            '<body>%s</body>%s</message>'
            % (quoteattr(room_jid + "/" + nick), quoteattr(room_jid), msg_id, escape(body), extra))


def generate(messages, seed):
    rnd = random.Random(seed)
    rooms, users, msgs, files = [], [], [], []
    start = datetime.datetime(2024, 3, 1, 8, 0, 0)
    for local, rtype, name, creator, members in ROOMS:
        jid = "%s@%s" % (local, CONF)
        subject = {"dev-team": "Sprint 42", "incident-2024": "P1: login failures <see ticket>"}.get(local, "")
        rooms.append({"ROOM_JID": jid, "CREATOR_JID": creator + "@example.com", "SUBJECT": subject,
                      "TYPE": rtype, "CONFIG": room_config(jid, name, rtype),
                      "SPACKET": '<message type="groupchat"><subject>%s</subject></message>' % escape(subject),
                      "START_MSG_ID": 1, "NEXT_MSG_ID": 1})
        for i, u in enumerate(members):
            aff = "owner" if u == creator else ("admin" if i == 1 else "member")
            users.append({"ROOM_JID": jid, "REAL_JID": u + "@example.com",
                          "ROLE": "moderator" if aff == "owner" else "none",
                          "AFFILIATION": aff, "NICK_JID": "%s/%s" % (jid, NICKS[u])})
    next_id = {r["ROOM_JID"]: 1 for r in rooms}
    aft = 1
    t = start
    for n in range(messages):
        room = ROOMS[rnd.randrange(len(ROOMS))] if n >= len(ROOMS) else ROOMS[n]
        jid = "%s@%s" % (room[0], CONF)
        u = room[4][rnd.randrange(len(room[4]))]
        nick = NICKS[u]
        t += datetime.timedelta(seconds=rnd.randrange(20, 4000), milliseconds=rnd.randrange(1000))
        msg_id = next_id[jid]
        next_id[jid] += 1
        body_string, body_text, extra = None, None, ""
        kind = n % 23
        if kind == 5:
            body = HOSTILE[(n // 23) % len(HOSTILE)]
        elif kind == 11:
            # long messages live in BODY_TEXT (and their stanza in MESSAGE_TEXT)
            body = ("Release notes, part %d: " % n) + " ".join(
                "item %d: %s." % (i, PHRASES[i % len(PHRASES)].format(n=i, h=9)) for i in range(160))
        elif kind == 17:
            fname = ["design review.pdf", "Q3 forecast (final).xlsx", "photo_ünïcode.jpg",
                     "<evil>.txt"][(n // 23) % 4]
            body = "Your chat application does not support downloading this file"
            server_name = "%016x" % rnd.getrandbits(64)
            extra = ('<advanced-file-transfer xmlns="urn:xmpp:aft"><filename>%s</filename>'
                     '<filesize>%d</filesize></advanced-file-transfer>'
                     '<aft-html>&lt;a href="https://imp.example.com/%s"&gt;%s&lt;/a&gt;</aft-html>'
                     % (escape(fname), 1000 + n, server_name, escape(fname)))
            up = t - datetime.timedelta(milliseconds=800)
            files.append({"AFT_INDEX": aft, "JID": u + "@example.com", "TO_JID": jid,
                          "METHOD": "POST", "FILENAME": server_name, "REAL_FILENAME": fname,
                          "FILE_SERVER": "mft.example.com", "FILE_PATH": "/mft/%s" % server_name,
                          "BYTES_TRANSFERRED": 1000 + n, "TIMESTAMPVALUE": up})
            aft += 1
            other = room[4][0]
            files.append({"AFT_INDEX": aft, "JID": other + "@example.com", "TO_JID": jid,
                          "METHOD": "GET", "FILENAME": server_name, "REAL_FILENAME": fname,
                          "FILE_SERVER": "mft.example.com", "FILE_PATH": "/mft/%s" % server_name,
                          "BYTES_TRANSFERRED": 1000 + n,
                          "TIMESTAMPVALUE": t + datetime.timedelta(minutes=5)})
            aft += 1
        else:
            body = PHRASES[rnd.randrange(len(PHRASES))].format(n=rnd.randrange(1, 999), h=rnd.randrange(8, 18))
        st = stanza(jid, nick, body, msg_id, extra)
        if len(body) > 4000:
            body_text, message_string, message_text = body, None, st
        else:
            body_string, message_string, message_text = body, st, None
        msgs.append({"MSG_ID": msg_id, "TO_JID": jid, "FROM_JID": u + "@example.com",
                     "NICK_JID": "%s/%s" % (jid, nick), "SENT_DATE": t, "MSG_TYPE": "g",
                     "BODY_LEN": len(body), "MESSAGE_LEN": len(st), "BODY_STRING": body_string,
                     "MESSAGE_STRING": message_string, "BODY_TEXT": body_text,
                     "MESSAGE_TEXT": message_text, "SUBJECT": None})
    for r in rooms:
        r["NEXT_MSG_ID"] = next_id[r["ROOM_JID"]]
    return rooms, users, msgs, files


COLUMNS = {
    "TC_ROOMS": ["ROOM_JID", "CREATOR_JID", "SUBJECT", "TYPE", "CONFIG", "SPACKET",
                 "START_MSG_ID", "NEXT_MSG_ID"],
    "TC_USERS": ["ROOM_JID", "REAL_JID", "ROLE", "AFFILIATION", "NICK_JID"],
    "TC_MSGARCHIVE": ["MSG_ID", "TO_JID", "FROM_JID", "NICK_JID", "SENT_DATE", "MSG_TYPE",
                      "BODY_LEN", "MESSAGE_LEN", "BODY_STRING", "MESSAGE_STRING", "BODY_TEXT",
                      "MESSAGE_TEXT", "SUBJECT"],
    "AFT_LOG": ["AFT_INDEX", "JID", "TO_JID", "METHOD", "FILENAME", "REAL_FILENAME",
                "FILE_SERVER", "FILE_PATH", "BYTES_TRANSFERRED", "TIMESTAMPVALUE"],
}

SCHEMA = """-- IM and Presence persistent-chat external database (PostgreSQL), as documented in
-- the IM and Presence "Database Setup" guide (tables the archiver reads).
CREATE TABLE tc_rooms (
  room_jid VARCHAR(3071) NOT NULL PRIMARY KEY,
  creator_jid VARCHAR(3071) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  type VARCHAR(32) NOT NULL CONSTRAINT check_type CHECK (type IN ('ad-hoc', 'persistent')),
  config TEXT NOT NULL,
  spacket TEXT NOT NULL,
  start_msg_id BIGINT NOT NULL,
  next_msg_id BIGINT NOT NULL);
CREATE TABLE tc_users (
  room_jid VARCHAR(3071) NOT NULL,
  real_jid VARCHAR(3071) NOT NULL,
  role VARCHAR(32) NOT NULL,
  affiliation VARCHAR(32) NOT NULL,
  nick_jid VARCHAR(3071) NOT NULL,
  reason VARCHAR(255),
  initiator_jid VARCHAR(3071),
  PRIMARY KEY (room_jid, real_jid));
CREATE TABLE tc_msgarchive (
  msg_id BIGINT NOT NULL,
  to_jid VARCHAR(3071) NOT NULL,
  from_jid VARCHAR(3071) NOT NULL,
  nick_jid VARCHAR(3071) NOT NULL,
  sent_date TIMESTAMP NOT NULL,
  msg_type CHAR(1) NOT NULL,
  body_len INTEGER NOT NULL,
  message_len INTEGER NOT NULL,
  body_string VARCHAR(4000),
  message_string VARCHAR(4000),
  body_text TEXT,
  message_text TEXT,
  subject VARCHAR(255));
CREATE INDEX tc_msgarchive_idx ON tc_msgarchive (to_jid, msg_id);
CREATE TABLE aft_log (
  aft_index BIGINT NOT NULL CONSTRAINT aft_log_pkey PRIMARY KEY,
  jid VARCHAR(3071) NOT NULL,
  to_jid VARCHAR(3071) NOT NULL,
  method VARCHAR(63) NOT NULL,
  filename VARCHAR(511) NOT NULL,
  real_filename VARCHAR(511) NOT NULL,
  file_server VARCHAR(511),
  file_path VARCHAR(511),
  bytes_transferred BIGINT,
  timestampvalue TIMESTAMP NOT NULL);
"""


def text(v):
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (v.microsecond // 1000)
    return str(v)


def sql_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + text(v).replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--messages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20240301)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rooms, users, msgs, files = generate(a.messages, a.seed)
    tables = {"TC_ROOMS": rooms, "TC_USERS": users, "TC_MSGARCHIVE": msgs, "AFT_LOG": files}
    for name, rows in tables.items():
        with open(os.path.join(a.outdir, name + ".csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(COLUMNS[name])
            for r in rows:
                w.writerow([text(r[c]) for c in COLUMNS[name]])
    with open(os.path.join(a.outdir, "chat.sql"), "w", encoding="utf-8") as f:
        f.write("-- Generated by scripts/chatgen.py (seed %d): the same rows as the CSV files.\n" % a.seed)
        f.write("SET client_encoding = 'UTF8';\nBEGIN;\n")
        f.write(SCHEMA)
        for name, rows in tables.items():
            cols = COLUMNS[name]
            for r in rows:
                f.write("INSERT INTO %s (%s) VALUES (%s);\n" % (
                    name.lower(), ", ".join(c.lower() for c in cols),
                    ", ".join(sql_literal(r[c]) for c in cols)))
        f.write("COMMIT;\n")


if __name__ == "__main__":
    main()
