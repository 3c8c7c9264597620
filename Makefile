# j2w: one flat Makefile (see docs/ARCHITECTURE.md for the layers).
PREFIX   ?= /usr/local
CC       ?= cc
PKGS      = libcurl jansson libxml-2.0 sqlite3 openssl ldap libpq libcares zlib libarchive
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter -Wformat=2
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Ilib \
             $(shell pkg-config --cflags $(PKGS))
# libcsv ships no pkg-config file on Debian: it is a plain -lcsv.
LIBS      = $(shell pkg-config --libs $(PKGS)) -lcsv -lpthread -lm
ifeq ($(CI),true)
ALL_CFLAGS += -Werror
endif
ifdef SANITIZE
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
LDFLAGS    += -fsanitize=$(SANITIZE)
endif

# The library, one folder per outside contract (docs/ARCHITECTURE.md names the
# folders and which may include which; `make layers` checks it). Each folder lists
# its objects, unit tests (tests/unit/FOLDER/) and fuzz targets, so that work on one
# contract touches only its own lines.
UTIL_OBJ   = $(addprefix lib/util/,j2w_err.o strbuf.o num.o utf8.o jsonl.o jsonw.o csvio.o \
             csvscan.o atomicfile.o secret.o progress.o http.o xmlsafe.o tar.o html.o \
             templates.o digestmap.o spool.o exepath.o sqlfile.o)
UTIL_UNIT  = $(addprefix util/,t-strbuf t-num t-utf8 t-jsonl t-csvio t-csvscan t-tar \
             t-secret t-xmlsafe t-atomicfile t-http t-j2w_err t-progress t-digestmap t-spool \
             t-exepath t-templates t-sqlfile)
UTIL_FUZZ  = fuzz-csv fuzz-jsonl fuzz-tar fuzz-http fuzz-utf8
lib/util/templates.o: private ALL_CFLAGS += -DJ2W_TEMPLATES_DIR='"$(PREFIX)/share/j2w"'
# The templates path is compiled in: `make install PREFIX=...` after a build with another
# PREFIX rebuilds it, so the installed commands look in their own share/j2w.
PREFIX_STAMP = .build-prefix
lib/util/templates.o: $(PREFIX_STAMP)

# The records every command reads or writes: users, findings, input rows.
RECORD_OBJ  = $(addprefix lib/record/,user.o findings.o records.o person.o)
RECORD_UNIT = record/t-user record/t-person record/t-records record/t-findings
RECORD_FUZZ = fuzz-records

# CUCM: BAT exports, AXL, IM and Presence contact exports, service profiles.
CUCM_OBJ   = $(addprefix lib/cucm/,device.o bat.o batexport.o axl.o contacts.o vcard.o \
             serviceprofile.o ucservice.o spextract.o)
CUCM_UNIT  = $(addprefix cucm/,t-device t-bat t-batexport t-axl t-contacts t-serviceprofile \
             t-ucservice t-spextract)
CUCM_FUZZ  = fuzz-axl fuzz-bat fuzz-contacts fuzz-serviceprofile

# Identity: JID and email rules, the LDAP directory.
IDENTITY_OBJ  = $(addprefix lib/identity/,identity.o ldapdir.o reconcile.o reconcileargs.o \
                ldapstream.o ldapbulk.o reconcilerun.o)
IDENTITY_UNIT = $(addprefix identity/,t-identity t-ldapdir t-reconcile t-reconcileargs \
                t-ldapstream t-ldapbulk t-reconcilerun)
IDENTITY_FUZZ = fuzz-identity

# Webex: the REST API, calling behaviour, wave rules, the apply journal, Control Hub CSVs.
WEBEX_OBJ  = $(addprefix lib/webex/,behavior.o rules.o pace.o webex.o people.o journal.o apply.o \
             applyjournal.o webexform.o webexwalk.o \
             wave.o ctcsv.o ctusers.o ctcontacts.o session.o ctparts.o)
WEBEX_UNIT = $(addprefix webex/,t-rules t-ctcsv t-journal t-webex t-session t-ctusers \
             t-ctcontacts t-ctparts t-pace t-people)
WEBEX_FUZZ = fuzz-rules fuzz-cttemplate

# Jabber: jabber-config.xml, the parameter dictionary, generate's settings and files.
JABBER_OBJ  = $(addprefix lib/jabber/,jabparams.o jabvalue.o jabcfg.o jablint.o jabsettings.o \
              jabfiles.o)
JABBER_UNIT = $(addprefix jabber/,t-jabparams t-jabcfg t-jablint t-jabsettings t-jabfiles)
JABBER_FUZZ = fuzz-jabcfg

# DNS: SRV wire answers, c-ares lookups, TLS probes, UDS, the check catalogue, a run's
# questions and probes.
DNS_OBJ    = $(addprefix lib/dns/,srv.o dns.o tlsprobe.o uds.o dnschecks.o nameset.o dnsrun.o \
             probepool.o probecheck.o)
DNS_UNIT   = $(addprefix dns/,t-srv t-dnschecks t-nameset t-dnsrun t-probepool t-probecheck)
DNS_FUZZ   = fuzz-srv fuzz-domains

# Chat: IM and Presence persistent chat sources and the SQLite archive.
CHAT_OBJ   = $(addprefix lib/chat/,chatsrc.o chatsrc_pg.o chatsrc_csv.o chatpipe.o chatdb.o \
             chatdigest.o chatimport.o chatverify.o chatread.o chatexport.o roomcfg.o \
             chatargs.o)
CHAT_UNIT  = $(addprefix chat/,t-chatsrc t-roomcfg t-chatexport t-chatpipe t-chatdb \
             t-chatargs)
CHAT_FUZZ  = fuzz-pgcopy fuzz-roomcfg fuzz-chattime fuzz-chatcsv

# Spaces: persistent chat rooms to Webex spaces (j2w-chat-archive spaces): the plan, the
# map from reconcile output, the spaces journal, the run over the Webex client.
SPACES_OBJ  = $(addprefix lib/spaces/,spaceplan.o spacemap.o spacejournal.o spacerun.o spaceload.o \
              spaceclient.o spacelookup.o spacepages.o spacecommit.o spacerollback.o spaceargs.o)
SPACES_UNIT = $(addprefix spaces/,t-spaceplan t-spacemap t-spacejournal t-spaceargs)
SPACES_FUZZ =

# Report: the readiness report.
REPORT_OBJ  = $(addprefix lib/report/,report.o report_records.o report_apply.o \
              report_archive.o report_input.o report_html.o report_text.o)
REPORT_UNIT = report/t-report
REPORT_FUZZ = fuzz-report

FOLDERS    = UTIL RECORD CUCM IDENTITY WEBEX JABBER DNS CHAT SPACES REPORT
LIB_OBJ    = $(foreach f,$(FOLDERS),$($(f)_OBJ))
UNIT_TESTS = $(foreach f,$(FOLDERS),$($(f)_UNIT))
FUZZ_TARGETS = $(foreach f,$(FOLDERS),$($(f)_FUZZ))
COMMANDS   = j2w j2w-users j2w-contacts j2w-reconcile j2w-apply j2w-csv j2w-jabber-config \
             j2w-dns-check j2w-chat-archive j2w-report

LIB       = lib/libj2w.a
CMD_COMMON = cmd/cmdutil.o
BINS      = $(addprefix bin/,$(COMMANDS))
UNIT_BINS = $(addprefix bin/unit/,$(UNIT_TESTS))
FUZZ_BINS = $(addprefix bin/fuzz/,$(FUZZ_TARGETS))
REPLAY_BINS = $(addprefix bin/replay/,$(FUZZ_TARGETS))

all: $(BINS)

# Objects are rebuilt when the flags change (a SANITIZE build after a plain one).
FLAGS_STAMP = .build-flags
$(FLAGS_STAMP): FORCE
	@echo "$(CC) $(ALL_CFLAGS) $(LDFLAGS)" | cmp -s - $@ || echo "$(CC) $(ALL_CFLAGS) $(LDFLAGS)" >$@

$(PREFIX_STAMP): FORCE
	@echo "$(PREFIX)" | cmp -s - $@ || echo "$(PREFIX)" >$@

# Exit 0 when the tree was built with the flags this make would use (tests that run make).
flags-current:
	@echo "$(CC) $(ALL_CFLAGS) $(LDFLAGS)" | cmp -s - $(FLAGS_STAMP)

%.o: %.c $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $(LIB_OBJ)

bin/%: cmd/%.o $(CMD_COMMON) $(LIB)
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $< $(CMD_COMMON) $(LIB) $(LIBS)

# the spaces subcommand and import's test hooks are files of their own, linked into
# j2w-chat-archive
CHAT_ARCHIVE_OBJ = cmd/j2w-chat-archive.o cmd/j2w-chat-archive-spaces.o cmd/j2w-chat-archive-hooks.o
bin/j2w-chat-archive: $(CHAT_ARCHIVE_OBJ) $(CMD_COMMON) $(LIB)
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $(CHAT_ARCHIVE_OBJ) $(CMD_COMMON) $(LIB) $(LIBS)

bin/unit/%: tests/unit/%.o tests/unit/unit.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< tests/unit/unit.o $(LIB) $(LIBS)

tests/unit/%.o: private ALL_CFLAGS += -Itests/unit

# Fuzz targets need clang's libFuzzer: make fuzz (builds and runs each briefly).
FUZZ_CC     = clang
FUZZ_FLAGS  = -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Ilib \
              $(shell pkg-config --cflags $(PKGS))
FUZZ_SECONDS ?= 20
bin/fuzz/%: tests/fuzz/%.c $(addsuffix .c,$(basename $(LIB_OBJ)))
	@mkdir -p bin/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(LIBS)

# The same targets without libFuzzer (tests/fuzz/replay.c), built as everything
# else is: make check replays each seed corpus, sanitized when the build is.
bin/replay/%: tests/fuzz/%.o tests/fuzz/replay.o $(LIB)
	@mkdir -p bin/replay
	$(CC) $(LDFLAGS) -o $@ $< tests/fuzz/replay.o $(LIB) $(LIBS)

replay: $(REPLAY_BINS)
	@for t in $(FUZZ_TARGETS); do bin/replay/$$t tests/fuzz/corpus/$$t || exit 1; done

fuzz: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p tests/fuzz/corpus/$$t bin/fuzz/work-$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
		bin/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			bin/fuzz/work-$$t tests/fuzz/corpus/$$t >bin/fuzz/$$t.log 2>&1 \
			|| { tail -n 30 bin/fuzz/$$t.log; exit 1; }; \
	done

deps:
	@scripts/install-deps --check || scripts/install-deps

check: deps layers lint-tests all $(UNIT_BINS) replay
	@tests/run-tests $(UNIT_BINS) -- tests/t[0-9]*.sh

# Which lib/ folder may include which (docs/ARCHITECTURE.md).
layers:
	@scripts/check-layers

# Command tests whose bodies throw away an exit status (';' where '&&' was meant).
lint-tests:
	@scripts/lint-tests

check-unit: all $(UNIT_BINS)
	@tests/run-tests $(UNIT_BINS) --

demo: deps all
	@scripts/demo

bench: deps all
	@scripts/bench

lint:
	@! grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets|system)\s*\(' \
		cmd/*.c lib/*/*.c lib/*/*.h || { echo 'lint: banned call (STYLE.md)'; exit 1; }

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/j2w
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/j2w/

clean:
	rm -rf bin lib/*.a lib/*/*.o lib/*/*.d cmd/*.o cmd/*.d tests/unit/*.o tests/unit/*.d \
		tests/unit/*/*.o tests/unit/*/*.d tests/trash $(FLAGS_STAMP) $(PREFIX_STAMP)

FORCE:
.PHONY: FORCE all check check-unit demo bench fuzz replay lint layers lint-tests install clean deps \
	flags-current
.SECONDARY:
-include $(wildcard lib/*/*.d cmd/*.d tests/unit/*.d tests/unit/*/*.d)
