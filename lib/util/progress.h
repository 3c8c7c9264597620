/* A progress bar for long work, drawn on a stream the command chooses (stderr). */
#ifndef J2W_PROGRESS_H
#define J2W_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

enum progress_mode { PROGRESS_AUTO, PROGRESS_ALWAYS, PROGRESS_NEVER };

struct progress {
	FILE *out;
	int enabled;
	const char *label;	/* not owned */
	uint64_t total;		/* 0: unknown */
	uint64_t done;
	double started;
	double last_draw;
};

/* AUTO draws only when out is a terminal (--progress forces, --quiet silences). */
void progress_init(struct progress *p, FILE *out, enum progress_mode mode,
    const char *label, uint64_t total);
/* Sets how much is done; redraws at most ten times a second. */
void progress_update(struct progress *p, uint64_t done);
void progress_set_total(struct progress *p, uint64_t total);
/*
 * The callback for a library call that reports (done, total) as it goes: ctx
 * is the struct progress; a total given (not 0) becomes the bar's, then done
 * is shown as progress_update shows it.
 */
void progress_report(void *ctx, uint64_t done, uint64_t total);
/* Draws the final state and ends the line. */
void progress_finish(struct progress *p);

#endif
