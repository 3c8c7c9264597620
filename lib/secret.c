/* Loading secrets safely: mode checks, wiping after use. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

int
secret_from_file(const char *path, char **out, struct j2w_err *err)
{
	char buf[SECRET_MAX + 1];
	struct stat st;
	ssize_t n;
	size_t len;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
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
	n = read(fd, buf, SECRET_MAX);
	close(fd);
	if (n < 0)
		return err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
	buf[n] = '\0';
	len = strcspn(buf, "\r\n");
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
	const char *val;

	if (file != NULL)
		return secret_from_file(file, out, err);
	val = env != NULL ? getenv(env) : NULL;
	if (val == NULL || val[0] == '\0') {
		*out = NULL;
		return err_set(err, J2W_EUSAGE, "no %s: set %s or give a file", what,
		    env != NULL ? env : "the variable");
	}
	*out = strdup(val);
	if (*out == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
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
