/* Bounded number parsing that rejects junk, signs where not wanted and overflow. */
#ifndef J2W_NUM_H
#define J2W_NUM_H

#include <stdint.h>

/*
 * Parses all of s as a base-10 integer in [min, max] into *out.
 * Returns 0, or -1 (errno EINVAL for junk or empty, ERANGE for out of range).
 */
int num_parse_long(const char *s, long min, long max, long *out);

/*
 * As num_parse_long for a decimal double in [min, max] ("1.5", "2", "1e3");
 * "inf", "nan" and hexadecimal are junk (EINVAL).
 */
int num_parse_double(const char *s, double min, double max, double *out);

/*
 * Parses a duration in seconds into whole milliseconds in [min_ms, max_ms]:
 * "0.5" and "2" are seconds, and a unit may follow: "2s", "500ms". Rounded to
 * the nearest millisecond. Returns 0, or -1 (errno EINVAL for junk, a sign or
 * another unit, ERANGE for out of range).
 */
int num_parse_duration_ms(const char *s, long min_ms, long max_ms, long *out);

/*
 * Parses a size in bytes into *out in [min, max]: a decimal number as
 * num_parse_double reads it ("100", "1.5", "1e6"), then at most one unit, K or
 * M in either case (1000 and 1000000 bytes); a fraction of a byte is dropped.
 * Returns 0, or -1 with errno EINVAL when s does not start with a number at
 * all, ERANGE when it does but is not such a size (out of range, another unit,
 * something after it): a message can then show what a size looks like in the
 * first case and its range in the second.
 */
int num_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
