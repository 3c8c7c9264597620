/* Unit tests for progress: drawn only when asked, clamped, ended with a newline; the (done, total) callback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/progress.h"

static void
test_always_draws_and_clamps(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct progress p;

	progress_init(&p, fp, PROGRESS_ALWAYS, "users", 10);
	progress_update(&p, 5);
	progress_set_total(&p, 1);
	progress_update(&p, UINT64_MAX);	/* far past the total: a full bar, no overflow */
	progress_finish(&p);
	fclose(fp);
	CHECK(strncmp(out, "\rusers [===============               ] 5/10 ", 43) == 0);
	CHECK(strstr(out, "\rusers [==============================] 18446744073709551615/1 ") != NULL);
	CHECK(len > 0 && out[len - 1] == '\n');
	free(out);
}

static void
test_unknown_total(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct progress p;

	progress_init(&p, fp, PROGRESS_ALWAYS, "rows", 0);
	progress_update(&p, 42);
	progress_finish(&p);
	fclose(fp);
	CHECK(strncmp(out, "\rrows 42 ", 9) == 0);
	free(out);
}

static void
test_never_and_auto_off_a_terminal(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct progress p;

	progress_init(&p, fp, PROGRESS_NEVER, "x", 10);
	progress_update(&p, 3);
	progress_finish(&p);
	CHECK_INT(p.done, 3);
	progress_init(&p, fp, PROGRESS_AUTO, "x", 10);	/* a memory stream is no terminal */
	progress_update(&p, 4);
	progress_finish(&p);
	fclose(fp);
	CHECK_INT(len, 0);
	free(out);
}

static void
test_report_callback(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct progress p;

	progress_init(&p, fp, PROGRESS_ALWAYS, "bytes", 0);
	/* no total yet: the count alone; then the total the callee learnt */
	progress_report(&p, 3, 0);
	CHECK_INT(p.total, 0);
	CHECK_INT(p.done, 3);
	progress_report(&p, 5, 10);
	CHECK_INT(p.total, 10);
	CHECK_INT(p.done, 5);
	progress_report(&p, 6, 0);	/* 0 keeps the total known */
	CHECK_INT(p.total, 10);
	progress_finish(&p);
	fclose(fp);
	CHECK(strncmp(out, "\rbytes 3 ", 9) == 0);
	CHECK(strstr(out, "\rbytes [==================            ] 6/10 ") != NULL);
	free(out);
}

UNIT_MAIN(TEST(test_always_draws_and_clamps), TEST(test_unknown_total),
    TEST(test_never_and_auto_off_a_terminal), TEST(test_report_callback))
