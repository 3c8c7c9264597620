/*
 * The report's view of a j2w-chat-archive database: its summary, read through
 * lib/chat/chatdb.h, and the findings of how its last import ended.
 */
#include <string.h>

#include "chat/chatdb.h"
#include "report/report_archive.h"
#include "util/strbuf.h"

int
report_read_archive(struct report *r, const char *path, struct j2w_err *err)
{
	struct chatdb_summary s;
	struct report_archive *a;
	const char *base = strrchr(path, '/');

	if (chatdb_summary(path, &s, err) < 0) {
		if (err->status == J2W_EDATA)
			err_set(err, J2W_EDATA, "'%s' is not a j2w-chat-archive database this "
			    "report knows", path);
		return -1;
	}
	if ((a = report_add_archive(r, base != NULL ? base + 1 : path, err)) == NULL) {
		chatdb_summary_release(&s);
		return -1;
	}
	/* the model owns the summary's strings from here */
	a->rooms = s.rooms;
	a->members = s.members;
	a->messages = s.messages;
	a->files = s.files;
	a->first = s.first;
	a->last = s.last;
	a->status = s.status;
	a->when = s.when;
	a->rejected = s.rejected;

	/* what needs doing before IM and Presence is switched off */
	if (a->status != NULL && strcmp(a->status, "complete") == 0) {
		if (report_add_item(r, "j2w-chat-archive", "ARCHIVE-IMPORT", SEV_OK, a->name, NULL,
		    "the last import into the archive is complete", NULL, NULL, NULL, err) < 0)
			return -1;
	} else {
		struct strbuf msg;
		int rc;

		strbuf_init(&msg, 4096);
		strbuf_addf(&msg, "the last import into the archive ended '%s'",
		    a->status != NULL ? a->status : "(no import recorded)");
		rc = report_add_item(r, "j2w-chat-archive", "ARCHIVE-IMPORT", SEV_WARN, a->name, NULL,
		    msg.buf, "run the same j2w-chat-archive import again (it carries on where it "
		    "stopped), then j2w-chat-archive verify",
		    NULL, NULL, err);
		strbuf_release(&msg);
		if (rc < 0)
			return -1;
	}
	if (a->rejected > 0) {
		struct strbuf msg;
		int rc;

		strbuf_init(&msg, 4096);
		strbuf_addf(&msg, "%ld messages of the last import were rejected", a->rejected);
		rc = report_add_item(r, "j2w-chat-archive", "ARCHIVE-REJECTED", SEV_WARN, a->name,
		    NULL, msg.buf, "correct the rows of the chat database export that the import "
		    "named on its error output (file and line), then run the import again", NULL,
		    NULL, err);
		strbuf_release(&msg);
		if (rc < 0)
			return -1;
	}
	return 0;
}
