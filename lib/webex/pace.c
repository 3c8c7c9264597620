/* Pacing: the rate learnt from 429s and the window of requests in flight. */
#include <math.h>
#include <string.h>

#include "webex/pace.h"

#define SLOT_LEN 0.1

void
pace_init(struct pace *p, double max_rate, int start, int ceiling, double now)
{
	memset(p, 0, sizeof(*p));
	p->ceiling = ceiling > 0 ? ceiling : 1;
	p->window = start > 0 ? start : 1;
	if (p->window > p->ceiling)
		p->window = p->ceiling;
	p->slow_start = 1;
	p->max_rate = max_rate > 0 ? max_rate : 0;
	p->rate = p->max_rate;
	p->paced_at = now;
	p->tat = now;
	p->cut_at = -1e9;
	p->raised_at = now;
	p->shrunk_at = now;
	p->min_epoch = now;
	p->full_at = p->held_at = -1e9;
	p->left = -1;
}

/* The slot that counts what happens at now, cleared when it is new. */
static struct pace_slot *
slot_at(struct pace *p, double now)
{
	double t0 = floor(now / SLOT_LEN) * SLOT_LEN;
	struct pace_slot *s = &p->slot[(long)floor(now / SLOT_LEN) % PACE_SLOTS];

	if (s->t0 != t0) {
		s->t0 = t0;
		s->accepted = s->refused = 0;
	}
	return s;
}

/*
 * Requests accepted and refused in about the last span seconds (span <= the
 * history kept): every slot that overlaps them. Returns the time those cover,
 * from the start of the oldest slot counted (or of the run) to now.
 */
static double
recent(const struct pace *p, double now, double span, double *accepted, double *refused)
{
	double from = now;

	*accepted = *refused = 0;
	for (int i = 0; i < PACE_SLOTS; i++) {
		const struct pace_slot *s = &p->slot[i];

		if (s->t0 + SLOT_LEN > now - span + 1e-9 && s->t0 <= now) {
			*accepted += (double)s->accepted;
			*refused += (double)s->refused;
			if (s->t0 < from)
				from = s->t0;
		}
	}
	if (from < p->start_at)
		from = p->start_at;
	return now - from;
}

double
pace_min_rtt(const struct pace *p)
{
	if (p->min_prev > 0 && (p->min_cur == 0 || p->min_prev < p->min_cur))
		return p->min_prev;
	return p->min_cur;
}

static void
clamp_window(struct pace *p)
{
	if (p->window > p->ceiling)
		p->window = p->ceiling;
	if (p->window < 1)
		p->window = 1;
}

int
pace_admit(struct pace *p, double now, size_t inflight, double *wake)
{
	*wake = 0;
	if ((double)inflight + 1 > p->window + 1e-9) {
		p->full_at = now;
		return 0;
	}
	if (p->rate > 0) {
		double t = 1.0 / p->rate;
		/* half a slot early (at most 50 ms), and the loop's own lateness */
		double tolerance = (t < 0.1 ? 0.5 * t : 0.05) + 0.002;

		if (p->tat < now)
			p->tat = now;	/* an idle pacer saves up no credit */
		if (p->tat - now > tolerance) {
			p->held_at = now;
			*wake = p->tat - tolerance;
			return 0;
		}
		p->tat += t;
	}
	if (!p->started) {
		p->started = 1;
		p->start_at = now;
	}
	return 1;
}

static void
note_rtt(struct pace *p, double rtt, double now)
{
	if (rtt < 0)
		rtt = 0;
	p->srtt = p->srtt == 0 ? rtt : p->srtt + (rtt - p->srtt) / 8.0;
	if (now - p->min_epoch > 10.0) {
		p->min_prev = p->min_cur;
		p->min_cur = 0;
		p->min_epoch = now;
	}
	if (p->min_cur == 0 || rtt < p->min_cur)
		p->min_cur = rtt > 0 ? rtt : 1e-6;
}

/* Raises the pace a step when it is what holds requests back and the server keeps up. */
static void
maybe_raise(struct pace *p, double now)
{
	double hold = 2 * p->srtt > 0.5 ? 2 * p->srtt : 0.5, factor;

	if (p->rate == 0 || (p->left >= 0 && p->left < 2.0 * p->rate) ||
	    now - p->held_at > 0.25 || now - p->cut_at < hold ||
	    now - p->raised_at < 0.25)
		return;
	if (p->max_rate > 0 && p->rate >= p->max_rate)
		return;
	if (p->limit == 0 || (!p->measured && p->rate < p->limit))
		factor = 1.15;		/* below a first guess, or none: find it (1.75x a second) */
	else if (!p->measured)
		factor = 1.05;		/* past a guess from the first refusal: 20% a second */
	else if (p->rate < 0.9 * p->limit)
		factor = 1.10;		/* far below what the server took: back up quickly */
	else if (p->rate < p->limit)
		factor = 1.005;		/* near a measured limit: 2% a second */
	else if (now - p->cut_at > 10.0)
		factor = 1.0025;	/* past it: it may have risen (1% a second) */
	else
		return;			/* past it, lately: a 429 would cost its user a Retry-After */
	p->rate *= factor;
	if (p->max_rate > 0 && p->rate > p->max_rate)
		p->rate = p->max_rate;
	p->raised_at = now;
}

/* A 429 to a request sent after the last cut: the pace is too fast. */
static void
cut(struct pace *p, double now)
{
	double span, accepted, refused, a, r, guess;
	int full, heavy;

	/*
	 * Paced, the last fifty answers (within a second) say what the server
	 * takes. The first refusal comes while the window still grows: only the
	 * last round trips say it.
	 */
	span = p->rate > 0 ? 50.0 / p->rate : 1.5 * p->srtt;
	if (p->rate > 0 && span < 0.3)
		span = 0.3;	/* fifty answers, or three slots: the pace may just have risen */
	if (span > 1.0)
		span = 1.0;
	if (span < 0.2)
		span = 0.2;	/* two slots at least */
	if (span > now - p->start_at)
		span = now - p->start_at;
	span = recent(p, now, span, &accepted, &refused);
	if (span < 0.2)
		span = 0.2;
	a = accepted / span;
	/* whether the pace held work back all along, so that the server saw all it allows */
	full = p->rate > 0 && now - p->held_at < 0.3 && now - p->paced_at >= span;
	/*
	 * Refused in good part: the server's bucket is empty, and what it took
	 * is near its rate. A refusal here and there says only that a bunch of
	 * requests outgrew a small burst.
	 */
	heavy = refused >= 0.2 * (accepted + refused);
	guess = heavy ? a : 0;
	if (p->rate == 0 && p->srtt > 0) {
		/*
		 * Unpaced, the window went out in bunches, a round trip apart: a
		 * bunch larger than the server's burst is refused in part even
		 * below its rate. What was offered (window over round trip) is
		 * the better guess then, spread evenly; but not above twice what
		 * was accepted, for a short round trip offers far more than any
		 * limit.
		 */
		double offered = p->window / p->srtt;

		r = 0.95 * (offered < a ? a : offered < 2 * a ? offered : 2 * a);
		if (offered >= a && offered < 2 * a)
			guess = offered;
	} else {
		r = 0.95 * a;
	}
	if (p->rate == 0 && r < 1.0)
		r = 1.0;
	if (p->rate > 0 && r > 0.95 * p->rate)
		r = 0.95 * p->rate;
	/* a second with next to nothing accepted is a refusal of all: halve, at most */
	if (p->rate > 0 && r < 0.5 * p->rate)
		r = 0.5 * p->rate;
	if (p->max_rate > 0 && r > p->max_rate)
		r = p->max_rate;
	if (p->rate == 0)
		p->paced_at = now;
	/* refused while paced: the server takes less than that pace */
	if (p->rate > 0 && a > p->rate)
		a = p->rate;
	p->rate = r > PACE_MIN_RATE ? r : PACE_MIN_RATE;
	/*
	 * A limit is measured only when the pace held work back for a second: a
	 * refusal while unpaced comes from bunched requests as much as from the
	 * rate, so it starts the pace but settles nothing.
	 */
	if (full && now - p->start_at >= 1.0) {
		/*
		 * A server that stalled a moment looks like a low limit: the
		 * limit comes down a tenth a cut at most, so the pace climbs
		 * back quickly if it was a stall, and a few cuts follow a limit
		 * that did come down.
		 */
		p->limit = p->measured && a < 0.9 * p->limit ? 0.9 * p->limit : a;
		p->measured = 1;
	} else if (!p->measured) {
		/*
		 * Unpaced, a guess: what went out, when the pace starts there;
		 * else what the server took while it refused a good part. A
		 * refusal here and there of a short round trip's bunches says
		 * little: no guess, and the pace goes on finding it.
		 */
		p->limit = guess;
	}
	p->slow_start = 0;
	if (p->srtt > 0 && p->window > p->rate * p->srtt * 1.5 + 2)
		p->window = p->rate * p->srtt * 1.5 + 2;
	clamp_window(p);
	/* the server's bucket is empty now: the next request waits a slot */
	if (p->tat < now + 1.0 / p->rate)
		p->tat = now + 1.0 / p->rate;
	p->cut_at = now;
	p->raised_at = now;
	p->cuts++;
}

int
pace_answer(struct pace *p, double sent, double now, enum pace_answer a)
{
	double min;

	if (a == PACE_FAILED)
		return 0;
	if (a == PACE_REFUSED) {
		slot_at(p, now)->refused++;
		if (sent < p->cut_at)
			return 0;	/* left before the last cut: old news */
		cut(p, now);
		/* the pace was cut and cut again, and still nothing is accepted */
		return ++p->refused_row >= 3;
	}
	p->refused_row = 0;
	slot_at(p, now)->accepted++;
	note_rtt(p, now - sent, now);
	min = pace_min_rtt(p);
	if (p->srtt > 2 * min + 0.01) {
		/* round trips grow: the server queues; at most one shrink a round trip */
		if (now - p->shrunk_at > p->srtt) {
			p->window *= 0.85;
			p->slow_start = 0;
			p->shrunk_at = now;
		}
	} else if (now - p->full_at <= p->srtt + 0.01) {
		/* the window held requests back within the last round trip: it may grow */
		p->window += p->slow_start ? 0.5 : 1.0 / p->window;
	}
	if (p->rate > 0) {
		/* paced, the pace decides: the window only has to carry it (Little's law) */
		double need = p->rate * p->srtt * 1.25 + 2;

		if (p->window < need)
			p->window = need;
	}
	clamp_window(p);
	maybe_raise(p, now);
	return 0;
}

void
pace_expect(struct pace *p, double n)
{
	p->left = n;
}

void
pace_hold(struct pace *p, double until)
{
	if (p->tat < until)
		p->tat = until;
}
