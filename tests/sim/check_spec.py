#!/usr/bin/env python3
"""check_spec.py - checks the Control Hub simulator's answers against the Webex OpenAPI specs.

usage: check_spec.py SPEC_DIR API_BASE TOKEN_FILE
GETs the profile list, a person by email and by id from the running simulator
and validates each body against the 200 schema of the operation in
webex-ucm.json / webex-admin.json (type, required, properties, items, enum,
$ref: the subset those schemas use). Exit 0 when all conform, 1 otherwise.
"""
import json
import sys
import urllib.request
from urllib.parse import quote

spec_dir, base, token_file = sys.argv[1:4]
token = open(token_file).readline().strip()
specs = {n: json.load(open("%s/%s" % (spec_dir, n))) for n in ("webex-ucm.json", "webex-admin.json")}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "number": (int, float),
         "integer": int}
problems = []


def resolve(spec, schema):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    return schema


def check(spec, schema, value, path):
    schema = resolve(spec, schema)
    t = schema.get("type")
    if t and not isinstance(value, TYPES[t]) or (t in ("number", "integer") and isinstance(value, bool)):
        problems.append("%s: %r is not %s" % (path, value, t))
        return
    if "enum" in schema and value not in schema["enum"]:
        problems.append("%s: %r not in %s" % (path, value, schema["enum"]))
    if isinstance(value, dict):
        for r in schema.get("required", []):
            if r not in value:
                problems.append("%s: required '%s' missing" % (path, r))
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                check(spec, props[k], v, "%s.%s" % (path, k))
            elif props and schema.get("additionalProperties") is False:
                problems.append("%s: unexpected '%s'" % (path, k))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            check(spec, schema["items"], v, "%s[%d]" % (path, i))


def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def schema_of(spec, path, method="get"):
    return spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]


ucm, admin = specs["webex-ucm.json"], specs["webex-admin.json"]
profiles = get("/telephony/config/callingProfiles")
check(ucm, schema_of(ucm, "/telephony/config/callingProfiles"), profiles, "callingProfiles")
people = get("/people?email=" + quote(sys.argv[4] if len(sys.argv) > 4 else "alice@example.com"))
check(admin, schema_of(admin, "/people"), people, "people")
if not people["items"]:
    problems.append("people: no person found")
else:
    pid = people["items"][0]["id"]
    check(admin, schema_of(admin, "/people/{personId}"), get("/people/" + quote(pid)), "person")
for p in problems:
    print("check_spec: " + p)
sys.exit(1 if problems else 0)
