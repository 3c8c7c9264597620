/* Opening inputs: "-" is stdin, a directory is refused, a pipe is spooled to be read twice. */
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

/*
 * Opens input path for reading ("-": stdin). One that cannot be opened, a
 * directory among them, is J2W_EUSAGE ("cannot open 'PATH': ..."): SPEC exits 2
 * for it in every command. With rereadable, a pipe or terminal is spooled
 * (spool_rereadable). Returns the stream (close it with spool_close_input), or
 * NULL with err.
 */
FILE *spool_open_input(const char *path, int rereadable, struct j2w_err *err);
/* Closes an input of spool_open_input (stdin stays open). */
void spool_close_input(FILE *fp);

#endif
