/* The report's reader of j2w-chat-archive databases. */
#ifndef J2W_REPORT_ARCHIVE_H
#define J2W_REPORT_ARCHIVE_H

#include "report/report.h"
#include "util/j2w_err.h"

/*
 * Reads a j2w-chat-archive database read-only (chatdb_summary): counts, time
 * span, last import, into r->archives; adds ARCHIVE-IMPORT and
 * ARCHIVE-REJECTED findings. Returns 0, or -1 with err (J2W_EDATA when it is
 * not an archive this reader knows, J2W_ESYS when it cannot be opened).
 */
int report_read_archive(struct report *r, const char *path, struct j2w_err *err);

#endif
