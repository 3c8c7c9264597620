/*
 * The readiness report's model: findings, reconcile users, apply waves and chat
 * archives, counted and ordered; and the writers over it. The readers that fill
 * it are report_input.h (which reader an input needs), report_records.h (JSON
 * Lines), report_apply.h (j2w-apply) and report_archive.h (chat archives).
 */
#ifndef J2W_REPORT_H
#define J2W_REPORT_H

#include <stdio.h>
#include <jansson.h>

#include "record/findings.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"
#include "webex/rules.h"

#define REPORT_NSEV 5			/* OK INFO WARN FAIL ERROR, as enum severity */
#define REPORT_SHOW_MAX 50		/* rows shown per check in HTML and Markdown */

#define REPORT_NONE ((size_t)-1)	/* no person, no item */

/* One finding, as read or as made from an apply result or an unreadable input line. */
struct report_item {
	char *tool, *check, *subject, *view, *message, *fix;
	char *user;			/* who it affects ("Name <email>"), or NULL */
	char *domain;			/* j2w-dns-check: the domain it is about, or NULL */
	enum severity sev;
	size_t seq;			/* input order, for a stable sort */
	size_t person;			/* the reconcile person it is about, or REPORT_NONE */
	size_t person_next;		/* that person's next finding, or REPORT_NONE */
	unsigned long affects_n;	/* people user stands for (a DNS finding: its domain's) */
};

/* A reconcile user's status, as counted. */
enum report_status { RS_OK, RS_REVIEW, RS_BLOCKED, RS_OTHER };

/*
 * One person of the reconcile input. The copies of a user that several clusters
 * export (home_cluster true on one, false on the others) are one person: same
 * Webex email and user ID (person_key in lib/record/person.h).
 */
struct report_person {
	char *label;			/* "Name <email>", as findings name who they affect */
	char *address;			/* Webex email, else JID, or NULL: its domain counts for DNS */
	enum report_status status;	/* the worst of its copies */
	unsigned copies;		/* records read for it */
	size_t items;			/* its first finding, or REPORT_NONE */
	char *email;			/* lower-cased Webex email (as j2w-apply uses it), or NULL */
	unsigned char *kind;		/* per report.rules: what those rules make of the person
					   (enum wave_kind; WAVE_USER from any copy wins) */
};

/* What happened to one user in apply, reduced to what the progress chart shows. */
enum report_apply_state {
	RA_DONE,			/* applied, verified, restored */
	RA_UNCHANGED,			/* already right: skipped */
	RA_FAILED,			/* failed, conflict */
	RA_PENDING,			/* not done yet: pending, writing, stopped */
	RA_PLANNED,			/* a plan only (no --commit) */
	RA_NSTATES
};

/* Why a wave left a reconcile person out, as its rules (given with --rules) say. */
enum report_left {
	RL_BLOCKED,			/* j2w-reconcile blocked them */
	RL_NO_RULE,			/* no rule matched them */
	RL_IGNORED,			/* an "ignore" rule matched them */
	RL_UNUSABLE,			/* no usable Webex email */
	RL_MISSING,			/* the rules take them, the wave's journal or results do not */
	RL_NKINDS
};

/* One wave of apply: a journal file, or the results that name it as their source. */
struct report_wave {
	char *name;
	char *journal;			/* the journal file it was read from, or NULL */
	json_t *users;			/* lower-case email -> {"state":n,"result":s,"error":s} */
	/* filled by report_finish: */
	unsigned long n[RA_NSTATES];
	int has_rules;			/* left[] is known: the report was given the wave's rules */
	unsigned long left[RL_NKINDS];	/* reconcile people the wave left out, by why */
};

/* The rules of a wave, given to the report to tell whom the wave left out and why. */
struct report_rules {
	char *wave;
	char *path;
	struct rules rules;
	int used;			/* a journal or results of the wave were read */
};

/* One j2w-chat-archive database: what it holds and how its last import ended. */
struct report_archive {
	char *name;			/* the file name without directory */
	long rooms, members, messages, files;	/* -1: not known */
	char *first, *last;		/* UTC times of the first and last message, or NULL */
	char *status, *when;		/* the last import: status and time, or NULL */
	long rejected;			/* messages the last import rejected, -1: not known */
};

/* One input file as the report read it, so that an auditor can sign what it was made from. */
struct report_source {
	char *name;			/* as given on the command line; "<stdin>" for standard input */
	const char *kind;		/* a static description: "JSON Lines", "j2w-apply journal", ... */
	unsigned long records;		/* JSON Lines records read (0 for a database) */
	unsigned long long size;	/* bytes read */
	char sha256[65];		/* of those bytes, lower-case hex */
};

/* Findings of one area (one tool), in report order; filled by report_finish. */
struct report_area {
	char *tool;
	const char *name;		/* tool without "j2w-" */
	size_t first, count;		/* a run of report.order */
	unsigned long sev[REPORT_NSEV];
};

struct report {
	struct report_item *items;
	size_t nitems, cap;
	struct report_person *persons;
	size_t npersons, persons_cap;
	json_t *person_index;		/* person key -> index in persons */
	unsigned long user_records;	/* reconcile user records read (copies included) */
	/* after report_finish: */
	unsigned long users[3];		/* people by reconcile status: ok, review, blocked */
	unsigned long users_other;	/* people with another status */
	json_t *user_domains;		/* lower-case email domain -> people with an address there */
	struct report_wave *waves;
	size_t nwaves;
	unsigned long records;		/* input records read */
	unsigned long unreadable;	/* lines or records that could not be used */
	unsigned long unreconciled;	/* user records j2w-reconcile never saw (left out) */
	unsigned long journals;		/* apply journals read */
	struct report_archive *archives;
	size_t narchives;
	struct report_source *sources;	/* every input, in the order read */
	size_t nsources;
	struct report_rules *rules;	/* waves' rules (--rules), before any input is read */
	size_t nrules;
	unsigned long left_out;		/* after report_finish: reconcile people in no wave */
	char *dns_domain;		/* the domain of the last j2w-dns-check SRV finding */
	/* after report_finish: */
	size_t *order;			/* items by area, severity (worst first), check */
	struct report_area *areas;
	size_t nareas;
	unsigned long sev[REPORT_NSEV];
};

/* What the writers print besides the model. */
struct report_opts {
	const char *title;		/* NULL: "Jabber to Webex readiness" */
	const char *org;		/* may be NULL */
	const char *generated;		/* when the report was made ("2026-11-21 10:00:00 UTC"), or NULL */
};

void report_init(struct report *r);
void report_release(struct report *r);

/*
 * Adds one finding; every string is copied and may be NULL except tool and
 * check. Returns 0, or -1 on ENOMEM.
 */
int report_add_item(struct report *r, const char *tool, const char *check, enum severity sev,
    const char *subject, const char *view, const char *message, const char *fix,
    const char *user, const char *domain, struct j2w_err *err);

/*
 * A record or line that cannot be used: a j2w-report INPUT finding (ERROR) at
 * where, saying why, counted in r->unreadable. Returns 0, or -1 on ENOMEM.
 */
int report_add_unreadable(struct report *r, const char *where, const char *why,
    struct j2w_err *err);

/*
 * Notes one reconcile user record: key says who it is (person_key; NULL: a
 * record that cannot be told from another, always a new person), status its
 * reconcile status, address its Webex email or JID (NULL: none), email its
 * Webex email as j2w-apply picks it (person_webex_email; NULL: none), label how
 * findings name it, and kind what each of r->rules makes of the record (NULL
 * when r has no rules); all copied. Sets *idx to the person and *repeat when
 * the person was read before (another cluster's copy): the worse status is
 * kept, and a wave that takes either copy takes the person. Returns 0, or -1
 * on ENOMEM.
 */
int report_person_note(struct report *r, const char *key, const char *status,
    const char *address, const char *email, const char *label, const unsigned char *kind,
    size_t *idx, int *repeat, struct j2w_err *err);

/*
 * Adds a finding about person idx, as report_add_item does, named by the
 * person's label. On a repeat (another copy of the person), a finding of a
 * check the person already has is not added again: it is listed once, and a
 * worse severity (with its subject, message and fix) replaces the one kept.
 * Returns 0, or -1 on ENOMEM.
 */
int report_add_person_item(struct report *r, size_t idx, int repeat, const char *tool,
    const char *check, enum severity sev, const char *subject, const char *view,
    const char *message, const char *fix, struct j2w_err *err);

/*
 * The people the items order[from..to) affect, each counted once: a reconcile
 * person by who they are, anyone else by the user the item names, and a DNS
 * finding by the people of its domain (once per domain).
 */
unsigned long report_group_people(const struct report *r, size_t from, size_t to);

/* Names the journal file wave was read from (copied), for the fixes of its findings. */
int report_wave_journal(struct report *r, const char *wave, const char *path,
    struct j2w_err *err);

/* Records one apply result for email in wave (a later one for the same email wins). */
int report_apply_note(struct report *r, const char *wave, const char *email,
    enum report_apply_state state, const char *result, const char *error, struct j2w_err *err);

/*
 * Adds an archive named name (copied) to r->archives, zeroed but for its name
 * and counts unknown (-1), for a reader to fill; its strings are then owned by
 * the model. Returns it, or NULL with err on ENOMEM.
 */
struct report_archive *report_add_archive(struct report *r, const char *name,
    struct j2w_err *err);

/*
 * Adds an input to r->sources: name and kind (kind is not copied: a static
 * string), records read from it, its size and SHA-256 (64 hex digits).
 * Returns 0, or -1 on ENOMEM.
 */
int report_add_source(struct report *r, const char *name, const char *kind,
    unsigned long records, unsigned long long size, const char *sha256, struct j2w_err *err);

/*
 * Sorts and counts: call once after the last read, before writing. Counts the
 * people by status and domain, counts each wave and adds the apply findings
 * (failed, conflict, not done); counts whom each wave with rules left out and
 * why, and adds an APPLY-LEFT-OUT finding (INFO) for each reconcile person in
 * no wave; and says how many people each DNS finding affects.
 */
int report_finish(struct report *r, struct j2w_err *err);

/*
 * Appends to sb whom wave w left out, for people: "9 blocked by j2w-reconcile,
 * 8 by an ignore rule", "nobody", or why it is not known (no rules given).
 */
void report_wave_left(const struct report *r, const struct report_wave *w, struct strbuf *sb);

/* "NOT READY" (any FAIL or ERROR), "READY WITH WARNINGS" (any WARN), or "READY". */
const char *report_verdict(const struct report *r);
/* The worst severity present (SEV_OK when none). */
enum severity report_worst(const struct report *r);

/* The fix documented in docs/checks for tool and check, or NULL. */
const char *report_doc_fix(const char *tool, const char *check);
/* The item's own fix, else the documented one (not for an OK result), else NULL. */
const char *report_item_fix(const struct report_item *it);

/*
 * Items r->order[k..end) are sorted by area, severity and check. Returns the end
 * of the group that starts at k: the run of the same check (and, when
 * same_severity is set, the same severity). Both writers list findings by group.
 */
size_t report_group_end(const struct report *r, size_t k, size_t end, int same_severity);

/*
 * Writers (lib/report/report_html.c, lib/report/report_text.c). Everything from the input
 * is escaped for the format. Each returns 0, or -1 with err on a write error.
 */
int report_write_html(const struct report *r, FILE *fp, const struct report_opts *o,
    struct j2w_err *err);
int report_write_md(const struct report *r, FILE *fp, const struct report_opts *o,
    struct j2w_err *err);
int report_write_csv(const struct report *r, FILE *fp, const struct report_opts *o,
    struct j2w_err *err);

#endif
