/* libFuzzer target: source timestamps through chatsrc_time_utc, and a whole message through chatsrc_normalize. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chat/chatsrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1), out[32];
	struct chat_msg m = { 0 };
	struct chat_norm norm;
	struct j2w_err err;
	int repaired;

	if (s == NULL)
		return 0;
	memcpy(s, d, n);
	s[n] = '\0';
	if (chatsrc_time_utc(s, NULL, out, sizeof(out)) == 0 && strlen(out) != 24)
		abort();
	/* the same bytes as every field of a message */
	m.room_jid = m.msg_id = m.sent = m.from_jid = m.nick_jid = m.body_string = s;
	m.message_text = s;
	m.where = "fuzz";
	chatsrc_norm_init(&norm);
	chatsrc_normalize(&m, NULL, &norm, &repaired, &err);
	chatsrc_norm_release(&norm);
	free(s);
	return 0;
}
