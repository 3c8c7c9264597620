/* The items of a journal's run (--resume, --rollback), read in batches for apply_execute. */
#include <stdio.h>
#include <string.h>

#include "webex/apply.h"
#include "webex/behavior.h"

void
apply_journal_source_init(struct apply_journal_source *s, struct journal *j,
    enum journal_todo todo)
{
	memset(s, 0, sizeof(*s));
	s->journal = j;
	s->todo = todo;
}

void
apply_journal_source_release(struct apply_journal_source *s)
{
	for (int i = s->pos; i < s->nrows; i++)
		journal_row_release(&s->rows[i]);
	s->nrows = s->pos = 0;
}

static int
behavior_from_text(const char *s, enum behavior *b)
{
	if (s == NULL || strcmp(s, "default") == 0) {
		*b = BEHAVIOR_DEFAULT;
		return 0;
	}
	return behavior_parse(s, b);
}

int
apply_journal_next(struct apply_item **out, void *ctx, struct j2w_err *err)
{
	struct apply_journal_source *s = ctx;
	struct journal_row *r;
	struct apply_item *it;

	if (s->pos == s->nrows) {
		int n;

		s->pos = s->nrows = 0;
		n = journal_next_rows(s->journal, s->todo, s->last_seq, s->rows,
		    (int)(sizeof(s->rows) / sizeof(s->rows[0])), err);
		if (n <= 0)
			return n;
		s->nrows = n;
	}
	r = &s->rows[s->pos++];
	s->last_seq = r->seq;
	it = apply_item_new(r->seq, r->email, r->source);
	if (it == NULL) {
		journal_row_release(r);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	if (behavior_from_text(r->desired_behavior, &it->want) < 0) {
		it->result = "failed";
		snprintf(it->error, sizeof(it->error), "journal holds an unknown behaviour '%.100s'",
		    r->desired_behavior);
	}
	it->want_profile = r->desired_profile;
	it->want_profile_id = r->desired_profile_id;
	it->person_id = r->person_id;
	r->desired_profile = r->desired_profile_id = r->person_id = NULL;
	if (r->before_known) {
		if (behavior_from_text(r->before_behavior, &it->before.behavior) < 0) {
			it->result = "failed";
			snprintf(it->error, sizeof(it->error),
			    "journal holds an unknown behaviour '%.100s'", r->before_behavior);
		}
		it->before.known = 1;
		it->before.profile_id = r->before_profile_id;
		r->before_profile_id = NULL;
	}
	journal_row_release(r);
	*out = it;
	return 1;
}
