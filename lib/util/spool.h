/* Inputs read twice: a pipe or terminal copied to a temporary file first. */
#ifndef J2W_SPOOL_H
#define J2W_SPOOL_H

#include <stdio.h>

#include "util/j2w_err.h"

/*
 * Makes *fp readable twice from where it stands: a seekable file is left as
 * it is; anything else (a pipe, a terminal) is copied to the end into a
 * temporary file, which replaces *fp (the original is closed unless it is
 * stdin) positioned at its start. name is for messages. Returns 0, or -1 with
 * err (J2W_ESYS), *fp unchanged.
 */
int spool_rereadable(FILE **fp, const char *name, struct j2w_err *err);

#endif
