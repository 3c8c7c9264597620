/* Loading secrets safely: mode checks, wiping after use. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/secret.h"

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

void
secret_no_core(void)
{
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int
secret_from_file(const char *path, char **out, struct j2w_err *err)
{
	char buf[SECRET_MAX + 2];
	struct stat st;
	ssize_t n;
	size_t len, got = 0;
	int fd;

	*out = NULL;
	secret_no_core();
	/* O_NONBLOCK: opening a FIFO with no writer would otherwise hang here */
	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return err_set_errno(err, J2W_EUSAGE, "cannot open secret file '%s'", path);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return err_set_errno(err, J2W_ESYS, "cannot stat '%s'", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(err, J2W_EUSAGE, "secret file '%s' is not a regular file", path);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return err_set(err, J2W_EUSAGE,
		    "secret file '%s' is readable by group or others (mode %03o): run chmod 600 '%s'",
		    path, (unsigned)(st.st_mode & 0777), path);
	}
	/* one byte more than a secret may hold, to tell a long one from a full one */
	while (got < SECRET_MAX + 1) {
		n = read(fd, buf + got, SECRET_MAX + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			explicit_bzero(buf, sizeof(buf));
			return err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	for (len = 0; len < got && buf[len] != '\r' && buf[len] != '\n'; len++)
		;
	if (len > SECRET_MAX || memchr(buf, '\0', len) != NULL) {
		explicit_bzero(buf, sizeof(buf));
		if (len > SECRET_MAX)
			return err_set(err, J2W_EUSAGE, "secret file '%s' has a line longer than %d bytes",
			    path, SECRET_MAX);
		return err_set(err, J2W_EUSAGE,
		    "secret file '%s' has a NUL byte (save it as plain UTF-8 text)", path);
	}
	buf[len] = '\0';
	if (len == 0) {
		explicit_bzero(buf, sizeof(buf));
		return err_set(err, J2W_EUSAGE, "secret file '%s' is empty", path);
	}
	*out = strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	if (*out == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	return 0;
}

int
secret_load(const char *file, const char *env, const char *what, char **out,
    struct j2w_err *err)
{
	char *val;

	if (file != NULL)
		return secret_from_file(file, out, err);
	secret_no_core();
	*out = NULL;
	val = env != NULL ? getenv(env) : NULL;
	if (val != NULL) {
		size_t len = strlen(val);

		/* a value pasted from a file may end in a newline or a CR */
		while (len > 0 && strchr(" \t\r\n", val[len - 1]) != NULL)
			len--;
		if (len > 0 && (*out = strndup(val, len)) == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		/* wiped where it lay: /proc/PID/environ and child processes no longer show it */
		explicit_bzero(val, strlen(val));
		unsetenv(env);
	}
	if (*out == NULL)
		return err_set(err, J2W_EUSAGE, "no %s: set %s or give a file", what,
		    env != NULL ? env : "the variable");
	return 0;
}

int
secret_split_credentials(const char *line, char **user, char **password,
    struct j2w_err *err)
{
	const char *colon = strchr(line, ':');

	*user = NULL;
	*password = NULL;
	if (colon == NULL || colon == line || colon[1] == '\0')
		return err_set(err, J2W_EUSAGE, "credentials must be 'user:password' on one line");
	*user = strndup(line, (size_t)(colon - line));
	*password = strdup(colon + 1);
	if (*user == NULL || *password == NULL) {
		secret_free(*user);
		secret_free(*password);
		*user = *password = NULL;
		return err_set(err, J2W_ESYS, "out of memory");
	}
	return 0;
}
