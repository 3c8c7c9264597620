/* The archive's content digests: per room and for the whole archive (SHA-256). */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "chat/chatdb_int.h"
#include "chat/chatdigest.h"

/* A room's digest takes each message digest followed by a newline. */
int
chatdigest_rooms(struct chatdb *c, const char *sql,
    int (*cb)(void *ctx, const char *room, const char *digest, uint64_t n), void *ctx,
    struct j2w_err *err)
{
	static const char hex[] = "0123456789abcdef";
	sqlite3_stmt *st;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *room = NULL;
	uint64_t n = 0;
	int rc, ret = 0;

	if (md == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		EVP_MD_CTX_free(md);
		return chatdb_fail(c, err, "cannot read digests");
	}
	for (;;) {
		const char *r = NULL, *d;

		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			r = chatdb_col_text(st, 0);
		if (room != NULL && (r == NULL || strcmp(r, room) != 0)) {
			unsigned char out[EVP_MAX_MD_SIZE];
			unsigned int len = 0;
			char dig[65];

			EVP_DigestFinal_ex(md, out, &len);
			for (unsigned int i = 0; i < 32 && i < len; i++) {
				dig[2 * i] = hex[out[i] >> 4];
				dig[2 * i + 1] = hex[out[i] & 15];
			}
			dig[64] = '\0';
			ret = cb(ctx, room, dig, n);
			free(room);
			room = NULL;
			if (ret < 0)
				break;
		}
		if (rc != SQLITE_ROW)
			break;
		if (room == NULL) {
			room = strdup(r);
			if (room == NULL) {
				ret = err_set(err, J2W_ESYS, "out of memory");
				break;
			}
			EVP_DigestInit_ex(md, EVP_sha256(), NULL);
			n = 0;
		}
		d = chatdb_col_text(st, 1);
		EVP_DigestUpdate(md, d, strlen(d));
		EVP_DigestUpdate(md, "\n", 1);
		n++;
	}
	if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = chatdb_fail(c, err, "cannot read digests");
	free(room);
	sqlite3_finalize(st);
	EVP_MD_CTX_free(md);
	return ret;
}

/* The archive digest in the making, and the statement that keeps each room's. */
struct archive_digest {
	EVP_MD_CTX *md;
	uint64_t messages;
	sqlite3_stmt *keep;	/* INSERT INTO manifest_rooms, or NULL */
	int failed;
};

static int
archive_digest_room(void *ctx, const char *room, const char *digest, uint64_t n)
{
	struct archive_digest *ad = ctx;

	EVP_DigestUpdate(ad->md, room, strlen(room));
	EVP_DigestUpdate(ad->md, "\t", 1);
	EVP_DigestUpdate(ad->md, digest, 64);
	EVP_DigestUpdate(ad->md, "\n", 1);
	ad->messages += n;
	if (ad->keep != NULL) {
		chatdb_bind_text(ad->keep, 1, room);
		sqlite3_bind_int64(ad->keep, 2, (sqlite3_int64)n);
		chatdb_bind_text(ad->keep, 3, digest);
		if (sqlite3_step(ad->keep) != SQLITE_DONE)
			ad->failed = 1;
		sqlite3_reset(ad->keep);
	}
	return 0;
}

int
chatdigest_archive(struct chatdb *c, char digest[65], uint64_t *messages, struct j2w_err *err)
{
	static const char hex[] = "0123456789abcdef";
	struct archive_digest ad = { EVP_MD_CTX_new(), 0, NULL, 0 };
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	int rc;

	if (ad.md == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	/* each import keeps the per-room digests it saw, for auditors */
	if (sqlite3_prepare_v2(c->db, "INSERT INTO manifest_rooms(import_id, room_jid, messages, digest)"
	    " VALUES (?4, ?1, ?2, ?3)", -1, &ad.keep, NULL) != SQLITE_OK) {
		EVP_MD_CTX_free(ad.md);
		return chatdb_fail(c, err, "cannot prepare a statement");
	}
	sqlite3_bind_int64(ad.keep, 4, c->import_id);
	EVP_DigestInit_ex(ad.md, EVP_sha256(), NULL);
	rc = chatdigest_rooms(c, CHATDIGEST_ARCHIVE_SQL, archive_digest_room, &ad, err);
	sqlite3_finalize(ad.keep);
	if (rc == 0 && ad.failed)
		rc = chatdb_fail(c, err, "cannot record the room digests");
	if (rc < 0) {
		EVP_MD_CTX_free(ad.md);
		return -1;
	}
	EVP_DigestFinal_ex(ad.md, out, &len);
	EVP_MD_CTX_free(ad.md);
	for (unsigned int i = 0; i < 32; i++) {
		digest[2 * i] = hex[out[i] >> 4];
		digest[2 * i + 1] = hex[out[i] & 15];
	}
	digest[64] = '\0';
	*messages = ad.messages;
	return 0;
}
