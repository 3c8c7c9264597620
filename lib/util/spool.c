/* Opening inputs: "-" is stdin, a directory is refused, a pipe is spooled to be read twice. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util/spool.h"

int
spool_rereadable(FILE **fp, const char *name, struct j2w_err *err)
{
	char buf[65536];
	size_t n;
	FILE *copy;

	if (fseeko(*fp, 0, SEEK_CUR) == 0)
		return 0;
	copy = tmpfile();
	if (copy == NULL)
		return err_set_errno(err, J2W_ESYS, "cannot create a temporary file");
	while ((n = fread(buf, 1, sizeof(buf), *fp)) > 0)
		if (fwrite(buf, 1, n, copy) != n) {
			err_set_errno(err, J2W_ESYS, "cannot write the temporary file");
			fclose(copy);
			return -1;
		}
	if (ferror(*fp)) {
		err_set_errno(err, J2W_ESYS, "cannot read '%s'", name);
		fclose(copy);
		return -1;
	}
	if (*fp != stdin)
		fclose(*fp);
	rewind(copy);
	*fp = copy;
	return 0;
}

FILE *
spool_open_input(const char *path, int rereadable, struct j2w_err *err)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct stat st;

	if (fp == NULL) {
		err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
		return NULL;
	}
	/* fopen takes a directory; reading it then fails as if the disk had */
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fp != stdin)
			fclose(fp);
		errno = EISDIR;
		err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
		return NULL;
	}
	if (rereadable && spool_rereadable(&fp, strcmp(path, "-") == 0 ? "<stdin>" : path,
	    err) < 0) {
		if (fp != stdin)
			fclose(fp);
		return NULL;
	}
	return fp;
}

void
spool_close_input(FILE *fp)
{
	if (fp != NULL && fp != stdin)
		fclose(fp);
}
