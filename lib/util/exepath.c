/* The running program's directory, for files found beside it (templates, manual pages). */
#include <string.h>
#include <unistd.h>

#include "util/exepath.h"

int
exepath_dir(char *buf, size_t len)
{
	ssize_t n;
	char *slash;

	if (len < 2)
		return -1;
	n = readlink("/proc/self/exe", buf, len - 1);
	/* a name that fills buf may have been cut short */
	if (n <= 0 || (size_t)n >= len - 1)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	return 0;
}
