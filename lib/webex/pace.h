/*
 * Pacing for the Webex client: when the next request may leave and how many may
 * be in flight, learnt from the answers. Pure arithmetic over times the caller
 * passes in (seconds on a monotonic clock), so that a test can drive it against
 * a simulated server in virtual time.
 *
 * The rate: unpaced until the server first refuses (429) or --max-rate is
 * given; then paced (GCRA, a burst of at most two). The first refusal paces at
 * what the window offered (window over round trip, at most twice what was
 * accepted); later ones at 95% of the rate the server accepted lately (the last
 * fifty answers, within a second). The pace is raised step by step while the
 * server keeps accepting: quickly below a guess from the first refusal and far
 * below a measured limit, by 20% a second past the guess, by 2% a second near a
 * limit measured while the pace held work back, and past that limit only after
 * ten seconds without a refusal, by 1% a second; not at all once the caller's
 * last requests are under two seconds (pace_expect). Answers to requests sent before
 * a cut are old news and cut nothing; after a cut the next request waits a slot.
 *
 * The window (requests in flight): starts at the given start, grows while
 * round trips stay flat and the window is what holds requests back (by half a
 * request per accepted answer, half as large again each round trip, until the
 * first sign of a limit; then by one each round trip; doubling would send the
 * first refused bunch twice as large), shrinks when round trips grow, and once paced
 * is at least rate x round trip with headroom. Never above the ceiling.
 */
#ifndef J2W_PACE_H
#define J2W_PACE_H

#include <stddef.h>

#define PACE_SLOTS 20		/* 0.1 s slots of recent history: two seconds */
#define PACE_MIN_RATE 0.2	/* never slower than one request in five seconds */

enum pace_answer {
	PACE_ACCEPTED,		/* any answer but 429: the server took it */
	PACE_REFUSED,		/* 429: too fast */
	PACE_FAILED		/* 5xx, no answer: says nothing about the rate */
};

struct pace_slot {
	double t0;
	unsigned long accepted, refused;
};

struct pace {
	double max_rate;	/* never faster; 0: no cap */
	int ceiling;		/* never more in flight */
	double rate;		/* requests per second now; 0: unpaced */
	double limit;		/* the server's rate as last measured or guessed; 0: no idea */
	int measured;		/* limit was measured while the pace held work back */
	double window;		/* requests in flight allowed now */
	int slow_start;		/* the window doubles each round trip */
	double tat;		/* GCRA: when the next request is due */
	int started;
	double start_at;	/* the first request */
	double cut_at;		/* the last cut of the rate */
	double paced_at;	/* when pacing began */
	double raised_at;	/* the last raise */
	double shrunk_at;	/* the last shrink of the window for growing round trips */
	double srtt;		/* smoothed round trip */
	double min_prev, min_cur, min_epoch;	/* the least round trip, in two 10 s epochs */
	double full_at;		/* the last time a request waited for the window */
	double held_at;		/* the last time a request waited for the pace */
	int refused_row;	/* cuts with no accepted answer between */
	double left;		/* requests the caller still expects; <0: no idea */
	unsigned long cuts;
	struct pace_slot slot[PACE_SLOTS];
};

/*
 * Sets p up: max_rate (0: none), the window's start and ceiling (at least 1),
 * now the current time.
 */
void pace_init(struct pace *p, double max_rate, int start, int ceiling, double now);

/*
 * Whether one more request may leave now, with inflight already out. 1: yes,
 * and its slot is taken; 0: no, and *wake is when to ask again (0: when an
 * answer comes).
 */
int pace_admit(struct pace *p, double now, size_t inflight, double *wake);

/*
 * An answer to a request that left at sent came at now. Returns 1 when 429s
 * to requests sent after a cut keep coming with nothing accepted between
 * (three cuts in a row): the server refuses everything, and everyone should
 * wait out the Retry-After, not only this request.
 */
int pace_answer(struct pace *p, double sent, double now, enum pace_answer a);

/*
 * About n more requests are to come (the caller's last work). Once they are
 * under two seconds at the pace, the pace is raised no further: a raise would
 * gain a fraction of a second, and the 429 it may bring costs its user a
 * Retry-After at the very end of the run. Cuts still follow 429s.
 */
void pace_expect(struct pace *p, double n);

/* Nothing leaves before until (everyone waits out a Retry-After). */
void pace_hold(struct pace *p, double until);

/* The least round trip seen lately (0: none yet). */
double pace_min_rtt(const struct pace *p);

#endif
