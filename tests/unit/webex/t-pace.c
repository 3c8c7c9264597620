/*
 * Unit tests for pacing: the pacer against a simulated token-bucket server in
 * virtual time (no sockets, no sleeping), as the issue's trials measured it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "webex/pace.h"

struct scenario {
	const char *name;
	double limit, burst;	/* the server's token bucket; limit 0: none */
	double rtt;		/* round trip, seconds */
	double retry_after;	/* seconds, on a 429 */
	double max_rate;	/* the client's --max-rate */
	int start, ceiling;	/* the client's window */
	int users, steps;	/* requests a user makes, one after the other */
};

struct result {
	unsigned long requests, refused;
	double seconds;		/* from the first request to the last answer */
	double share;		/* accepted requests a second over the limit */
	double max_window;
};

struct flight {
	int user;
	double sent, arrive;
	int accepted;
};

#define MAX_USERS 4096

static void
simulate(const struct scenario *s, struct result *r)
{
	static double ready_at[MAX_USERS];	/* when the user's next request may go; <0: done */
	static int step[MAX_USERS], busy[MAX_USERS];
	struct flight *fl = calloc(4096, sizeof(*fl));
	size_t nfl = 0;
	struct pace p;
	double now = 100.0, bucket = s->burst, bucket_at = now, pause_until = 0, last = now;
	int done = 0, active = 0, next_user = 0, window_users = 256;
	/* PACE_TRACE=S prints what happened every S seconds of virtual time */
	double trace = getenv("PACE_TRACE") != NULL ? strtod(getenv("PACE_TRACE"), NULL) : 0;
	double trace_at = now;
	unsigned long t_acc = 0, t_ref = 0;

	memset(r, 0, sizeof(*r));
	memset(step, 0, sizeof(step));
	memset(busy, 0, sizeof(busy));
	pace_init(&p, s->max_rate, s->start, s->ceiling, now);
	while (done < s->users) {
		double next = 1e18, wake = 0;

		/* answers that have come */
		for (size_t i = 0; i < nfl; ) {
			struct flight f = fl[i];

			if (f.arrive > now) {
				i++;
				continue;
			}
			fl[i] = fl[--nfl];
			busy[f.user] = 0;
			last = f.arrive;
			if (f.accepted)
				t_acc++;
			else
				t_ref++;
			if (f.accepted) {
				pace_answer(&p, f.sent, f.arrive, PACE_ACCEPTED);
				if (++step[f.user] == s->steps) {
					ready_at[f.user] = -1;
					done++;
					active--;
				} else {
					ready_at[f.user] = f.arrive;
				}
			} else {
				r->refused++;
				if (pace_answer(&p, f.sent, f.arrive, PACE_REFUSED)) {
					pause_until = f.arrive + s->retry_after;
					pace_hold(&p, pause_until);
				}
				ready_at[f.user] = f.arrive + s->retry_after;
			}
		}
		while (active < window_users && next_user < s->users) {
			ready_at[next_user++] = now;
			active++;
		}
		/* as the engine does once its source runs dry */
		if (next_user == s->users)
			pace_expect(&p, (double)((s->users - done) * s->steps));
		/* what may leave now, oldest user first */
		for (int u = 0; u < next_user && now >= pause_until; u++) {
			double w;

			if (ready_at[u] < 0 || busy[u] || ready_at[u] > now)
				continue;
			if (!pace_admit(&p, now, nfl, &w)) {
				wake = w;
				break;
			}
			if (s->limit > 0) {
				double at = now + s->rtt / 2;

				bucket += (at - bucket_at) * s->limit;
				if (bucket > s->burst)
					bucket = s->burst;
				bucket_at = at;
			}
			fl[nfl].user = u;
			fl[nfl].sent = now;
			fl[nfl].arrive = now + s->rtt;
			fl[nfl].accepted = s->limit == 0 || bucket >= 1.0;
			if (s->limit > 0 && fl[nfl].accepted)
				bucket -= 1.0;
			nfl++;
			busy[u] = 1;
			r->requests++;
			if (p.window > r->max_window)
				r->max_window = p.window;
		}
		for (size_t i = 0; i < nfl; i++)
			if (fl[i].arrive < next)
				next = fl[i].arrive;
		if (wake > now && wake + 0.0005 < next)
			next = wake + 0.0005;	/* the event loop wakes a little late */
		if (pause_until > now && pause_until < next)
			next = pause_until;
		for (int u = 0; u < next_user; u++)
			if (ready_at[u] > now && !busy[u] && ready_at[u] < next)
				next = ready_at[u];
		if (next >= 1e18)
			break;
		if (trace > 0 && next >= trace_at + trace) {
			printf("#   t=%5.1f accepted %3lu refused %2lu rate %6.1f limit %6.1f window %5.1f "
			    "srtt %.3f cuts %lu\n", trace_at - 100.0, t_acc, t_ref, p.rate, p.limit,
			    p.window, p.srtt, p.cuts);
			trace_at += trace;
			t_acc = t_ref = 0;
		}
		now = next;
	}
	free(fl);
	r->seconds = last - 100.0;
	if (s->limit > 0 && r->seconds > 0)
		r->share = (double)(r->requests - r->refused) / r->seconds / s->limit;
	printf("# %s: %lu requests, %lu refused (%.1f%%), %.1f s, %.0f%% of the limit, "
	    "window up to %.0f\n", s->name, r->requests, r->refused,
	    100.0 * (double)r->refused / (double)r->requests, r->seconds, 100 * r->share,
	    r->max_window);
}

static void
test_the_issues_429_storm(void)
{
	/* 10 requests/s, a bucket of 2, 32 in flight: 46 of 150 users failed before */
	struct scenario s = { "10/s, burst 2, -n 32", 10, 2, 0.002, 1, 0, 8, 32, 150, 2 };
	struct result r;

	simulate(&s, &r);
	CHECK(r.refused * 20 < r.requests);
	CHECK(r.share >= 0.85);
}

static void
test_default_window_small_burst(void)
{
	struct scenario s = { "10/s, burst 2, default", 10, 2, 0.002, 1, 0, 8, 128, 300, 2 };
	struct result r;

	simulate(&s, &r);
	CHECK(r.refused * 20 < r.requests);
	CHECK(r.share >= 0.9);
}

/*
 * users at 200/s with a burst of 20, at the round trips of the benchmark: 429s
 * under 5% and at least min_share of the limit. The window reaches what 200/s
 * x round trip needs in flight: 4, 12, 30.
 */
static void
at_each_round_trip(int users, double min_share)
{
	static const double rtts[] = { 0.02, 0.06, 0.15 };

	for (size_t i = 0; i < sizeof(rtts) / sizeof(rtts[0]); i++) {
		struct scenario s = { "", 200, 20, rtts[i], 1, 0, 8, 128, users, 2 };
		struct result r;
		char name[64];

		snprintf(name, sizeof(name), "%d users, 200/s, burst 20, %.0f ms", users,
		    rtts[i] * 1000);
		s.name = name;
		simulate(&s, &r);
		CHECK(r.refused * 20 < r.requests);
		CHECK(r.share >= min_share);
		CHECK(r.max_window >= 200 * rtts[i]);
	}
}

static void
test_the_window_follows_rate_times_round_trip(void)
{
	at_each_round_trip(2000, 0.9);
}

/* the benchmark's small wave: the first seconds, while the limit is found, are much of it */
static void
test_a_small_wave_finds_the_limit_quickly(void)
{
	at_each_round_trip(1000, 0.93);
}

static void
test_max_rate_under_the_limit_is_never_refused(void)
{
	struct scenario s = { "--max-rate 40 under 50/s", 50, 50, 0.01, 1, 40, 8, 128, 400, 2 };
	struct result r;

	simulate(&s, &r);
	CHECK_INT(r.refused, 0);
	CHECK(r.share >= 0.75);		/* 40 of 50 */
}

static void
test_no_limit_grows_to_the_ceiling(void)
{
	struct scenario s = { "no limit, 20 ms", 0, 0, 0.02, 1, 0, 8, 64, 2000, 2 };
	struct result r;

	simulate(&s, &r);
	CHECK_INT(r.refused, 0);
	CHECK(r.max_window >= 64);
	/* 4,000 requests at 64 per 20 ms is 1.25 s; with the ramp, under 2 s */
	CHECK(r.seconds < 2.0);
}

static void
test_a_ceiling_is_kept(void)
{
	struct scenario s = { "no limit, -n 4", 0, 0, 0.02, 1, 0, 8, 4, 200, 2 };
	struct result r;

	simulate(&s, &r);
	CHECK(r.max_window <= 4);
}

static void
test_a_first_refusal_paces_at_what_went_out(void)
{
	struct pace p;
	double w;

	/* thirty requests leave together; twenty come back accepted, ten refused */
	pace_init(&p, 0, 30, 128, 0.0);
	for (int i = 0; i < 30; i++)
		CHECK(pace_admit(&p, 0.0, (size_t)i, &w));
	for (int i = 0; i < 20; i++)
		pace_answer(&p, 0.0, 0.15, PACE_ACCEPTED);
	for (int i = 0; i < 10; i++)
		pace_answer(&p, 0.0, 0.15, PACE_REFUSED);
	CHECK_INT(p.cuts, 1);
	/*
	 * What came back is 100/s over the two slots counted; what went out, a
	 * bunch a round trip, was more: the pace starts near that, evenly spread
	 * (twice what came back at most), rather than at half the server's rate.
	 */
	CHECK(p.rate > 150 && p.rate <= 190);
}

/* a pace far below a measured limit, held back a moment ago: it would be raised */
static void
paced_below_the_limit(struct pace *p)
{
	pace_init(p, 0, 8, 128, 0.0);
	p->rate = 100;
	p->limit = 200;
	p->measured = 1;
	p->srtt = 0.05;
	p->cut_at = p->raised_at = -100;
	p->held_at = 10.0;
}

static void
test_the_last_requests_raise_nothing(void)
{
	struct pace p;

	paced_below_the_limit(&p);
	pace_answer(&p, 9.95, 10.0, PACE_ACCEPTED);
	CHECK(p.rate > 100);
	/* 150 requests left is under two seconds at 100/s: a 429 now would end the run late */
	paced_below_the_limit(&p);
	pace_expect(&p, 150);
	pace_answer(&p, 9.95, 10.0, PACE_ACCEPTED);
	CHECK(p.rate == 100);
	/* 250 left is not */
	paced_below_the_limit(&p);
	pace_expect(&p, 250);
	pace_answer(&p, 9.95, 10.0, PACE_ACCEPTED);
	CHECK(p.rate > 100);
}

static void
test_old_news_cuts_nothing(void)
{
	struct pace p;
	double w, t;

	pace_init(&p, 0, 8, 8, 10.0);
	for (int i = 0; i < 8; i++)
		CHECK(pace_admit(&p, 10.0, (size_t)i, &w));
	CHECK(!pace_admit(&p, 10.0, 8, &w));
	/* eight refusals of requests that left together: one cut */
	for (int i = 0; i < 8; i++)
		CHECK(!pace_answer(&p, 10.0, 10.01, PACE_REFUSED));
	CHECK(p.rate > 0);
	CHECK_INT(p.cuts, 1);
	/* after a cut the server's bucket is empty: the next request waits a slot */
	CHECK(!pace_admit(&p, 10.02, 0, &w));
	CHECK(w > 10.5);
	/* refusals of requests sent after each cut, nothing accepted: everyone waits */
	t = p.tat;
	CHECK(pace_admit(&p, t, 0, &w));
	CHECK(!pace_answer(&p, t, t + 0.01, PACE_REFUSED));
	CHECK(p.rate >= 0.5 * 1.0);	/* halved at most */
	t = p.tat;
	CHECK(pace_admit(&p, t, 0, &w));
	CHECK(pace_answer(&p, t, t + 0.01, PACE_REFUSED));
	CHECK_INT(p.cuts, 3);
	pace_hold(&p, t + 10);
	CHECK(!pace_admit(&p, t + 5, 0, &w));
	CHECK(w > t + 9.9);
	/* an accepted answer ends the row */
	CHECK(!pace_answer(&p, t, t + 0.02, PACE_ACCEPTED));
	CHECK(!pace_answer(&p, t + 0.1, t + 0.2, PACE_REFUSED));
	CHECK_INT(p.refused_row, 1);
	/* failures say nothing about the rate */
	CHECK(!pace_answer(&p, t + 0.3, t + 0.4, PACE_FAILED));
	CHECK_INT(p.cuts, 4);
	CHECK_INT(p.refused_row, 1);
}

UNIT_MAIN(TEST(test_the_issues_429_storm), TEST(test_default_window_small_burst),
    TEST(test_the_window_follows_rate_times_round_trip),
    TEST(test_a_small_wave_finds_the_limit_quickly),
    TEST(test_max_rate_under_the_limit_is_never_refused),
    TEST(test_no_limit_grows_to_the_ceiling), TEST(test_a_ceiling_is_kept),
    TEST(test_a_first_refusal_paces_at_what_went_out), TEST(test_the_last_requests_raise_nothing),
    TEST(test_old_news_cuts_nothing))
