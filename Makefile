# j2w: one flat Makefile (see docs/ARCHITECTURE.md for the layers).
PREFIX   ?= /usr/local
CC       ?= cc
PKGS      = libcurl jansson libxml-2.0 sqlite3 openssl ldap libpq libcares zlib
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

# The library: util layer first, then one module per outside contract. Each
# command's section below adds its own modules, binaries, unit tests and fuzz
# targets, so that work on one command touches only its own lines.
LIB_OBJ  = lib/err.o lib/strbuf.o lib/num.o lib/utf8.o lib/jsonl.o lib/csvio.o \
           lib/csvscan.o lib/atomicfile.o lib/secret.o lib/progress.o \
           lib/http.o lib/xmlsafe.o lib/tar.o lib/findings.o lib/jsonw.o lib/html.o
COMMANDS = j2w
UNIT_TESTS = t-strbuf t-num t-utf8 t-jsonl t-csvio t-csvscan t-tar t-secret \
             t-xmlsafe t-atomicfile t-http t-err t-progress
FUZZ_TARGETS = fuzz-csv fuzz-jsonl fuzz-tar fuzz-http fuzz-utf8

# j2w-users, j2w-contacts
LIB_OBJ  += lib/user.o lib/device.o lib/bat.o lib/batexport.o lib/axl.o lib/contacts.o
COMMANDS += j2w-users j2w-contacts
UNIT_TESTS += t-device t-user t-bat t-axl t-contacts
FUZZ_TARGETS += fuzz-axl fuzz-bat

# j2w-reconcile
LIB_OBJ  += lib/identity.o lib/ldapdir.o lib/reconcile.o
COMMANDS += j2w-reconcile
UNIT_TESTS += t-identity t-ldapdir t-reconcile
FUZZ_TARGETS += fuzz-identity

# j2w-csv, j2w-apply
LIB_OBJ  += lib/behavior.o lib/rules.o lib/webex.o lib/journal.o lib/apply.o lib/records.o \
            lib/wave.o lib/ctcsv.o
COMMANDS += j2w-apply j2w-csv
UNIT_TESTS += t-rules t-ctcsv t-journal t-webex
FUZZ_TARGETS += fuzz-rules fuzz-cttemplate fuzz-records

# j2w-jabber-config
LIB_OBJ  += lib/templates.o lib/jabparams.o lib/jabcfg.o lib/jablint.o lib/serviceprofile.o
COMMANDS += j2w-jabber-config
UNIT_TESTS += t-jabparams t-jabcfg t-jablint t-serviceprofile
FUZZ_TARGETS += fuzz-jabcfg
lib/templates.o: ALL_CFLAGS += -DJ2W_TEMPLATES_DIR='"$(PREFIX)/share/j2w"'

# j2w-dns-check
LIB_OBJ  += lib/srv.o lib/dns.o lib/tlsprobe.o lib/uds.o lib/dnschecks.o
COMMANDS += j2w-dns-check
UNIT_TESTS += t-srv t-dnschecks
FUZZ_TARGETS += fuzz-srv

# j2w-chat-archive
LIB_OBJ  += lib/chatsrc.o lib/chatsrc_pg.o lib/chatsrc_csv.o lib/chatdb.o lib/chatexport.o \
            lib/roomcfg.o
COMMANDS += j2w-chat-archive
UNIT_TESTS += t-chatsrc t-roomcfg t-chatexport
FUZZ_TARGETS += fuzz-pgcopy fuzz-roomcfg fuzz-chattime

# j2w-report
LIB_OBJ  += lib/report.o lib/report_apply.o lib/report_archive.o lib/report_html.o \
            lib/report_text.o
COMMANDS += j2w-report
UNIT_TESTS += t-report
FUZZ_TARGETS += fuzz-report

LIB       = lib/libj2w.a
CMD_COMMON = cmd/cmdutil.o
BINS      = $(addprefix bin/,$(COMMANDS))
UNIT_BINS = $(addprefix bin/unit/,$(UNIT_TESTS))
FUZZ_BINS = $(addprefix bin/fuzz/,$(FUZZ_TARGETS))

all: $(BINS)

# Objects are rebuilt when the flags change (a SANITIZE build after a plain one).
FLAGS_STAMP = .build-flags
$(FLAGS_STAMP): FORCE
	@echo "$(CC) $(ALL_CFLAGS) $(LDFLAGS)" | cmp -s - $@ || echo "$(CC) $(ALL_CFLAGS) $(LDFLAGS)" >$@

%.o: %.c $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $(LIB_OBJ)

bin/%: cmd/%.o $(CMD_COMMON) $(LIB)
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $< $(CMD_COMMON) $(LIB) $(LIBS)

bin/unit/%: tests/unit/%.o tests/unit/unit.o $(LIB)
	@mkdir -p bin/unit
	$(CC) $(LDFLAGS) -o $@ $< tests/unit/unit.o $(LIB) $(LIBS)

tests/unit/%.o: ALL_CFLAGS += -Itests/unit

# Fuzz targets need clang's libFuzzer: make fuzz (builds and runs each briefly).
FUZZ_CC     = clang
FUZZ_FLAGS  = -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Ilib \
              $(shell pkg-config --cflags $(PKGS))
FUZZ_SECONDS ?= 20
bin/fuzz/%: tests/fuzz/%.c $(addsuffix .c,$(basename $(LIB_OBJ)))
	@mkdir -p bin/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(LIBS)

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

check: deps all $(UNIT_BINS)
	@tests/run-tests $(UNIT_BINS) -- tests/t[0-9]*.sh

check-unit: all $(UNIT_BINS)
	@tests/run-tests $(UNIT_BINS) --

demo: deps all
	@scripts/demo

bench: deps all
	@scripts/bench

lint:
	@! grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets|system)\s*\(' \
		cmd/*.c lib/*.c lib/*.h || { echo 'lint: banned call (STYLE.md)'; exit 1; }

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/j2w
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/j2w/

clean:
	rm -rf bin lib/*.o lib/*.d lib/*.a cmd/*.o cmd/*.d tests/unit/*.o tests/unit/*.d tests/trash $(FLAGS_STAMP)

FORCE:
.PHONY: FORCE all check check-unit demo bench fuzz lint install clean deps
.SECONDARY:
-include $(wildcard lib/*.d cmd/*.d tests/unit/*.d)
