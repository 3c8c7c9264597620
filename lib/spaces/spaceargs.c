/* j2w-chat-archive spaces: its option rules, how a run starts, its notes and summary line. */
#include <stdlib.h>
#include <string.h>

#include "chat/chatread.h"
#include "spaces/spaceargs.h"
#include "spaces/spacemap.h"

int
spaceargs_check(const struct spaceargs *a, struct j2w_err *err)
{
	if (a->commit && a->plan)
		return err_set(err, J2W_EUSAGE, "--plan and --commit exclude each other");
	if ((a->resume != NULL) + (a->rollback != NULL) + (a->journal != NULL) > 1)
		return err_set(err, J2W_EUSAGE, "give one of --journal, --resume and --rollback");
	if (a->resume == NULL && a->rollback == NULL && (a->archive == NULL || a->map == NULL))
		return err_set(err, J2W_EUSAGE, "spaces wants the archive and the reconcile output: "
		    "spaces ARCHIVE.db --map RECONCILED.jsonl");
	if ((a->resume != NULL || a->rollback != NULL) && (a->map != NULL || a->room != NULL))
		return err_set(err, J2W_EUSAGE, "--resume and --rollback take their rooms from the "
		    "journal, not from --map or --room");
	if (a->rollback != NULL && a->archive != NULL)
		return err_set(err, J2W_EUSAGE, "--rollback needs only the journal, not '%s'",
		    a->archive);
	if (a->journal != NULL && !a->commit)
		return err_set(err, J2W_EUSAGE, "--journal records changes: it goes with --commit");
	if (a->commit && a->journal == NULL && a->resume == NULL && a->rollback == NULL)
		return err_set(err, J2W_EUSAGE, "--commit needs --journal FILE: the record that "
		    "--resume and --rollback work from");
	if (a->resume != NULL && !a->commit)
		return err_set(err, J2W_EUSAGE, "--resume continues a commit: give --commit as well");
	return 0;
}

/* The archive, the plan and the new journal of a --commit (or the plan alone). */
static int
start_new(struct spaces_run *run, const struct spaceargs *a, FILE *map_fp, const char *api,
    struct spacej *j, struct chatdb **db, struct j2w_err *err)
{
	struct spaces_map map;
	char *digest;
	int rc;

	spaces_map_init(&map);
	if (spaces_map_read(&map, map_fp, a->map, err) < 0 || chatdb_open(db, a->archive, 0, err) < 0) {
		spaces_map_release(&map);
		return -1;
	}
	digest = chatread_archive_digest(*db, err);
	if (digest == NULL && err->status != J2W_OK) {
		spaces_map_release(&map);
		return -1;
	}
	rc = spaces_load_archive(run, *db, &map, a->room, err);
	spaces_map_release(&map);
	run->digest = digest;
	if (rc < 0 || spaces_lookup(run, err) < 0)
		return -1;
	if (a->journal != NULL) {
		if (spacej_create(j, a->journal, api, a->archive, digest, err) < 0)
			return -1;
		run->journal = j;
		if (spacej_run_start(j, "commit", err) < 0 || spaces_journal_plan(run, err) < 0)
			return -1;
	}
	return 0;
}

/* The journal of --resume or --rollback, and (resume) the archive it was made from. */
static int
start_journal(struct spaces_run *run, const struct spaceargs *a, const char *api,
    struct spacej *j, struct chatdb **db, struct j2w_err *err)
{
	const char *path = a->resume != NULL ? a->resume : a->rollback;
	char *japi = NULL, *jarchive = NULL, *digest = NULL;
	int rc = -1;

	if (spacej_open(j, path, err) < 0)
		return -1;
	if (spacej_meta(j, "api", &japi, err) < 0 || spacej_meta(j, "archive", &jarchive, err) < 0 ||
	    spacej_meta(j, "archive_digest", &digest, err) < 0)
		goto out;
	run->digest = digest;
	if (japi != NULL && strcmp(japi, api) != 0) {
		err_set(err, J2W_EUSAGE, "journal '%s' was written against the API '%s', not '%s': "
		    "give --api", path, japi, api);
		rc = 1;
		goto out;
	}
	if (spaces_load_journal(run, j, err) < 0)
		goto out;
	if (a->resume != NULL) {
		if (a->archive == NULL && jarchive == NULL) {
			err_set(err, J2W_EUSAGE, "journal '%s' names no archive: give ARCHIVE.db", path);
			rc = 1;
			goto out;
		}
		if (chatdb_open(db, a->archive != NULL ? a->archive : jarchive, 0, err) < 0)
			goto out;
		run->db = *db;
	}
	if (a->commit && spacej_run_start(j, a->resume ? "resume" : "rollback", err) < 0)
		goto out;
	rc = spaces_lookup(run, err) < 0 ? -1 : 0;
out:
	free(japi);
	free(jarchive);
	return rc;
}

int
spaceargs_start(struct spaces_run *run, const struct spaceargs *a, FILE *map_fp,
    const char *api, struct spacej *j, struct chatdb **db, struct j2w_err *err)
{
	if (a->resume != NULL || a->rollback != NULL)
		return start_journal(run, a, api, j, db, err);
	return start_new(run, a, map_fp, api, j, db, err);
}

void
spaceargs_room_notes(const struct spaces_run *run, const struct spaces_room *r,
    void (*say)(void *ctx, const char *msg), void *ctx)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	for (size_t k = 0; !run->rollback && strcmp(r->state, "exists") != 0 && k < r->nmembers;
	    k++) {
		const struct spaces_member *m = &r->members[k];

		if (strcmp(m->state, "left_out") != 0 && strcmp(m->state, "failed") != 0)
			continue;
		strbuf_reset(&sb);
		if (strbuf_addf(&sb, "room '%s': '%s' %s: %s", r->room_jid, m->jid,
		    strcmp(m->state, "failed") == 0 ? "could not be added" : "left out",
		    m->reason ? m->reason : "no reason recorded") == 0)
			say(ctx, sb.buf);
	}
	strbuf_reset(&sb);
	if (r->error[0] != '\0' && strbuf_addf(&sb, "room '%s': %s", r->room_jid, r->error) == 0)
		say(ctx, sb.buf);
	strbuf_release(&sb);
}

int
spaceargs_stopped(const struct spaces_run *run, const struct spaceargs *a, int interrupted,
    struct strbuf *sb)
{
	const char *jpath = a->journal ? a->journal : a->resume ? a->resume : a->rollback;
	const char *why = run->stop_reason[0] != '\0' ? run->stop_reason : "interrupted";

	if (run->stop_reason[0] == '\0' && !interrupted && run->n.unsure > 0) {
		strbuf_addf(sb, "%lu room%s left unsure (Webex may have made a space or message "
		    "whose answer was lost): continue with --resume %s --commit, which finds out",
		    run->n.unsure, run->n.unsure == 1 ? "" : "s", jpath != NULL ? jpath : "JOURNAL");
		return 1;
	}
	if (run->stop_reason[0] == '\0' && !interrupted)
		return 0;
	if (a->commit && jpath != NULL)
		strbuf_addf(sb, "%s: continue with %s %s --commit", why, run->rollback ?
		    "--rollback" : "--resume", jpath);
	else
		strbuf_addstr(sb, why);
	return 1;
}

void
spaceargs_describe(const struct spaces_run *run, struct strbuf *sb)
{
	const struct spaces_counts *n = &run->n;
	struct webex_stats st;

	memset(&st, 0, sizeof(st));
	if (run->client != NULL)
		webex_get_stats(run->client, &st);
	if (run->rollback) {
		unsigned long planned = 0;

		for (size_t i = 0; i < run->nrooms; i++)
			planned += run->rooms[i]->rb_state != NULL &&
			    strcmp(run->rooms[i]->rb_state, "planned") == 0;
		strbuf_addf(sb, "%lu spaces %s, %lu already gone, %lu failed", run->commit ?
		    n->deleted : planned, run->commit ? "deleted" : "to delete", n->gone, n->failed);
		if (n->stopped)
			strbuf_addf(sb, ", %lu not done", n->stopped);
	} else {
		strbuf_addf(sb, "%lu rooms: ", n->rooms);
		if (!run->commit)
			strbuf_addf(sb, "%lu spaces to create, %lu already in Webex", n->rooms - n->exists,
			    n->exists);
		else
			strbuf_addf(sb, "%lu spaces created, %lu done, %lu already in Webex, %lu failed",
			    n->created, n->done, n->exists, n->failed);
		if (n->stopped)
			strbuf_addf(sb, ", %lu not done", n->stopped);
		if (n->adhoc || n->other)
			strbuf_addf(sb, "; %lu ad-hoc rooms skipped", n->adhoc + n->other);
		if (!run->commit)
			strbuf_addf(sb, "; %lu members to add, %lu left out; %lu files",
			    n->members - n->left_out, n->left_out, n->files);
		else
			strbuf_addf(sb, "; %lu members added, %lu already members, %lu left out, %lu "
			    "failed; %lu of %lu files posted", n->added, n->present, n->left_out,
			    n->member_failed, n->posted, n->files);
	}
	strbuf_addf(sb, "; %lu requests, %lu answered 429, %lu retried", st.requests, st.r429,
	    st.retries);
	if (!run->commit)
		strbuf_addf(sb, " (plan only: nothing was changed; --commit %s)", run->rollback ?
		    "deletes them" : "creates the spaces");
}
