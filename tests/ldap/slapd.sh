# Starts a throw-away slapd on loopback for j2w-reconcile's tests and benchmark.
# Sourced after tests/lib.sh (or with TRASH and start_bg defined).
#
#   slapd_start DIR LDIF    sets LDAP_URI (ldap://, StartTLS), LDAPS_URI, LDAP_CA,
#                           LDAP_PORT; loads LDIF; returns 1 when slapd is missing
#
# Schemas: core, cosine, inetorgperson from /etc/ldap/schema and
# tests/ldap/j2w-ad.schema. TLS: a CA and a server certificate for 127.0.0.1
# made here with openssl. Anonymous users may read; cn=reader binds with the
# password in DIR/reader.pw (mode 0600).

LDAPNOINIT=1
export LDAPNOINIT
SLAPD=/usr/sbin/slapd
SLAPADD=/usr/sbin/slapadd
SLAPD_MODULES=
for m in /usr/lib/ldap /usr/lib/x86_64-linux-gnu/ldap /usr/lib64/openldap /usr/libexec/openldap; do
	[ -e "$m/back_mdb.so" ] && { SLAPD_MODULES=$m; break; }
done

slapd_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

slapd_certs() {
	dir=$1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=j2w test CA' \
		-keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null &&
	openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' \
		-keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null &&
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/san.ext" &&
	openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
		-CAcreateserial -days 2 -extfile "$dir/san.ext" -out "$dir/server.pem" 2>/dev/null
}

# slapd_start DIR LDIF [EXTRA_CONF_LINE...]: extra lines go in the global part of slapd.conf
slapd_start() {
	dir=$1 ldif=$2
	shift 2
	[ -x "$SLAPD" ] && [ -x "$SLAPADD" ] && [ -n "$SLAPD_MODULES" ] || return 1
	mkdir -p "$dir/db" || return 1
	slapd_certs "$dir" || { echo "slapd_start: cannot make certificates"; return 1; }
	printf 'reader-secret\n' >"$dir/reader.pw" && chmod 600 "$dir/reader.pw"
	cat >"$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include $TOP/tests/ldap/j2w-ad.schema
modulepath $SLAPD_MODULES
moduleload back_mdb
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
TLSCACertificateFile $dir/ca.pem
TLSCertificateFile $dir/server.pem
TLSCertificateKeyFile $dir/server.key
sizelimit 1000
$(for l in "$@"; do printf '%s\n' "$l"; done)
database mdb
maxsize 1073741824
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw admin-secret
directory $dir/db
index objectClass eq
index uid,sAMAccountName,mail eq
access to attrs=userPassword by anonymous auth by * none
access to * by * read
CONF
	{
		cat "$ldif"
		printf '\ndn: cn=reader,dc=example,dc=com\nobjectClass: person\nobjectClass: simpleSecurityObject\ncn: reader\nsn: reader\nuserPassword: reader-secret\n'
	} >"$dir/load.ldif"
	"$SLAPADD" -q -f "$dir/slapd.conf" -l "$dir/load.ldif" >"$dir/slapadd.log" 2>&1 ||
		{ echo "slapd_start: slapadd failed:"; tail -n 5 "$dir/slapadd.log"; return 1; }
	LDAP_PORT=$(slapd_free_port)
	LDAPS_PORT=$(slapd_free_port)
	start_bg "$dir/slapd.bgpid" "$SLAPD" -d 0 -f "$dir/slapd.conf" \
		-h "ldap://127.0.0.1:$LDAP_PORT/ ldaps://127.0.0.1:$LDAPS_PORT/" \
		>"$dir/slapd.log" 2>&1
	n=0
	until ldapsearch -x -H "ldap://127.0.0.1:$LDAP_PORT/" -b dc=example,dc=com -s base \
		'(objectClass=*)' dn >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -gt 100 ] && { echo "slapd_start: slapd did not come up:"; tail -n 5 "$dir/slapd.log"; return 1; }
		sleep 0.1
	done
	LDAP_URI=ldap://127.0.0.1:$LDAP_PORT/
	LDAPS_URI=ldaps://127.0.0.1:$LDAPS_PORT/
	LDAP_CA=$dir/ca.pem
	export LDAP_URI LDAPS_URI LDAP_CA LDAP_PORT
	return 0
}

slapd_have() {
	[ -x "$SLAPD" ] && [ -x "$SLAPADD" ] && [ -n "$SLAPD_MODULES" ] &&
		command -v ldapsearch >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1
}
