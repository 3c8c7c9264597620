/* atomic_file and atomic_out: a crash or an error never leaves a half-written output in place. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomicfile.h"
#include "util/strbuf.h"

/*
 * The outputs open now. A signal handler may walk the list at any moment, so
 * it changes with the signals that clean up blocked, one pointer store at a
 * time, and a node's tmp is set before it is linked and cleared after it is
 * unlinked.
 */
static struct atomic_file *volatile pending;

static void
pending_edit(int add, struct atomic_file *af)
{
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	if (add) {
		af->next = pending;
		pending = af;
	} else {
		for (struct atomic_file *volatile *p = &pending; *p != NULL; p = &(*p)->next) {
			if (*p == af) {
				*p = af->next;
				break;
			}
		}
		af->next = NULL;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void
atomic_unlink_pending(void)
{
	for (struct atomic_file *af = pending; af != NULL; af = af->next)
		if (af->tmp != NULL)
			unlink(af->tmp);
}

int
atomic_open(struct atomic_file *af, const char *path, int private_mode, struct j2w_err *err)
{
	struct strbuf tmp;
	mode_t mask;
	int fd;

	memset(af, 0, sizeof(*af));
	{
		struct stat st;

		/*
		 * A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place:
		 * renaming a temporary file over it would replace the device itself.
		 */
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return err_set(err, J2W_EUSAGE, "'%s' is a directory", path);
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			af->path = strdup(path);
			if (af->path == NULL)
				return err_set(err, J2W_ESYS, "out of memory");
			af->fp = fopen(path, "w");
			if (af->fp == NULL) {
				err_set_errno(err, J2W_ESYS, "cannot open '%s'", path);
				free(af->path);
				af->path = NULL;
				return -1;
			}
			return 0;
		}
	}
	strbuf_init(&tmp, 0);
	if (strbuf_addf(&tmp, "%s.tmp.XXXXXX", path) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		err_set_errno(err, J2W_ESYS, "cannot create '%s'", path);
		strbuf_release(&tmp);
		return -1;
	}
	af->tmp = strbuf_detach(&tmp, NULL);
	pending_edit(1, af);
	mask = umask(0);
	umask(mask);
	if (!private_mode && fchmod(fd, 0666 & ~mask) < 0) {
		err_set_errno(err, J2W_ESYS, "cannot set the mode of '%s'", af->tmp);
		goto fail;
	}
	af->fp = fdopen(fd, "w");
	if (af->fp == NULL) {
		err_set_errno(err, J2W_ESYS, "cannot open '%s'", af->tmp);
		goto fail;
	}
	af->path = strdup(path);
	if (af->path == NULL) {
		atomic_abort(af);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	return 0;
fail:
	close(fd);
	unlink(af->tmp);
	pending_edit(0, af);
	free(af->tmp);
	af->tmp = NULL;
	return -1;
}

int
atomic_commit(struct atomic_file *af, struct j2w_err *err)
{
	int rc = 0;

	if (fflush(af->fp) != 0 || ferror(af->fp) ||
	    (af->tmp != NULL && fsync(fileno(af->fp)) < 0)) {
		err_set_errno(err, J2W_ESYS, "cannot write '%s'", af->path);
		rc = -1;
	}
	if (fclose(af->fp) != 0 && rc == 0) {
		err_set_errno(err, J2W_ESYS, "cannot write '%s'", af->path);
		rc = -1;
	}
	af->fp = NULL;
	if (rc == 0 && af->tmp != NULL && rename(af->tmp, af->path) < 0) {
		err_set_errno(err, J2W_ESYS, "cannot rename '%s' to '%s'", af->tmp, af->path);
		rc = -1;
	}
	if (rc < 0 && af->tmp != NULL)
		unlink(af->tmp);
	if (af->tmp != NULL)
		pending_edit(0, af);
	free(af->tmp);
	free(af->path);
	af->tmp = NULL;
	af->path = NULL;
	return rc;
}

int
atomic_rename(struct atomic_file *af, struct j2w_err *err)
{
	if (af->tmp != NULL && rename(af->tmp, af->path) < 0)
		return err_set_errno(err, J2W_ESYS, "cannot rename '%s' to '%s'", af->tmp, af->path);
	if (af->tmp != NULL)
		pending_edit(0, af);
	free(af->tmp);
	free(af->path);
	af->tmp = NULL;
	af->path = NULL;
	return 0;
}

void
atomic_abort(struct atomic_file *af)
{
	if (af->fp != NULL)
		fclose(af->fp);
	if (af->tmp != NULL) {
		unlink(af->tmp);
		pending_edit(0, af);
	}
	free(af->tmp);
	free(af->path);
	memset(af, 0, sizeof(*af));
}

int
atomic_out_open(struct atomic_out *o, const char *path, int spool, struct j2w_err *err)
{
	memset(o, 0, sizeof(*o));
	if (path != NULL) {
		if (atomic_open(&o->af, path, 0, err) < 0)
			return -1;
		o->fp = o->af.fp;
		o->to_file = 1;
	} else if (spool) {
		o->fp = tmpfile();
		if (o->fp == NULL)
			return err_set_errno(err, J2W_ESYS, "cannot create a temporary file");
		o->spooled = 1;
	} else {
		o->fp = stdout;
	}
	return 0;
}

int
atomic_out_commit(struct atomic_out *o, struct j2w_err *err)
{
	if (o->to_file) {
		if (atomic_commit(&o->af, err) < 0)
			return -1;
	} else if (o->spooled) {
		char buf[65536];
		size_t n;

		if (fflush(o->fp) != 0 || ferror(o->fp))
			return err_set_errno(err, J2W_ESYS, "cannot write the temporary output");
		rewind(o->fp);
		/* a write error shows on stdout, which the command checks at its end */
		while ((n = fread(buf, 1, sizeof(buf), o->fp)) > 0)
			if (fwrite(buf, 1, n, stdout) != n)
				break;
		fclose(o->fp);
	}
	o->fp = NULL;
	return 0;
}

void
atomic_out_abort(struct atomic_out *o)
{
	if (o->to_file && o->fp != NULL)
		atomic_abort(&o->af);
}
