/* Secrets from the environment or from a file only its owner can read; never from argv. */
#ifndef J2W_SECRET_H
#define J2W_SECRET_H

#include "util/j2w_err.h"

#define SECRET_MAX 8192

/*
 * Reads the first line of path (trailing CR/LF removed) into *out, which the
 * caller frees with secret_free(). A file that is not regular (a FIFO is refused
 * without blocking), that group or others may read, whose first line is empty,
 * longer than SECRET_MAX or holds a NUL byte, is refused with J2W_EUSAGE.
 * Like every loader here, it makes the process undumpable first (secret_no_core).
 */
int secret_from_file(const char *path, char **out, struct j2w_err *err);

/*
 * The secret from file when given, else from the environment variable env
 * (trailing blanks, CR and LF removed). The variable's value is then wiped in
 * place and the variable removed: /proc/PID/environ and child processes do
 * not show it. Returns 0, or -1 with err (J2W_EUSAGE when neither is set:
 * the message names both ways of giving it).
 */
int secret_load(const char *file, const char *env, const char *what, char **out,
    struct j2w_err *err);

/*
 * Splits "user:password" (the AXL credentials file form) at the first ':'.
 * Both parts are new strings for secret_free(). Returns 0 or -1 with err.
 */
int secret_split_credentials(const char *line, char **user, char **password,
    struct j2w_err *err);

/*
 * Makes the process undumpable (prctl PR_SET_DUMPABLE 0): no core file, no
 * ptrace by other users, so that a secret in memory stays there. The loaders
 * above call it; a command that takes a secret another way (the environment,
 * a library that reads its own) calls it too.
 */
void secret_no_core(void);

/* Wipes and frees a secret (NULL is fine). */
void secret_free(char *s);

#endif
