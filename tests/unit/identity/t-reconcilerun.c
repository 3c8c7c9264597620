/* Unit tests for reconcilerun: the two passes without a directory, contacts, the bulk choice, the summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "identity/reconcilerun.h"
#include "unit.h"

static FILE *
file_of(const char *text)
{
	FILE *fp = tmpfile();

	fputs(text, fp);
	rewind(fp);
	return fp;
}

static unsigned long seen;

static void
count(void *ctx, unsigned long done)
{
	seen = done;
}

static const char users[] =
    "{\"userid\":\"ann\",\"directory_uri\":\"ann@example.com\"}\n"
    "{\"userid\":\"bob\",\"directory_uri\":\"bob@example.com\"}\n"
    "{\"userid\":\"bob2\",\"directory_uri\":\"BOB@example.com\"}\n";

static void
test_two_passes_without_a_directory(void)
{
	struct reconcile_run r;
	struct j2w_err err;
	struct strbuf sb;
	FILE *in = file_of(users), *out = tmpfile();

	reconcile_run_init(&r);
	r.o.scheme = SCHEME_DIRECTORY_URI;
	r.fail_on = SEV_FAIL;
	r.progress = count;
	CHECK_INT(reconcile_run_begin(&r, 0, &err), 0);
	CHECK_INT(reconcile_run_read(&r, in, "users.jsonl", &err), 0);
	CHECK_INT(ldapstream_finish(&r.stream, &err), 0);
	CHECK_INT(r.t.users, 3);
	CHECK_INT(seen, 3);
	seen = 0;
	CHECK_INT(reconcile_run_write(&r, out, &err), 0);
	CHECK_INT(seen, 3);
	/* the second pass knows that bob and bob2 share an address */
	CHECK_INT(r.t.ok, 1);
	CHECK_INT(r.t.ok + r.t.review + r.t.blocked, 3);
	CHECK_INT(r.tripped, r.t.blocked > 0);
	CHECK(strstr(unit_written(out), "\"userid\":\"ann\"") != NULL);
	CHECK(strstr(unit_written(out), "\"status\":\"ok\"") != NULL);
	strbuf_init(&sb, 0);
	reconcile_run_describe(&r, 0, &sb);
	CHECK(strncmp(sb.buf, "3 users: 1 ok, ", 15) == 0);
	CHECK(strchr(sb.buf, '\n') == NULL);
	strbuf_release(&sb);
	reconcile_run_release(&r);
	fclose(in);
	fclose(out);
}

static void
test_csv_is_a_step_left_out(void)
{
	struct reconcile_run r;
	struct j2w_err err;
	FILE *in = file_of("USER ID,MAIL ID\nann,ann@example.com\n");

	reconcile_run_init(&r);
	r.o.scheme = SCHEME_DIRECTORY_URI;
	CHECK_INT(reconcile_run_begin(&r, 0, &err), 0);
	/* a CUCM export is no user record: j2w-users reads it first */
	CHECK_INT(reconcile_run_read(&r, in, "enduser.csv", &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "the header names no column j2w reads") != NULL);
	reconcile_run_release(&r);
	fclose(in);
	/* user records as CSV (j2w-users --format csv) are read as JSON Lines are */
	reconcile_run_init(&r);
	r.o.scheme = SCHEME_DIRECTORY_URI;
	in = file_of("userid,mailid,directory_uri,home_cluster\nann,ann@example.com,"
	    "ann@example.com,true\n");
	CHECK_INT(reconcile_run_begin(&r, 0, &err), 0);
	CHECK_INT(reconcile_run_read(&r, in, "users.csv", &err), 0);
	CHECK_INT(ldapstream_finish(&r.stream, &err), 0);
	CHECK_INT(r.t.users, 1);
	reconcile_run_release(&r);
	fclose(in);
}

static void
test_contacts_and_fail_on(void)
{
	struct reconcile_run r;
	struct j2w_err err;
	FILE *in = file_of(users), *out = tmpfile(), *cout = tmpfile();
	json_t *c = json_pack("{s:s, s:s}", "owner", "ann@example.com", "contact", "bob@example.com");
	json_t *x = json_pack("{s:s, s:s}", "owner", "ann@example.com", "contact", "zed@example.com");

	reconcile_run_init(&r);
	r.o.scheme = SCHEME_DIRECTORY_URI;
	r.fail_on = SEV_WARN;
	CHECK_INT(reconcile_run_begin(&r, 0, &err), 0);
	CHECK_INT(reconcile_run_read(&r, in, "users.jsonl", &err), 0);
	CHECK_INT(ldapstream_finish(&r.stream, &err), 0);
	r.tripped = 0;
	/* an export row that holds no contact: told by the caller, counted, a WARN */
	CHECK_INT(reconcile_run_contact(&r, NULL, "c.csv:3: no contact ID", cout, &err), 1);
	CHECK_INT(r.t.contacts_unmapped, 1);
	CHECK_INT(r.tripped, 1);
	r.tripped = 0;
	CHECK_INT(reconcile_run_contact(&r, c, NULL, cout, &err), 0);
	CHECK_INT(r.t.contacts, 1);
	CHECK_INT(r.t.contacts_unmapped, 1);
	CHECK(strstr(unit_written(cout), "\"contact_email\":\"bob@example.com\"") != NULL);
	CHECK_INT(reconcile_run_contact(&r, x, NULL, cout, &err), 0);
	CHECK_INT(r.t.contacts, 2);
	CHECK_INT(r.t.contacts_unmapped, 2);
	CHECK_INT(reconcile_run_write(&r, out, &err), 0);
	reconcile_run_release(&r);
	json_decref(c);
	json_decref(x);
	fclose(in);
	fclose(out);
	fclose(cout);
}

static void
test_write_error(void)
{
	const char *path = unit_tmpfile("reconcilerun-ro.txt");
	struct reconcile_run r;
	struct j2w_err err;
	FILE *in = file_of(users), *ro;

	CHECK_INT(unit_write_file(path, "", 0), 0);
	ro = fopen(path, "r");	/* a stream that cannot be written */
	reconcile_run_init(&r);
	r.o.scheme = SCHEME_DIRECTORY_URI;
	CHECK_INT(reconcile_run_begin(&r, 0, &err), 0);
	CHECK_INT(reconcile_run_read(&r, in, "users.jsonl", &err), 0);
	CHECK_INT(ldapstream_finish(&r.stream, &err), 0);
	CHECK_INT(reconcile_run_write(&r, ro, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	CHECK(strncmp(err.msg, "cannot write output: ", 21) == 0);
	reconcile_run_release(&r);
	fclose(in);
	fclose(ro);
	remove(path);
}

static void
test_bulk_choice(void)
{
	struct reconcile_run r;
	struct j2w_err err;
	FILE *in;
	char *many = malloc(1100 * 40);
	size_t n = 0;
	int fds[2], wstatus;
	pid_t child;

	/* a template that cannot be read in bulk: one search per user, unless forced */
	reconcile_run_init(&r);
	CHECK_INT(reconcile_run_bulk_start(&r, "(mail=%u@example.com)", 0, &err), 0);
	CHECK(r.bulk == NULL);
	CHECK_INT(reconcile_run_bulk_start(&r, "(mail=%u@example.com)", 1, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	reconcile_run_release(&r);

	/* a small wave is searched user by user */
	reconcile_run_init(&r);
	CHECK_INT(reconcile_run_bulk_start(&r, "(uid=%u)", 0, &err), 1);
	in = file_of(users);
	CHECK_INT(reconcile_run_want(&r, &in, "users.jsonl", &err), 0);
	CHECK_INT(r.wave, 3);
	CHECK_INT(ftell(in), 0);	/* left where it started, to be read again */
	CHECK_INT(reconcile_run_bulk_wanted(&r), 0);
	CHECK(r.bulk == NULL);
	fclose(in);
	reconcile_run_release(&r);

	/* unless forced */
	reconcile_run_init(&r);
	CHECK_INT(reconcile_run_bulk_start(&r, "(uid=%u)", 1, &err), 1);
	in = file_of(users);
	CHECK_INT(reconcile_run_want(&r, &in, "users.jsonl", &err), 0);
	CHECK_INT(reconcile_run_bulk_wanted(&r), 1);
	fclose(in);
	reconcile_run_release(&r);

	/* a large wave, from a pipe, is read twice: copied first */
	for (int i = 0; i < LDAPBULK_MIN_USERS; i++)
		n += (size_t)snprintf(many + n, 1100 * 40 - n, "{\"userid\":\"u%d\"}\n", i);
	reconcile_run_init(&r);
	CHECK_INT(reconcile_run_bulk_start(&r, "(uid=%u)", 0, &err), 1);
	CHECK_INT(pipe(fds), 0);
	child = fork();
	if (child == 0) {
		close(fds[0]);
		_exit(write(fds[1], many, n) == (ssize_t)n ? 0 : 1);
	}
	close(fds[1]);
	in = fdopen(fds[0], "rb");
	CHECK_INT(reconcile_run_want(&r, &in, "-", &err), 0);
	CHECK_INT(waitpid(child, &wstatus, 0), child);
	CHECK(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	CHECK_INT(r.wave, LDAPBULK_MIN_USERS);
	CHECK_INT(reconcile_run_bulk_wanted(&r), 1);
	CHECK(r.bulk != NULL);
	CHECK_INT(ldapbulk_users(r.bulk), LDAPBULK_MIN_USERS);
	{
		char line[64];

		CHECK(fgets(line, sizeof(line), in) != NULL);
		CHECK_STR(line, "{\"userid\":\"u0\"}\n");
	}
	fclose(in);
	reconcile_run_release(&r);
	free(many);
}

UNIT_MAIN(TEST(test_two_passes_without_a_directory), TEST(test_csv_is_a_step_left_out),
    TEST(test_contacts_and_fail_on), TEST(test_write_error), TEST(test_bulk_choice))
