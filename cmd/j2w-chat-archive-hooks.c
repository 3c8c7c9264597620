/* j2w-chat-archive: the test hooks of import, kept out of the command's own file. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#include "chat/chatdb.h"
#include "chat/chatimport.h"
#include "cmdutil.h"

void chat_test_hooks(struct chatdb *db, struct chatimport *imp);

/*
 * Test hooks (tests/t6*): J2W_TEST_CHAT_BATCH sets the messages per transaction
 * and J2W_TEST_CHAT_KILL_AFTER kills the process (SIGKILL, as a crash or an
 * operator would) once that many messages are stored, to prove that an import
 * resumes; J2W_TEST_CHAT_KILL_BEFORE_INDEX kills it when a first import has
 * loaded its messages and not yet built their indexes.
 */
static unsigned long test_kill_after;

static void
test_stored(void *ctx, uint64_t n)
{
	if (n > test_kill_after)
		raise(SIGKILL);
}

static void
test_indexing(void *ctx)
{
	raise(SIGKILL);
}

void
chat_test_hooks(struct chatdb *db, struct chatimport *imp)
{
	const char *batch = getenv("J2W_TEST_CHAT_BATCH"), *kill_after = getenv("J2W_TEST_CHAT_KILL_AFTER");

	if (getenv("J2W_TEST_CHAT_KILL_BEFORE_INDEX") != NULL)
		imp->indexing = test_indexing;

	if (batch != NULL)
		chatdb_set_batch(db, (unsigned long)cmd_number("J2W_TEST_CHAT_BATCH", batch, 1, 10000000));
	if (kill_after != NULL) {
		test_kill_after = (unsigned long)cmd_number("J2W_TEST_CHAT_KILL_AFTER", kill_after, 0,
		    100000000);
		imp->stored = test_stored;
	}
}
