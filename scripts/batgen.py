"""batgen: shared code for the j2w sample-data and benchmark generators.

Used by scripts/gen-sample-org (the committed sample org in samples/) and by
scripts/gen-bat (large synthetic BAT exports for benchmarks).  It knows the
layout of a CUCM Bulk Administration (BAT) export tar: header.txt, enduser.csv
(the real CUCM 14 column order), phone.csv (the real header),
serviceprofile.csv and ucservice.csv (the jabber-config of a profile before
and from Unified CM 12.5), and how those files are written: UTF-8, CRLF, comma
separated, quoted only when needed, literal NULL for absent values, t/f for
booleans.

Python 3 standard library only.
"""

import csv
import functools
import hashlib
import html
import io
import os
import re
import tarfile
import unicodedata
import urllib.parse
import uuid

NULL = "NULL"

# Fixed timestamp for every tar member, so that output is byte-identical
# from run to run (2024-03-04 10:15:22 UTC).
TAR_MTIME = 1709547322

CCM_VERSION = "master-14.0.1.10000-20.i386"

# ---------------------------------------------------------------------------
# enduser.csv: the header of a real CUCM 14.0 BAT export, in order.  With two
# DEVICE NAME groups and two PRIMARY EXTENSION groups it has 83 columns; the
# repeating groups grow with the largest number any user needs.

ENDUSER_HEAD = [
    "ASSOCIATED PC", "FIRST NAME", "MIDDLE NAME", "LAST NAME", "USER ID",
    "MANAGER", "DEPARTMENT", "TELEPHONE NUMBER", "USER LOCALE", "MAIL ID",
    "STATUS", "FACSIMILE TELEPHONE NUMBER", "MOBILE", "PAGER", "HOME PHONE",
    "TITLE", "BUILDING", "SITE", "DIRECTORY PLUGIN CONFIG",
    "UNIQUE IDENTIFIER", "NICKNAME", "DELETED TIME STAMP",
    "DIGEST CREDENTIALS", "PRESENCE GROUP", "TYPE USER PROFILE",
    "SUBSCRIBE CSS", "ALLOW CONTROL OF DEVICE FROM CTI",
    "ENABLE VOICE MAIL ACCESS", "MAX. DESK PICKUP WAIT TIME",
    "ENABLE MOBILITY", "REMOTE DESTINATION LIMIT",
    "ENABLE USER FOR UNIFIED CM IM AND PRESENCE", "ENABLE EMCC", "USER PKID",
    "DIRECTORY URI", "HOME CLUSTER", "UC SERVICE PROFILE",
    "INCLUDE MEETING INFORMATION IN PRESENCE", "ASSIGNED PRESENCE SERVER",
    "DISPLAY NAME", "ENABLE END USER TO HOST CONFERENCE NOW",
    "MEETING NUMBER", "ATTENDEES ACCESS CODE", "EM MAX LOGIN TIME",
    "SELF-SERVICE USER ID", "USER PROFILE",
    "PASSWORD LOCKED BY ADMIN 1", "PASSWORD CANT CHANGE 1",
    "PASSWORD MUST CHANGE AT NEXT LOGIN 1", "PASSWORD DOES NOT EXPIRE 1",
    "PASSWORD AUTHENTICATION RULE 1", "PASSWORD 1",
    "PIN LOCKED BY ADMIN 1", "PIN CANT CHANGE 1",
    "PIN MUST CHANGE AT NEXT LOGIN 1", "PIN DOES NOT EXPIRE 1",
    "PIN AUTHENTICATION RULE 1", "PIN 1",
    "APPLICATION SERVER NAME 1", "CONTENT 1",
]
ENDUSER_TAIL = [
    "NAME DIALING 1", "MLPP PRECEDENCE AUTHORIZATION LEVEL 1",
    "MLPP USER IDENTIFICATION NUMBER 1", "MLPP PASSWORD 1",
    "HEADSET SERIAL NUMBER 1",
]

# Values shared by every user row unless the user overrides them.
# The TYPE ... values are the CUCM enum numbers (constructed, not observed).
ENDUSER_DEFAULTS = {
    "STATUS": "1",
    "PRESENCE GROUP": "Standard Presence group",
    "TYPE USER PROFILE": "1",
    "ALLOW CONTROL OF DEVICE FROM CTI": "t",
    "ENABLE VOICE MAIL ACCESS": "f",
    "MAX. DESK PICKUP WAIT TIME": "10000",
    "ENABLE MOBILITY": "f",
    "REMOTE DESTINATION LIMIT": "4",
    "ENABLE EMCC": "f",
    "INCLUDE MEETING INFORMATION IN PRESENCE": "t",
    "ENABLE END USER TO HOST CONFERENCE NOW": "f",
    "USER PROFILE": "Standard (Factory Default) User Profile",
    "PASSWORD LOCKED BY ADMIN 1": "f",
    "PASSWORD CANT CHANGE 1": "f",
    "PASSWORD MUST CHANGE AT NEXT LOGIN 1": "f",
    "PASSWORD DOES NOT EXPIRE 1": "t",
    "PASSWORD AUTHENTICATION RULE 1": "Default Credential Policy",
    "PIN LOCKED BY ADMIN 1": "f",
    "PIN CANT CHANGE 1": "f",
    "PIN MUST CHANGE AT NEXT LOGIN 1": "f",
    "PIN DOES NOT EXPIRE 1": "t",
    "PIN AUTHENTICATION RULE 1": "Default Credential Policy",
}

DEFAULT_ACGS = ["Standard CCM End Users", "Standard CTI Enabled"]


def enduser_header(ndev=2, nacg=6, next_=2):
    """Column names of enduser.csv with ndev DEVICE NAME groups, nacg
    ACCESS CONTROL GROUP columns and next_ PRIMARY EXTENSION groups."""
    cols = list(ENDUSER_HEAD)
    cols += ["ACCESS CONTROL GROUP %d" % i for i in range(1, nacg + 1)]
    for i in range(1, ndev + 1):
        cols += ["DEVICE NAME %d" % i, "DEFAULT PROFILE %d" % i,
                 "DESCRIPTION %d" % i, "TYPE USER ASSOCIATION %d" % i]
    for i in range(1, next_ + 1):
        cols += ["PRIMARY EXTENSION %d" % i, "TYPE PATTERN USAGE %d" % i]
    cols += ENDUSER_TAIL
    return cols


# User-dict key -> enduser.csv column (text values; None becomes NULL).
USER_TEXT_FIELDS = [
    ("first", "FIRST NAME"), ("middle", "MIDDLE NAME"),
    ("last", "LAST NAME"), ("userid", "USER ID"), ("manager", "MANAGER"),
    ("dept", "DEPARTMENT"), ("tel", "TELEPHONE NUMBER"),
    ("locale", "USER LOCALE"), ("mail", "MAIL ID"), ("mobile", "MOBILE"),
    ("title", "TITLE"), ("building", "BUILDING"), ("site", "SITE"),
    ("uniqueid", "UNIQUE IDENTIFIER"), ("nickname", "NICKNAME"),
    ("pkid", "USER PKID"), ("uri", "DIRECTORY URI"),
    ("sp", "UC SERVICE PROFILE"),
    ("presence_server", "ASSIGNED PRESENCE SERVER"),
    ("display", "DISPLAY NAME"), ("ext", "SELF-SERVICE USER ID"),
    ("pw_hash", "PASSWORD 1"), ("pin_hash", "PIN 1"),
]
# User-dict key -> enduser.csv column (booleans written t/f).
USER_BOOL_FIELDS = [
    ("imp", "ENABLE USER FOR UNIFIED CM IM AND PRESENCE"),
    ("home", "HOME CLUSTER"), ("mobility", "ENABLE MOBILITY"),
]


class EnduserLayout:
    """enduser.csv header plus column positions precomputed for fast row
    building."""

    def __init__(self, ndev=2, nacg=6, next_=2):
        self.ndev, self.nacg, self.next = ndev, nacg, next_
        self.header = enduser_header(ndev, nacg, next_)
        ix = {c: i for i, c in enumerate(self.header)}
        self.index = ix
        self.template = [ENDUSER_DEFAULTS.get(c, NULL) for c in self.header]
        self.text = [(k, ix[c]) for k, c in USER_TEXT_FIELDS]
        self.bools = [(k, ix[c]) for k, c in USER_BOOL_FIELDS]
        self.acg = [ix["ACCESS CONTROL GROUP %d" % n]
                    for n in range(1, nacg + 1)]
        # (DEVICE NAME n, DESCRIPTION n, TYPE USER ASSOCIATION n)
        self.dev = [(ix["DEVICE NAME %d" % n], ix["DESCRIPTION %d" % n],
                     ix["TYPE USER ASSOCIATION %d" % n])
                    for n in range(1, ndev + 1)]
        self.ext = (ix["PRIMARY EXTENSION 1"], ix["TYPE PATTERN USAGE 1"])


def _v(x):
    """CSV value: None -> NULL, bool -> t/f, anything else as text."""
    if x is None:
        return NULL
    if x is True:
        return "t"
    if x is False:
        return "f"
    return str(x)


def enduser_row(u, layout):
    """One enduser.csv row (a list of str) for user dict u.

    Keys of u: those in USER_TEXT_FIELDS and USER_BOOL_FIELDS, plus
    devices (list of dicts with name and description) and acgs (access
    control groups, default DEFAULT_ACGS).  Missing keys and None become
    NULL.  Raises ValueError if u has more devices than the layout."""
    row = layout.template[:]
    g = u.get
    for key, i in layout.text:
        v = g(key)
        if v is not None:
            row[i] = v
    for key, i in layout.bools:
        row[i] = "t" if g(key) else "f"
    for i, acg in zip(layout.acg, g("acgs", DEFAULT_ACGS)):
        row[i] = acg
    devices = g("devices") or ()
    if len(devices) > layout.ndev:
        raise ValueError("user %s has %d devices, layout has %d"
                         % (g("userid"), len(devices), layout.ndev))
    for (i_name, i_desc, i_assoc), d in zip(layout.dev, devices):
        row[i_name] = d["name"]
        desc = d.get("description")
        if desc is not None:
            row[i_desc] = desc
        row[i_assoc] = "1"
    ext = g("ext")
    if ext:
        row[layout.ext[0]] = ext
        # endusernumplanmap.tkdnusage: 1 = primary extension (2 would be the IPCC one)
        row[layout.ext[1]] = "1"
    return row


# ---------------------------------------------------------------------------
# phone.csv: the header of a real BAT phone export, verbatim.

PHONE_HEADER = (
    "Device Name,Description,Device Pool,Phone Button Template,Location,"
    "Extension Mobility,Softkey Template,User ID 1,User ID 2,User ID 3,"
    "Owner User ID,Device Type,Common Phone Profile,SIP Profile,E.164,"
    "Common Device Configuration,Mobility User ID,Do Not Disturb,"
    "Geo Location,Wireless LAN Profile Group,WiFi Hotspot Profile,"
    + ",".join(
        ("Directory Number {n},Route Partition {n},Voice Mail Profile {n},"
         "Forward All Voice Mail {n},Forward All Destination {n},"
         "Forward Busy Internal Voice Mail {n},"
         "Forward Busy Internal Destination {n},"
         "Forward Busy External Voice Mail {n},"
         "Forward Busy External Destination {n},"
         "Forward No Answer Internal Voice Mail {n},"
         "Forward No Answer Internal Destination {n},"
         "Forward No Answer External Voice Mail {n},"
         "Forward No Answer External Destination {n},"
         "Forward No Coverage Internal Voice Mail {n},"
         "Forward No Coverage Internal Destination {n},"
         "Forward No Coverage External Voice Mail {n},"
         "Forward No Coverage External Destination {n},"
         "Forward No Answer Ring Duration {n},Call Pickup Group {n},"
         "Line Text Label {n},External Phone Number Mask {n},"
         "Maximum Number of Calls {n},Alerting Name {n},"
         "ASCII Alerting Name {n},Display {n},ASCII Display {n},"
         "Forward Unregistered Internal Voice Mail {n},"
         "Forward Unregistered Internal Destination {n},"
         "Forward Unregistered External Voice Mail {n},"
         "Forward Unregistered External Destination {n},"
         "Retain this destination in call forwarding history {n},"
         "Audible Message Waiting Indicator Policy {n},"
         "Recording Option {n},Enterprise Number Mask {n},"
         "E.164 Number Mask {n}").format(n=n) for n in (1, 2, 3))
    + ","
    + ",".join("Speed Dial Number %d,Speed Dial Label %d" % (n, n)
               for n in range(1, 11))
    + ",BLF Directed Call Park Directory Number 1,"
    "BLF Directed Call Park Label 1"
).split(",")

PHONE_INDEX = {c: i for i, c in enumerate(PHONE_HEADER)}

# Defaults for a phone row; only line 1 is configured.
_PHONE_DEFAULTS = {
    "Location": "Hub_None",
    "Extension Mobility": "f",
    "Common Phone Profile": "Standard Common Phone Profile",
    "SIP Profile": "Standard SIP Profile",
    "Do Not Disturb": "f",
}
for _kind in ("All", "Busy Internal", "Busy External", "No Answer Internal",
              "No Answer External", "No Coverage Internal",
              "No Coverage External", "Unregistered Internal",
              "Unregistered External"):
    _PHONE_DEFAULTS["Forward %s Voice Mail 1" % _kind] = "f"
_PHONE_DEFAULTS.update({
    "Maximum Number of Calls 1": "4",
    "Retain this destination in call forwarding history 1": "t",
    "Audible Message Waiting Indicator Policy 1": "Default",
    "Recording Option 1": "Call Recording Disabled",
})
PHONE_TEMPLATE = [_PHONE_DEFAULTS.get(c, NULL) for c in PHONE_HEADER]

# Device name prefix -> BAT Device Type.
SOFT_MODELS = {
    "CSF": "Cisco Unified Client Services Framework",
    "BOT": "Cisco Dual Mode for Android",
    "TCT": "Cisco Dual Mode for iPhone",
    "TAB": "Cisco Jabber for Tablet",
}
DESK_MODELS = ["Cisco 8845", "Cisco 7841", "Cisco 8865"]

_BUTTON_TEMPLATE = {
    "Cisco Unified Client Services Framework":
        "Standard Client Services Framework",
    "Cisco Dual Mode for Android": "Standard Dual Mode for Android",
    "Cisco Dual Mode for iPhone": "Standard Dual Mode for iPhone",
    "Cisco Jabber for Tablet": "Standard Jabber for Tablet",
    "Cisco 8845": "Standard 8845 SIP",
    "Cisco 7841": "Standard 7841 SIP",
    "Cisco 8865": "Standard 8865 SIP",
}
_SOFT_LABEL = {"CSF": "Jabber Desktop", "BOT": "Jabber Android",
               "TCT": "Jabber iPhone", "TAB": "Jabber Tablet"}


def soft_device_name(prefix, userid):
    """Jabber device name: prefix + upper-cased alphanumerics of the
    userid, cut to the 15 characters CUCM allows."""
    base = "".join(c for c in userid.upper() if c.isascii() and c.isalnum())
    return (prefix + base)[:15]


def sep_device_name(key):
    """Desk phone name SEP + 12 hex digits, derived from key (stable)."""
    return "SEP" + hashlib.sha256(key.encode()).hexdigest()[:12].upper()


def make_device(kind, userid, display, key=None):
    """Device dict: kind is CSF/BOT/TCT/TAB or a desk model name."""
    if kind in SOFT_MODELS:
        name = soft_device_name(kind, userid)
        model = SOFT_MODELS[kind]
        desc = "%s - %s" % (display, _SOFT_LABEL[kind]) if display else None
    else:
        name = sep_device_name(key or (userid + "/" + kind))
        model = kind
        desc = "%s - %s" % (display, kind[6:]) if display else None
    return {"name": name, "model": model, "description": desc}


@functools.lru_cache(maxsize=1 << 16)
def ascii_fold(s):
    """Crude ASCII form for the ASCII Display / Alerting Name fields."""
    out = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return out or "User"


_MOBILE_MODELS = ("Cisco Dual Mode for Android", "Cisco Dual Mode for iPhone")
(_P_NAME, _P_DESC, _P_POOL, _P_LOC, _P_BUTTON, _P_TYPE, _P_SIP, _P_EM,
 _P_USER1, _P_OWNER, _P_MOBILITY, _P_DN, _P_PT, _P_LABEL, _P_ALERT,
 _P_ASCII_ALERT, _P_DISPLAY, _P_ASCII_DISPLAY, _P_MASK) = (
    PHONE_INDEX[c] for c in (
        "Device Name", "Description", "Device Pool", "Location",
        "Phone Button Template", "Device Type", "SIP Profile",
        "Extension Mobility", "User ID 1", "Owner User ID",
        "Mobility User ID", "Directory Number 1", "Route Partition 1",
        "Line Text Label 1", "Alerting Name 1", "ASCII Alerting Name 1",
        "Display 1", "ASCII Display 1", "External Phone Number Mask 1"))


def phone_row(dev, owner, pool, location="Hub_None"):
    """One phone.csv row (list of str) for device dict dev (name, model,
    description) owned by user dict owner (None for an unowned phone)."""
    row = PHONE_TEMPLATE[:]
    model = dev["model"]
    row[_P_NAME] = dev["name"]
    desc = dev.get("description")
    if desc is not None:
        row[_P_DESC] = desc
    row[_P_POOL] = pool
    row[_P_LOC] = location
    row[_P_BUTTON] = _BUTTON_TEMPLATE.get(model, NULL)
    row[_P_TYPE] = model
    mobile = model in _MOBILE_MODELS
    if mobile:
        row[_P_SIP] = "Standard SIP Profile for Mobile Device"
    elif model.startswith("Cisco 8"):
        row[_P_EM] = "t"
    if owner is None:
        return row
    userid = owner["userid"]
    row[_P_USER1] = row[_P_OWNER] = userid
    if mobile:
        row[_P_MOBILITY] = userid
    ext = owner.get("ext")
    if ext:
        display = owner.get("display") or userid
        row[_P_DN] = ext
        row[_P_PT] = owner.get("partition", "PT_INTERNAL")
        row[_P_LABEL] = row[_P_ALERT] = row[_P_DISPLAY] = display
        row[_P_ASCII_ALERT] = row[_P_ASCII_DISPLAY] = ascii_fold(display)
        tel = owner.get("tel")
        if tel and tel[0] == "+" and tel[1:].isdigit():
            row[_P_MASK] = tel
    return row


# ---------------------------------------------------------------------------
# serviceprofile.csv.  Only the last columns (..._XML) and DIRECTORY_XML are
# known from a real export; the rest follows the UC service sections of the
# Service Profile page (constructed).

_SP_SECTIONS = ["VOICEMAIL", "MAILSTORE", "CONFERENCING", "DIRECTORY",
                "IM AND PRESENCE", "CTI",
                "VIDEO CONFERENCING SCHEDULING PORTAL",
                "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)"]
SERVICEPROFILE_HEADER = ["NAME", "DESCRIPTION", "IS DEFAULT"] + [
    "%s_%s" % (sec, part) for sec in _SP_SECTIONS
    for part in ("PRIMARY SERVER", "SECONDARY SERVER", "TERTIARY SERVER",
                 "XML")]
SP_SERVER_COLUMNS = [c for c in SERVICEPROFILE_HEADER if c.endswith(" SERVER")]

JC_SECTION = "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)"
JC_COMMON = JC_SECTION + "_PRIMARY SERVER"   # the common clients' UC service
JC_XML = JC_SECTION + "_XML"                 # the profile's own XML (pre-12.5)


# The service profiles of the sample org (also used by gen-bat), in the
# shape of a cluster before Unified CM 12.5: the jabber-config XML is the
# profile's own JC_XML cell and no Jabber Client Configuration UC service is
# named.  sample_service_profiles("ucservice") gives the 12.5+ shape.
SAMPLE_SERVICE_PROFILES = [
    {"NAME": "SP_Jabber", "DESCRIPTION": "Jabber users (Americas)",
     "IS DEFAULT": "t",
     "VOICEMAIL_PRIMARY SERVER": "VM_Unity_A",
     "DIRECTORY_PRIMARY SERVER": "UDS_A",
     "DIRECTORY_XML": "<UseUDS>true</UseUDS>"
                      "<UseUserCredential>true</UseUserCredential>",
     "IM AND PRESENCE_PRIMARY SERVER": "IMP_A",
     "CTI_PRIMARY SERVER": "CTI_A",
     JC_XML:
         "<Client><PrtLogServerUrl>http://prt.example.com/prt/upload.php"
         "</PrtLogServerUrl></Client>"
         "<Policies><EnableTelProtocolHandler>true"
         "</EnableTelProtocolHandler></Policies>"},
    {"NAME": "SP_Jabber_EMEA", "DESCRIPTION": "Jabber users (EMEA, London)",
     "IS DEFAULT": "f",
     "VOICEMAIL_PRIMARY SERVER": "VM_Unity_B",
     "DIRECTORY_PRIMARY SERVER": "UDS_B",
     "DIRECTORY_XML": "<UseUDS>true</UseUDS>"
                      "<UseUserCredential>true</UseUserCredential>",
     "IM AND PRESENCE_PRIMARY SERVER": "IMP_B",
     "CTI_PRIMARY SERVER": "CTI_B",
     # Multi-line XML with quotes: the field must be quoted.
     JC_XML:
         '<?xml version="1.0" encoding="utf-8"?>\n'
         "<config version=\"1.0\">\n"
         "<Client><PrtLogServerUrl>http://prt-emea.example.com/upload.php"
         "</PrtLogServerUrl></Client>\n"
         "<Options><DockedWindowVisible>false</DockedWindowVisible>"
         "</Options>\n</config>"},
    {"NAME": "SP_Desk", "DESCRIPTION": "Desk phone only, no Jabber",
     "IS DEFAULT": "f",
     "VOICEMAIL_PRIMARY SERVER": "VM_Unity_A"},
]

def serviceprofile_row(values):
    """Row from a dict of column -> value (missing columns are NULL)."""
    unknown = set(values) - set(SERVICEPROFILE_HEADER)
    if unknown:
        raise ValueError("unknown serviceprofile columns: %s" % unknown)
    return [_v(values.get(c)) for c in SERVICEPROFILE_HEADER]


# ---------------------------------------------------------------------------
# ucservice.csv: the UC services a cluster's service profiles name.  The
# header is that of a real CUCM 14.0 export (see
# tests/data/jabber-config/cucm14/README.md).  From Unified CM 12.5 the
# jabber-config of a profile is a UC service of type "Jabber Client
# Configuration (jabber-config.xml)" that the profile names for the common
# (PRIMARY), desktop (SECONDARY) and mobile (TERTIARY) clients; its XML is the
# groups without <config>, each value URL-encoded as CUCM Administration
# stores it.

UCSERVICE_HEADER = ["SERVICE TYPE", "PRODUCT TYPE", "NAME", "DESCRIPTION",
                    "HOST NAME/IP ADDRESS", "PORT", "PROTOCOL",
                    "APPLICATION SERVER", "XML"]
JC_SERVICE_TYPE = "Jabber Client Configuration (jabber-config.xml)"

# Service profile section -> (SERVICE TYPE, PRODUCT TYPE) of the services it
# names (the texts of tests/data/jabber-config/cucm14/ucservice.csv).
_UC_TYPES = {
    "VOICEMAIL": ("Voicemail", "Unity Connection"),
    "DIRECTORY": ("Directory", "Directory"),
    "IM AND PRESENCE": ("IM and Presence Service",
                        "Unified CM (IM and Presence Service)"),
    "CTI": ("CTI", "CTI"),
    JC_SECTION: (JC_SERVICE_TYPE, "Jabber"),
}

# The UC services of the sample org (constructed): name -> description,
# host, port, protocol.  Jabber Client Configuration services have no host.
SAMPLE_UC_SERVICES = {
    "VM_Unity_A": ("Unity Connection SJC", "cuc-a.example.com", "443",
                   "HTTPS"),
    "VM_Unity_B": ("Unity Connection LON", "cuc-b.emea.example.com", "443",
                   "HTTPS"),
    "UDS_A": ("User Data Service", "cucm-pub.example.com", "8443", "HTTPS"),
    "UDS_B": ("User Data Service (EMEA)", "cucm-emea1.emea.example.com",
              "8443", "HTTPS"),
    "IMP_A": (None, "imp-a.example.com", None, None),
    "IMP_B": (None, "imp-b.example.com", None, None),
    "CTI_A": (None, "cucm-pub.example.com", "2748", None),
    "CTI_B": (None, "cucm-emea1.emea.example.com", "2748", None),
    "JC_Common": ("Every Jabber client (Americas)", None, None, None),
    "JC_EMEA": ("Every Jabber client (EMEA)", None, None, None),
}

# In the 12.5+ shape, the UC service that holds each profile's jabber-config.
SAMPLE_JABBER_SERVICE = {"SP_Jabber": "JC_Common",
                         "SP_Jabber_EMEA": "JC_EMEA"}

_XML_DECL = re.compile(r'\A\s*<\?xml[^>]*\?>\s*')
_XML_ROOT = re.compile(r'\A<config\b[^>]*>\s*(.*?)\s*</config>\s*\Z', re.S)
_XML_TEXT = re.compile(r'>([^<]+)<')


def jabber_config_groups(xml):
    """The groups of a jabber-config (the XML declaration and the <config>
    root taken off, when there)."""
    xml = _XML_DECL.sub("", xml)
    m = _XML_ROOT.match(xml)
    return m.group(1) if m else xml.strip()


def ucservice_xml(config_xml):
    """A Jabber Client Configuration UC service's XML holding config_xml:
    its groups, each value URL-encoded (urllib.parse.quote_plus, as Cisco
    DevNet's axl_executeSQLUpdate_Jabber_config.py stores it); the white
    space between tags stays as it is."""
    def enc(m):
        text = m.group(1)
        if not text.strip():
            return m.group(0)
        return ">" + urllib.parse.quote_plus(html.unescape(text)) + "<"
    return _XML_TEXT.sub(enc, jabber_config_groups(config_xml))


def ucservice_xml_decoded(xml):
    """ucservice_xml undone: each value URL-decoded (what j2w reads)."""
    def dec(m):
        return ">" + html.escape(urllib.parse.unquote_plus(m.group(1)),
                                 quote=False) + "<"
    return _XML_TEXT.sub(dec, xml)


def sample_service_profiles(shape):
    """The sample service profiles in one shape.  "profile": before 12.5
    (SAMPLE_SERVICE_PROFILES).  "ucservice": 12.5 and later, each profile
    names its Jabber Client Configuration UC service (JC_COMMON) and its own
    JC_XML is NULL; the XML is in sample_uc_services("ucservice")."""
    if shape == "profile":
        return [dict(p) for p in SAMPLE_SERVICE_PROFILES]
    if shape != "ucservice":
        raise ValueError("shape %r" % shape)
    out = []
    for p in SAMPLE_SERVICE_PROFILES:
        q = dict(p)
        jc = SAMPLE_JABBER_SERVICE.get(p["NAME"])
        if jc is not None:
            q[JC_COMMON] = jc
            q.pop(JC_XML, None)
        out.append(q)
    return out


def sample_uc_services(shape):
    """ucservice.csv rows (dicts) for the profiles of that shape: every
    service a profile names, by type (in _UC_TYPES order), then by first
    use.  None for the "profile" shape, whose export holds no
    ucservice.csv."""
    if shape == "profile":
        return None
    profiles = sample_service_profiles(shape)
    xml_of = {SAMPLE_JABBER_SERVICE[p["NAME"]]: p[JC_XML]
              for p in SAMPLE_SERVICE_PROFILES
              if p["NAME"] in SAMPLE_JABBER_SERVICE}
    rows, seen = [], set()
    for section, (stype, product) in _UC_TYPES.items():
        for p in profiles:
            for part in ("PRIMARY", "SECONDARY", "TERTIARY"):
                name = p.get("%s_%s SERVER" % (section, part))
                if name is None or name in seen:
                    continue
                seen.add(name)
                desc, host, port, proto = SAMPLE_UC_SERVICES[name]
                rows.append({
                    "SERVICE TYPE": stype, "PRODUCT TYPE": product,
                    "NAME": name, "DESCRIPTION": desc,
                    "HOST NAME/IP ADDRESS": host, "PORT": port,
                    "PROTOCOL": proto,
                    "XML": ucservice_xml(xml_of[name])
                    if section == JC_SECTION else None})
    return rows


def ucservice_row(values):
    """Row from a dict of column -> value (missing columns are NULL)."""
    unknown = set(values) - set(UCSERVICE_HEADER)
    if unknown:
        raise ValueError("unknown ucservice columns: %s" % unknown)
    return [_v(values.get(c)) for c in UCSERVICE_HEADER]


# ---------------------------------------------------------------------------
# Identifiers and hashes (stable: derived from names, not from run order).

_NS = uuid.UUID("6f1d3a52-8c0e-4b7a-9d35-2a1c0b7e9f10")


def stable_guid(key):
    """Lower-case GUID without braces, as CUCM pkid columns show it."""
    return str(uuid.uuid5(_NS, key))


def axl_uuid(pkid):
    """The same GUID as thick AXL shows it: upper case, in braces."""
    return "{" + pkid.upper() + "}"


def fake_hash(key):
    """64 hex digits standing in for the PASSWORD 1 / PIN 1 hashes."""
    return hashlib.sha256(key.encode()).hexdigest()


# ---------------------------------------------------------------------------
# Writing files.

def csv_writer(text_stream):
    """csv.writer with the BAT conventions: comma, CRLF, minimal quoting."""
    return csv.writer(text_stream, delimiter=",", quotechar='"',
                      lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


class FastCsvWriter:
    """Writes rows like csv_writer, but joins rows that need no quoting
    directly (most rows), which is several times faster."""

    def __init__(self, text_stream):
        self.out = text_stream
        self.slow = csv_writer(text_stream)

    def writerow(self, row):
        line = ",".join(row)
        if ('"' in line or "\n" in line or "\r" in line
                or line.count(",") != len(row) - 1 or len(row) < 2):
            self.slow.writerow(row)
        else:
            self.out.write(line + "\r\n")

    def writerows(self, rows):
        for r in rows:
            self.writerow(r)


def header_txt(ip, files, when="Mon Mar 04 10:15:22 UTC 2024",
               ccm=CCM_VERSION):
    """header.txt of a BAT export tar: one File line per member after it."""
    lines = ["Time : " + when, "IP Address : " + ip, "CCM : " + ccm]
    lines += ["File : " + f for f in files]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tarinfo(name, size):
    ti = tarfile.TarInfo(name)
    ti.size = size
    ti.mtime = TAR_MTIME
    ti.mode = 0o644
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    ti.type = tarfile.REGTYPE
    return ti


def write_tar(fileobj_or_path, members):
    """Write a deterministic ustar archive.

    members: list of (name, data) where data is bytes or a path to a file
    (streamed, not read into memory).  fileobj_or_path may be a path or a
    binary stream (non-seekable is fine)."""
    if isinstance(fileobj_or_path, (str, os.PathLike)):
        tf = tarfile.open(fileobj_or_path, "w", format=tarfile.USTAR_FORMAT)
    else:
        tf = tarfile.open(fileobj=fileobj_or_path, mode="w|",
                          format=tarfile.USTAR_FORMAT)
    with tf:
        for name, data in members:
            if isinstance(data, bytes):
                tf.addfile(_tarinfo(name, len(data)), io.BytesIO(data))
            else:
                with open(data, "rb") as f:
                    tf.addfile(_tarinfo(name, os.fstat(f.fileno()).st_size),
                               f)
