/* Error reporting for the library: a status that maps to an exit code, and a message. */
#ifndef J2W_ERR_H
#define J2W_ERR_H

#include <stddef.h>

/* The exit-status table of every man page (EXIT STATUS); library calls report one of these. */
enum j2w_status {
	J2W_OK = 0,
	J2W_FINDINGS = 1,	/* findings at or above --fail-on, or items failed */
	J2W_EUSAGE = 2,		/* the caller asked for something impossible */
	J2W_EDATA = 3,		/* bad input data */
	J2W_ESYS = 4		/* system, network or remote-service error */
};

#define J2W_ERR_MAX 1024

struct j2w_err {
	enum j2w_status status;
	char msg[J2W_ERR_MAX];
};

/* Clears err to J2W_OK with an empty message. */
void err_clear(struct j2w_err *err);

/*
 * Sets err (when not NULL) to status and a printf-style message, following the
 * message rules of STYLE.md: lower case, no full stop, subject in quotes.
 * Returns -1 so that callers can write `return err_set(...)`.
 */
int err_set(struct j2w_err *err, enum j2w_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As err_set, then appends ": strerror(errno)" for the errno at the call. */
int err_set_errno(struct j2w_err *err, enum j2w_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with a context such as a file name. */
void err_prefix(struct j2w_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
