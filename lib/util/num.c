/* strtol/strtod wrappers with whole-string and range checks (strtonum-style). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/num.h"

int
num_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int
num_parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s)) {
		errno = EINVAL;
		return -1;
	}
	/* decimal only: strtod would also take "inf", "nan" and hex such as "0x1p4" */
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p) && strchr("+-.eE", *p) == NULL) {
			errno = EINVAL;
			return -1;
		}
	}
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || v != v) {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}
