/* BAT enduser.csv rows to user records. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/bat.h"
#include "util/csvio.h"
#include "util/utf8.h"

static long
bat_find_any(const struct csv_header *h, const char *const *names)
{
	for (; *names != NULL; names++) {
		long col = csv_header_find(h, *names);

		if (col >= 0)
			return col;
	}
	return -1;
}

/* Collects the columns of a repeating group in index order (1, 2, ... n). */
static int
bat_collect_group(const struct csv_header *h, const char *prefix, long **cols, size_t *n)
{
	long max = 0;

	for (size_t c = 0; c < h->n; c++) {
		long idx = csv_header_group_index(h, c, prefix);

		if (idx > max)
			max = idx;
	}
	if (max == 0)
		return 0;
	*cols = malloc((size_t)max * sizeof(long));
	if (*cols == NULL)
		return -1;
	for (long i = 0; i < max; i++)
		(*cols)[i] = -1;
	for (size_t c = 0; c < h->n; c++) {
		long idx = csv_header_group_index(h, c, prefix);

		if (idx > 0 && (*cols)[idx - 1] < 0)
			(*cols)[idx - 1] = (long)c;
	}
	*n = (size_t)max;
	return 0;
}

int
bat_map_init(struct bat_map *map, const struct csv_header *h, struct j2w_err *err)
{
	static const char *const userid[] = { "USER ID", "USERID", NULL };
	static const char *const manager[] = { "MANAGER", "MANAGER USER ID", NULL };
	static const char *const im[] = { "ENABLE USER FOR UNIFIED CM IM AND PRESENCE", NULL };
	static const char *const sp[] = { "UC SERVICE PROFILE", "SERVICE PROFILE", NULL };
	static const char *const tel[] = { "TELEPHONE NUMBER", NULL };

	memset(map, 0, sizeof(*map));
	map->ncolumns = h->n;
	map->userid = bat_find_any(h, userid);
	if (map->userid < 0)
		return err_set(err, J2W_EDATA, "no 'USER ID' column: not a BAT user export");
	map->first_name = csv_header_find(h, "FIRST NAME");
	map->last_name = csv_header_find(h, "LAST NAME");
	map->display_name = csv_header_find(h, "DISPLAY NAME");
	map->mailid = csv_header_find(h, "MAIL ID");
	map->directory_uri = csv_header_find(h, "DIRECTORY URI");
	map->telephone_number = bat_find_any(h, tel);
	map->department = csv_header_find(h, "DEPARTMENT");
	map->title = csv_header_find(h, "TITLE");
	map->manager = bat_find_any(h, manager);
	map->home_cluster = csv_header_find(h, "HOME CLUSTER");
	map->im_presence = bat_find_any(h, im);
	map->service_profile = bat_find_any(h, sp);
	map->uuid = csv_header_find(h, "USER PKID");
	map->primary_extension = csv_header_find(h, "PRIMARY EXTENSION");
	if (bat_collect_group(h, "DEVICE NAME", &map->device_cols, &map->ndevice_cols) < 0 ||
	    bat_collect_group(h, "PRIMARY EXTENSION", &map->extension_cols, &map->nextension_cols) < 0 ||
	    bat_collect_group(h, "TYPE PATTERN USAGE", &map->usage_cols, &map->nusage_cols) < 0)
		goto nomem;
	if (map->ndevice_cols == 0 &&
	    bat_collect_group(h, "CONTROLLED DEVICE", &map->device_cols, &map->ndevice_cols) < 0)
		goto nomem;
	return 0;
nomem:
	bat_map_release(map);
	return err_set(err, J2W_ESYS, "out of memory");
}

void
bat_map_release(struct bat_map *map)
{
	free(map->device_cols);
	free(map->extension_cols);
	free(map->usage_cols);
	map->device_cols = map->extension_cols = map->usage_cols = NULL;
	map->ndevice_cols = map->nextension_cols = map->nusage_cols = 0;
}

/*
 * The value of column col, UTF-8 checked (or converted from Latin-1 into conv).
 * Returns the value (NULL when the column is absent), or sets *bad.
 */
static const char *
bat_cell(const struct csv_row *row, long col, int latin1, struct strbuf *conv, int *bad)
{
	size_t len;
	const char *v;

	if (col < 0)
		return NULL;
	v = csv_row_field(row, (size_t)col, &len);
	if (v == NULL)
		return NULL;
	if (latin1) {
		strbuf_reset(conv);
		if (utf8_from_latin1(conv, v, len) < 0) {
			*bad = 1;
			return NULL;
		}
		return conv->buf;
	}
	if (utf8_invalid_at(v, len) != len || memchr(v, '\0', len) != NULL) {
		*bad = 1;
		return NULL;
	}
	return v;
}

enum bat_usage { BAT_USAGE_UNKNOWN, BAT_USAGE_PRIMARY, BAT_USAGE_OTHER };

/*
 * What TYPE PATTERN USAGE n says line n is to the user. The lines are the
 * user's rows of endusernumplanmap, whose usage (tkdnusage) is 1 for the
 * primary extension and 2 for the IPCC extension; a value may come as that
 * number or as a name ("Primary", "IPCC", an intercom). Other text (or none)
 * says nothing either way.
 */
static enum bat_usage
bat_pattern_usage(const char *v)
{
	size_t len;

	if (v == NULL)
		return BAT_USAGE_UNKNOWN;
	while (*v == ' ')
		v++;
	len = strlen(v);
	while (len > 0 && v[len - 1] == ' ')
		len--;
	if (len == 0 || (len == 4 && strncmp(v, "NULL", 4) == 0))
		return BAT_USAGE_UNKNOWN;
	if (strspn(v, "0123456789") >= len)
		return len == 1 && v[0] == '1' ? BAT_USAGE_PRIMARY : BAT_USAGE_OTHER;
	if (strncasecmp(v, "primary", 7) == 0)
		return BAT_USAGE_PRIMARY;
	if (strncasecmp(v, "ipcc", 4) == 0 || strncasecmp(v, "icd", 3) == 0 ||
	    strcasestr(v, "intercom") != NULL)
		return BAT_USAGE_OTHER;
	return BAT_USAGE_UNKNOWN;
}

/* The index of the extension line to use as primary_extension, or -1. */
static long
bat_primary_line(const struct bat_map *map, const struct csv_row *row)
{
	long fallback = -1;

	for (size_t i = 0; i < map->nextension_cols; i++) {
		const char *pattern = map->extension_cols[i] >= 0
		    ? csv_row_field(row, (size_t)map->extension_cols[i], NULL) : NULL;
		const char *usage = i < map->nusage_cols && map->usage_cols[i] >= 0
		    ? csv_row_field(row, (size_t)map->usage_cols[i], NULL) : NULL;
		enum bat_usage kind;

		if (csv_cell_absent(pattern))
			continue;
		kind = bat_pattern_usage(usage);
		if (kind == BAT_USAGE_PRIMARY)
			return (long)i;
		if (kind == BAT_USAGE_UNKNOWN && fallback < 0)
			fallback = (long)i;
	}
	return fallback;
}

int
bat_row_to_user(const struct bat_map *map, const struct csv_header *h,
    const struct csv_row *row, const struct device_map *phones, int latin1,
    const char *source, struct user *u, struct strbuf *problem, struct j2w_err *err)
{
	struct { long col; char **field; } strs[] = {
		{ map->userid, &u->userid }, { map->first_name, &u->first_name },
		{ map->last_name, &u->last_name }, { map->display_name, &u->display_name },
		{ map->mailid, &u->mailid }, { map->directory_uri, &u->directory_uri },
		{ map->telephone_number, &u->telephone_number },
		{ map->department, &u->department }, { map->title, &u->title },
		{ map->manager, &u->manager }, { map->service_profile, &u->service_profile },
		{ map->primary_extension, &u->primary_extension },
	};
	struct strbuf conv;
	const char *v;
	long line;
	int bad = 0;

	strbuf_reset(problem);
	if (row->n != map->ncolumns) {
		strbuf_addf(problem, "row has %zu %s but the header has %zu", row->n,
		    row->n == 1 ? "field" : "fields", map->ncolumns);
		return 1;
	}
	strbuf_init(&conv, CSV_FIELD_MAX * 2);
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		v = bat_cell(row, strs[i].col, latin1, &conv, &bad);
		if (bad) {
			strbuf_addf(problem, "invalid UTF-8 in column '%s' (if the export is Latin-1, "
			    "use --encoding latin1)", h->names[strs[i].col]);
			goto unusable;
		}
		if (user_set(strs[i].field, v) < 0)
			goto nomem;
	}
	if (u->userid == NULL) {
		strbuf_addstr(problem, "no USER ID");
		goto unusable;
	}
	line = u->primary_extension == NULL ? bat_primary_line(map, row) : -1;
	if (line >= 0) {
		v = bat_cell(row, map->extension_cols[line], latin1, &conv, &bad);
		if (!bad && user_set(&u->primary_extension, v) < 0)
			goto nomem;
		bad = 0;
	}
	if (user_set_number(&u->primary_extension, u->primary_extension) < 0 ||
	    user_set_number(&u->telephone_number, u->telephone_number) < 0)
		goto nomem;
	u->home_cluster = user_parse_bool(bat_cell(row, map->home_cluster, 0, &conv, &bad));
	u->im_presence_enabled = user_parse_bool(bat_cell(row, map->im_presence, 0, &conv, &bad));
	v = bat_cell(row, map->uuid, 0, &conv, &bad);
	if (!csv_cell_absent(v)) {
		u->uuid = user_uuid_normalise(v);
		if (u->uuid == NULL && user_set(&u->uuid, v) < 0)
			goto nomem;
	}
	for (size_t i = 0; i < map->ndevice_cols; i++) {
		const char *type;

		bad = 0;
		v = bat_cell(row, map->device_cols[i], latin1, &conv, &bad);
		if (bad || csv_cell_absent(v))
			continue;
		type = phones != NULL ? device_map_get(phones, v) : NULL;
		if (type == NULL)
			type = device_type_from_name(v);
		if (user_add_device(u, v, type) < 0)
			goto nomem;
	}
	if (user_set(&u->source, source) < 0)
		goto nomem;
	strbuf_release(&conv);
	return 0;
unusable:
	strbuf_release(&conv);
	user_release(u);
	return 1;
nomem:
	strbuf_release(&conv);
	user_release(u);
	return err_set(err, J2W_ESYS, "out of memory");
}
