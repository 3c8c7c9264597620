/* Inputs read twice: a pipe or terminal copied to a temporary file first. */
#include <errno.h>
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
