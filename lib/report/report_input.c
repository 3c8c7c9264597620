/* The report's input dispatcher: what each input file is, and the reader it goes to. */
#include <stdio.h>
#include <string.h>

#include "chat/chatdb.h"
#include "report/report_apply.h"
#include "report/report_archive.h"
#include "report/report_input.h"
#include "report/report_records.h"
#include "webex/journal.h"

int
report_read_path(struct report *r, const char *path, struct j2w_err *err)
{
	static const char sqlite_magic[16] = "SQLite format 3";
	char head[16];
	FILE *fp;
	size_t n;
	int rc, kind;

	if (strcmp(path, "-") == 0)
		return report_read_stream(r, stdin, "-", err);
	if ((fp = fopen(path, "rb")) == NULL)
		return err_set_errno(err, J2W_ESYS, "cannot open '%s'", path);
	n = fread(head, 1, sizeof(head), fp);
	if (ferror(fp)) {
		fclose(fp);
		return err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
	}
	if (n == sizeof(head) && memcmp(head, sqlite_magic, sizeof(head)) == 0) {
		fclose(fp);
		if ((kind = chatdb_probe(path, err)) != 0)
			return kind < 0 ? -1 : report_read_archive(r, path, err);
		if ((kind = journal_probe(path, err)) != 0)
			return kind < 0 ? -1 : report_read_journal(r, path, err);
		return err_set(err, J2W_EDATA, "'%s' is an SQLite database, but neither a "
		    "j2w-apply journal nor a j2w-chat-archive this report knows", path);
	}
	rewind(fp);
	rc = report_read_stream(r, fp, path, err);
	fclose(fp);
	return rc;
}
