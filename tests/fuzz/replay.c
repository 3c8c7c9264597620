/*
 * Runs a fuzz target's LLVMFuzzerTestOneInput over files and folders (its seed
 * corpus) without libFuzzer, built with the project's own compiler and flags:
 * make check replays every corpus, so that a target cannot fall out of step
 * with the library it tests, and the sanitized build checks each seed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feeds the file at path to the target; 0, or -1 when it cannot be read. */
static int
replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (fp == NULL) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *more = realloc(buf, cap = cap ? cap * 2 : 65536);

			if (more == NULL) {
				free(buf);
				fclose(fp);
				return -1;
			}
			buf = more;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long inputs = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i]) < 0)
				return 1;
			inputs++;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((e = readdir(d)) != NULL) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			if (replay_file(path) < 0) {
				closedir(d);
				return 1;
			}
			inputs++;
		}
		closedir(d);
	}
	printf("%s: %lu inputs\n", argv[0], inputs);
	return 0;
}
