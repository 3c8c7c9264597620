/* Error buffers: the library's only way of saying what went wrong. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/j2w_err.h"

void
err_clear(struct j2w_err *err)
{
	if (err == NULL)
		return;
	err->status = J2W_OK;
	err->msg[0] = '\0';
}

static void
err_vset(struct j2w_err *err, enum j2w_status status, const char *fmt, va_list ap)
{
	err->status = status;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int
err_set(struct j2w_err *err, enum j2w_status status, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	err_vset(err, status, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_set_errno(struct j2w_err *err, enum j2w_status status, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t len;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	err_vset(err, status, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	if (len + 2 < sizeof(err->msg)) {
		err->msg[len++] = ':';
		err->msg[len++] = ' ';
		snprintf(err->msg + len, sizeof(err->msg) - len, "%s", strerror(saved));
	}
	errno = saved;
	return -1;
}

void
err_prefix(struct j2w_err *err, const char *fmt, ...)
{
	char prefix[J2W_ERR_MAX], old[J2W_ERR_MAX];
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* truncation is fine: a long message keeps its start, which says what failed */
	if (snprintf(err->msg, sizeof(err->msg), "%s", prefix) < (int)sizeof(err->msg)) {
		size_t len = strlen(err->msg);

		snprintf(err->msg + len, sizeof(err->msg) - len, ": %.*s",
		    (int)(sizeof(err->msg) - len), old);
	}
}
