/* One HTML escaper, so that there is one place to audit. */
#include <string.h>

#include "util/html.h"
#include "util/utf8.h"

#define HTML_REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

int
html_escape(FILE *fp, const char *s)
{
	size_t len = s != NULL ? strlen(s) : 0;

	while (len > 0) {
		size_t ok = utf8_invalid_at(s, len);

		for (size_t i = 0; i < ok; i++) {
			unsigned char c = (unsigned char)s[i];

			switch (c) {
			case '&': fputs("&amp;", fp); break;
			case '<': fputs("&lt;", fp); break;
			case '>': fputs("&gt;", fp); break;
			case '"': fputs("&quot;", fp); break;
			case '\'': fputs("&#39;", fp); break;
			default:
				if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
					fputs(HTML_REPLACEMENT, fp);
				else
					putc(c, fp);
			}
		}
		if (ok == len)
			break;
		fputs(HTML_REPLACEMENT, fp);
		s += ok + 1;
		len -= ok + 1;
	}
	return ferror(fp) ? -1 : 0;
}
