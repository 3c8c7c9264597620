/* A spaces commit's history pages: one file per part, next to the journal, until uploaded. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chat/chatexport.h"
#include "spaces/spacerun_int.h"

/*
 * The pages are written into JOURNAL-pages, a folder of mode 0700 next to the
 * journal (where SQLite keeps JOURNAL-wal too), not into a new $TMPDIR folder
 * that nothing would find again: a run killed with kill -9 leaves its pages
 * there, and the next run that commits or rolls back with that journal removes
 * them. While a run uses the folder it holds a lock on it, so that a second
 * run of the same journal does not remove the pages of a live one.
 */
#define PAGES_SUFFIX "-pages"

/* Whether name is one of ours: room-SEQ-part-N.html. */
static int
is_page(const char *name)
{
	long seq;
	int part, end = 0;

	return sscanf(name, "room-%ld-part-%d.html%n", &seq, &part, &end) == 2 && end > 0 &&
	    name[end] == '\0';
}

/* Removes the pages an earlier run of the journal left (killed before it could). */
static void
remove_stale(int dfd)
{
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (is_page(de->d_name))
			unlinkat(dfd, de->d_name, 0);
	closedir(d);
}

int
spacepages_open(struct spaces_run *run, struct j2w_err *err)
{
	struct stat st, again;
	char path[4096];
	int fd, locked = 0;

	if (run->journal == NULL || run->journal->path == NULL)
		return err_set(err, J2W_EUSAGE, "a commit needs a journal");
	/* room for "/room-SEQ-part-N.html" after it */
	if (strlen(run->journal->path) + sizeof(PAGES_SUFFIX) + 64 > sizeof(path))
		return err_set(err, J2W_EUSAGE, "journal '%s': its name is too long",
		    run->journal->path);
	snprintf(path, sizeof(path), "%s" PAGES_SUFFIX, run->journal->path);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return err_set_errno(err, J2W_ESYS, "cannot make '%s'", path);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set_errno(err, J2W_ESYS, "cannot open the pages folder '%s'", path);
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid()) {
		close(fd);
		return err_set(err, J2W_ESYS, "'%s' is not a folder of this user's: move it away",
		    path);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		locked = 1;
	} else if (errno == EWOULDBLOCK) {
		close(fd);
		return err_set(err, J2W_ESYS, "'%s' is in use: another run of journal '%s' is "
		    "going on", path, run->journal->path);
	}
	/*
	 * Else a file system without locks: the run goes on and removes nothing it
	 * finds. A folder that a run ending just now removed is not ours to use.
	 */
	if (stat(path, &again) < 0 || again.st_dev != st.st_dev || again.st_ino != st.st_ino) {
		close(fd);
		return err_set(err, J2W_ESYS, "'%s' is in use: another run of journal '%s' is "
		    "going on", path, run->journal->path);
	}
	if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0) {
		close(fd);
		return err_set_errno(err, J2W_ESYS, "cannot make '%s' private", path);
	}
	if (locked)
		remove_stale(fd);
	if ((run->tmpdir = strdup(path)) == NULL) {
		close(fd);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	run->pages_fd = fd;
	return 0;
}

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
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
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
	/* removed while locked: the pages were removed as they were posted, or with their room */
	if (run->tmpdir != NULL)
		rmdir(run->tmpdir);
	free(run->tmpdir);
	run->tmpdir = NULL;
	if (run->pages_fd >= 0)
		close(run->pages_fd);
	run->pages_fd = -1;
}
