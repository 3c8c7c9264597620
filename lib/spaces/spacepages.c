/* A spaces commit's history pages: one file per part, in a folder of the run's, until uploaded. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chat/chatexport.h"
#include "spaces/spacerun_int.h"

int
spacepages_open(struct spaces_run *run, struct j2w_err *err)
{
	char tmpl[] = "/tmp/j2w-spaces.XXXXXX";
	const char *tmp = getenv("TMPDIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/j2w-spaces.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	if (mkdtemp(strlen(path) < sizeof(path) - 1 ? path : tmpl) == NULL ||
	    (run->tmpdir = strdup(path)) == NULL)
		return err_set_errno(err, J2W_ESYS, "cannot make a temporary directory");
	return 0;
}

/* Writes part p of the room's history into a file of its own (mode 0600). */
int
spacepages_write(struct spaces_run *run, struct spaces_room *r, struct spaces_part *p,
    char *path, size_t len, long long *bytes, struct j2w_err *err)
{
	struct chatexport_part sel = { p->since, p->until, NULL, NULL };
	struct chat_room_info ri = spacerun_room_info(r);
	struct stat st;
	FILE *fp;
	int fd, rc;

	snprintf(path, len, "%s/room-%ld-part-%d.html", run->tmpdir, r->seq, p->part);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		return err_set_errno(err, J2W_ESYS, "cannot write '%s'", path);
	}
	ri.messages = p->messages;
	ri.first_utc = p->first;
	ri.last_utc = p->last;
	rc = chatexport_room_part(run->db, &ri, CHATEXPORT_HTML, NULL, &sel, fp, err);
	if (fflush(fp) != 0 || ferror(fp)) {
		if (rc == 0)
			err_set_errno(err, J2W_ESYS, "cannot write '%s'", path);
		rc = -1;
	}
	if (fstat(fileno(fp), &st) == 0)
		*bytes = (long long)st.st_size;
	fclose(fp);
	if (rc < 0)
		unlink(path);
	return rc;
}

void
spacepages_close(struct spaces_run *run)
{
	if (run->tmpdir != NULL)
		rmdir(run->tmpdir);
	free(run->tmpdir);
	run->tmpdir = NULL;
}
