/* Progress bar: label, bar, count, rate; only ever on the caller's stream. */
#include <time.h>
#include <unistd.h>

#include "util/progress.h"

static double
progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
progress_init(struct progress *p, FILE *out, enum progress_mode mode,
    const char *label, uint64_t total)
{
	p->out = out;
	p->label = label;
	p->total = total;
	p->done = 0;
	p->started = progress_now();
	p->last_draw = 0;
	if (mode == PROGRESS_ALWAYS)
		p->enabled = 1;
	else if (mode == PROGRESS_NEVER)
		p->enabled = 0;
	else
		p->enabled = isatty(fileno(out));
}

void
progress_set_total(struct progress *p, uint64_t total)
{
	p->total = total;
}

static void
progress_draw(struct progress *p, double now)
{
	double elapsed = now - p->started;
	double rate = elapsed > 0 ? (double)p->done / elapsed : 0;

	if (p->total > 0) {
		double frac = (double)p->done / (double)p->total;
		int width = 30, fill;

		/* clamped before the cast: a double past INT_MAX does not convert */
		fill = frac >= 1 ? width : (int)((double)width * frac);
		fprintf(p->out, "\r%s [%.*s%*s] %llu/%llu %.0f/s ", p->label, fill,
		    "==============================", width - fill, "",
		    (unsigned long long)p->done, (unsigned long long)p->total, rate);
	} else {
		fprintf(p->out, "\r%s %llu %.0f/s ", p->label, (unsigned long long)p->done, rate);
	}
	fflush(p->out);
	p->last_draw = now;
}

void
progress_update(struct progress *p, uint64_t done)
{
	double now;

	p->done = done;
	if (!p->enabled)
		return;
	now = progress_now();
	if (now - p->last_draw >= 0.1)
		progress_draw(p, now);
}

void
progress_report(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;

	if (total > 0 && p->total != total)
		progress_set_total(p, total);
	progress_update(p, done);
}

void
progress_finish(struct progress *p)
{
	if (!p->enabled)
		return;
	progress_draw(p, progress_now());
	fputc('\n', p->out);
	fflush(p->out);
}
