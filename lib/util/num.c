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

int
num_parse_duration_ms(const char *s, long min_ms, long max_ms, long *out)
{
	char num[64];
	size_t n = s != NULL ? strlen(s) : 0;
	double scale = 1000, v;

	if (n >= 2 && strcmp(s + n - 2, "ms") == 0) {
		scale = 1;
		n -= 2;
	} else if (n >= 1 && s[n - 1] == 's') {
		n -= 1;
	}
	if (n == 0 || n >= sizeof(num) || s[0] == '+' || s[0] == '-') {
		errno = EINVAL;
		return -1;
	}
	memcpy(num, s, n);
	num[n] = '\0';
	if (num_parse_double(num, 0, 1e12, &v) < 0)
		return -1;
	v = v * scale + 0.5;
	if (v < (double)min_ms || v >= (double)max_ms + 1) {
		errno = ERANGE;
		return -1;
	}
	*out = (long)v;
	return 0;
}

int
num_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char num[64];
	const char *p = s;
	size_t n;
	double mult = 1, v;

	if (p != NULL && (*p == '+' || *p == '-'))
		p++;
	if (p == NULL || !(isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1])))) {
		errno = EINVAL;
		return -1;
	}
	n = strlen(s);
	if (s[n - 1] == 'K' || s[n - 1] == 'k') {
		mult = 1000;
		n--;
	} else if (s[n - 1] == 'M' || s[n - 1] == 'm') {
		mult = 1000000;
		n--;
	}
	if (n >= sizeof(num)) {
		errno = ERANGE;
		return -1;
	}
	memcpy(num, s, n);
	num[n] = '\0';
	if (num_parse_double(num, 0, 1e300, &v) < 0 || v * mult < (double)min ||
	    v * mult > (double)max) {
		errno = ERANGE;
		return -1;
	}
	*out = (uint64_t)(v * mult);
	return 0;
}
