/* A spaces rollback: DELETE /rooms for each space the journal created, a window at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spaces/spacerun_int.h"

static void
on_deleted(struct webex_req *req, void *ctx)
{
	struct spaces_room *r = ctx;
	struct spaces_run *run = r->run;
	struct j2w_err e;

	r->inflight--;
	r->http_status = req->status;
	snprintf(r->tracking_id, sizeof(r->tracking_id), "%s", req->tracking_id);
	if (req->status == 204 || req->status == 200) {
		r->rb_state = "deleted";
		run->n.deleted++;
	} else if (req->status == 404) {
		r->rb_state = "gone";	/* deleted already, by someone or an earlier rollback */
		run->n.gone++;
	} else if (spaceclient_stops(run, req, "deleting a space (DELETE /rooms)", 1)) {
		r->rb_state = NULL;
		run->n.stopped++;
		snprintf(r->error, sizeof(r->error), "not done: %.490s", run->stop_reason);
		if (run->emit != NULL)
			run->emit(run, r, run->emit_ctx);
		run->active--;
		return;
	} else {
		r->rb_state = "failed";
		snprintf(r->error, sizeof(r->error), "%s", req->error);
		run->n.failed++;
	}
	if (spacej_room_rollback(run->journal, r->room_jid, r->rb_state, req->status,
	    req->tracking_id, strcmp(r->rb_state, "failed") == 0 ? r->error : NULL, &e) < 0)
		spacerun_fatal(run, &e);
	if (run->emit != NULL)
		run->emit(run, r, run->emit_ctx);
	run->active--;
}

int
spacerollback_rooms(struct spaces_run *run, struct j2w_err *err)
{
	size_t next = 0, window = run->window > 0 ? run->window * 4 : 32;

	/* the history pages a killed commit left go with its spaces */
	if (run->commit && spacepages_open(run, err) < 0)
		return -1;
	for (;;) {
		while (next < run->nrooms && run->active < window && !spaceclient_stopping(run)) {
			struct spaces_room *r = run->rooms[next++];
			char *url;
			struct webex_req *req;

			if (!r->ours || r->space_id == NULL || (r->rb_state != NULL &&
			    strcmp(r->rb_state, "failed") != 0))
				continue;
			if (!run->commit) {
				r->rb_state = "planned";
				if (run->emit != NULL)
					run->emit(run, r, run->emit_ctx);
				continue;
			}
			url = webex_url_seg(run->client, "/rooms/", r->space_id, "");
			req = url != NULL ? webex_req_new("DELETE", url, NULL, on_deleted, r) : NULL;
			free(url);
			if (req == NULL)
				return err_set(err, J2W_ESYS, "out of memory");
			run->active++;
			r->inflight++;
			webex_submit(run->client, req);
		}
		if (run->active == 0 && (next == run->nrooms || spaceclient_stopping(run)))
			break;
		if (webex_step(run->client, 200, err) < 0)
			return -1;
	}
	if (run->fatal) {
		*err = run->fatal_err;
		return -1;
	}
	return 0;
}
