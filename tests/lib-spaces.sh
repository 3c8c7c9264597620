# Helpers for the j2w-chat-archive spaces tests (sourced after tests/lib.sh and
# tests/controlhub.sh): an archive of samples/chat, a Webex org with some of its
# people, reconcile output for their JIDs, and the simulator's spaces.

# spaces_setup DIR: DIR/chat.db (spaces_archive), DIR/org.json (spaces_org) and
# DIR/map.jsonl (spaces_map), the inputs every spaces test starts from
spaces_setup() {
	mkdir -p "$1" &&
	spaces_archive "$1/chat.db" &&
	spaces_org "$1/org.json" &&
	spaces_map "$1/map.jsonl"
}

# spaces_archive DB: the sample archive (samples/chat, through the CSV source)
spaces_archive() {
	j2w-chat-archive import -q --from-csv "$SAMPLES/chat" --to "$1"
}

# spaces_org FILE: a Webex org that knows alice, bob, carol (as carol.white), erin;
# dave has an email Webex does not know, heidi is blocked, the rest are unmapped
spaces_org() {
	cat >"$1" <<-\JSON
	{"people": [
	 {"emails": ["alice@example.com"], "displayName": "Alice Ng"},
	 {"emails": ["bob@example.com"], "displayName": "Bob Lee"},
	 {"emails": ["carol.white@example.com"], "displayName": "Carol Díaz"},
	 {"emails": ["erin@example.com"], "displayName": "Erin O'Neil"}]}
	JSON
}

# spaces_map FILE: reconcile output for the chat members (jid -> webex_email)
spaces_map() {
	cat >"$1" <<-\JSON
	{"userid":"alice","jid":"alice@example.com","webex_email":"alice@example.com","status":"ok"}
	{"userid":"bob","jid":"Bob@example.com","webex_email":"bob@example.com","status":"ok"}
	{"userid":"carol","jid":"carol@example.com","webex_email":"carol.white@example.com","status":"review"}
	{"userid":"dave","jid":"dave@example.com","webex_email":"dave@example.com","status":"ok"}
	{"userid":"erin","jid":"erin@example.com","webex_email":"erin@example.com","status":"ok"}
	{"userid":"heidi","jid":"heidi@example.com","status":"blocked"}
	JSON
}

# spaces_state: the simulator's spaces, one line each, by title:
# TITLE | locked | member:M(oderator)/-,... | messages | file:bytes,...
spaces_state() {
	python3 - "$WEBEX_API" <<-\PY
	import json, sys, urllib.request
	base = sys.argv[1].rsplit("/v1", 1)[0]
	d = json.load(urllib.request.urlopen(base + "/_sim/spaces"))
	for s in sorted(d["spaces"], key=lambda s: s["title"]):
	    members = ",".join("%s:%s" % (m["email"], "M" if m["isModerator"] else "-") for m in s["members"])
	    files = ",".join("%s" % f["filename"] for m in s["messages"] for f in m["files"])
	    print("%s | %s | %s | %d | %s" % (s["title"], "locked" if s["isLocked"] else "open",
	                                      members, len(s["messages"]), files))
	PY
}

# spaces_created: spaces the simulator ever created (deleted ones too)
spaces_created() {
	python3 - "$WEBEX_API" <<-\PY
	import json, sys, urllib.request
	base = sys.argv[1].rsplit("/v1", 1)[0]
	print(json.load(urllib.request.urlopen(base + "/_sim/spaces"))["created"])
	PY
}

# spaces_dump FILE: the simulator's whole spaces state as JSON
spaces_dump() {
	python3 - "$WEBEX_API" "$1" <<-\PY
	import json, sys, urllib.request
	base = sys.argv[1].rsplit("/v1", 1)[0]
	open(sys.argv[2], "w").write(urllib.request.urlopen(base + "/_sim/spaces").read().decode())
	PY
}
