/* User records: construction, normalisation and conversion. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record/user.h"
#include "util/csvio.h"
#include "util/jsonw.h"
#include "util/strbuf.h"

const char *const user_columns[] = {
	"userid", "first_name", "last_name", "display_name", "mailid", "directory_uri",
	"telephone_number", "primary_extension", "department", "title", "manager",
	"home_cluster", "im_presence_enabled", "service_profile", "uuid", "devices",
	"source", NULL
};

void
user_init(struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->home_cluster = -1;
	u->im_presence_enabled = -1;
}

void
user_release(struct user *u)
{
	char **fields[] = {
		&u->userid, &u->first_name, &u->last_name, &u->display_name, &u->mailid,
		&u->directory_uri, &u->telephone_number, &u->primary_extension,
		&u->department, &u->title, &u->manager, &u->service_profile, &u->uuid,
		&u->source
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		free(*fields[i]);
	for (size_t i = 0; i < u->ndevices; i++) {
		free(u->devices[i].name);
		free(u->devices[i].type);
	}
	free(u->devices);
	user_init(u);
}

int
user_set(char **field, const char *val)
{
	char *copy = NULL;

	if (!csv_cell_absent(val)) {
		copy = strdup(val);
		if (copy == NULL)
			return -1;
	}
	free(*field);
	*field = copy;
	return 0;
}

int
user_set_number(char **field, const char *val)
{
	char *copy, *o;

	if (user_set(field, val) < 0)
		return -1;
	if (*field == NULL)
		return 0;
	/* "\+" is the only escape a directory number carries: drop the backslash */
	for (copy = o = *field; *copy != '\0'; copy++)
		if (!(copy[0] == '\\' && copy[1] == '+'))
			*o++ = *copy;
	*o = '\0';
	if ((*field)[0] == '\0') {
		free(*field);
		*field = NULL;
	}
	return 0;
}

int
user_add_device(struct user *u, const char *name, const char *type)
{
	struct user_device *d;

	if (u->ndevices == u->devices_cap) {
		size_t cap = u->devices_cap ? u->devices_cap * 2 : 4;

		d = realloc(u->devices, cap * sizeof(*d));
		if (d == NULL)
			return -1;
		u->devices = d;
		u->devices_cap = cap;
	}
	d = &u->devices[u->ndevices];
	d->name = strdup(name);
	d->type = type != NULL ? strdup(type) : NULL;
	if (d->name == NULL || (type != NULL && d->type == NULL)) {
		free(d->name);
		free(d->type);
		return -1;
	}
	u->ndevices++;
	return 0;
}

int
user_parse_bool(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcasecmp(s, "t") == 0 || strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0)
		return 1;
	if (strcasecmp(s, "f") == 0 || strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0)
		return 0;
	return -1;
}

/* "NAME:TYPE;NAME;..." (user_to_cells' devices cell) as the record's device array. */
static json_t *
devices_from_cell(const char *cell)
{
	json_t *arr = json_array();
	const char *p = cell;

	while (arr != NULL && *p != '\0') {
		size_t len = strcspn(p, ";"), nlen = strcspn(p, ":;");
		json_t *d = json_object();
		char *name = strndup(p, nlen);

		if (d == NULL || name == NULL || json_array_append_new(arr, d) < 0 ||
		    json_object_set_new(d, "name", json_string(name)) < 0) {
			free(name);
			json_decref(arr);
			return NULL;
		}
		free(name);
		if (nlen < len) {
			char *type = strndup(p + nlen + 1, len - nlen - 1);

			if (type == NULL || (*type != '\0' &&
			    json_object_set_new(d, "type", json_string(type)) < 0)) {
				free(type);
				json_decref(arr);
				return NULL;
			}
			free(type);
		}
		p += len;
		if (*p == ';')
			p++;
	}
	return arr;
}

int
user_retype(json_t *rec)
{
	static const char *const flags[] = { "home_cluster", "im_presence_enabled" };
	const char *devs = json_string_value(json_object_get(rec, "devices"));

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		int b = user_parse_bool(json_string_value(json_object_get(rec, flags[i])));

		if (b >= 0 && json_object_set_new(rec, flags[i], json_boolean(b)) < 0)
			return -1;
	}
	if (devs != NULL) {
		json_t *arr = devices_from_cell(devs);

		if (arr == NULL || json_object_set_new(rec, "devices", arr) < 0)
			return -1;
	}
	return 0;
}

char *
user_uuid_normalise(const char *s)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	char out[39], *o = out;
	size_t len = strlen(s);
	int braced = len == 38 && s[0] == '{' && s[37] == '}';

	if (!(len == 36 || braced))
		return NULL;
	if (braced)
		s++;
	*o++ = '{';
	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, s++) {
			if (!isxdigit((unsigned char)*s))
				return NULL;
			*o++ = (char)toupper((unsigned char)*s);
		}
		if (g < 4) {
			if (*s++ != '-')
				return NULL;
			*o++ = '-';
		}
	}
	*o++ = '}';
	*o = '\0';
	return strdup(out);
}

static int
json_put_str(json_t *obj, const char *key, const char *val)
{
	json_t *s;

	if (val == NULL)
		return 0;
	s = json_string(val);
	if (s == NULL)
		return -1;
	return json_object_set_new(obj, key, s);
}

static int
json_put_bool(json_t *obj, const char *key, int val)
{
	if (val < 0)
		return 0;
	return json_object_set_new(obj, key, json_boolean(val));
}

json_t *
user_to_json(const struct user *u)
{
	json_t *obj = json_object();
	json_t *devs;
	int rc = 0;

	if (obj == NULL)
		return NULL;
	rc |= json_put_str(obj, "userid", u->userid);
	rc |= json_put_str(obj, "first_name", u->first_name);
	rc |= json_put_str(obj, "last_name", u->last_name);
	rc |= json_put_str(obj, "display_name", u->display_name);
	rc |= json_put_str(obj, "mailid", u->mailid);
	rc |= json_put_str(obj, "directory_uri", u->directory_uri);
	rc |= json_put_str(obj, "telephone_number", u->telephone_number);
	rc |= json_put_str(obj, "primary_extension", u->primary_extension);
	rc |= json_put_str(obj, "department", u->department);
	rc |= json_put_str(obj, "title", u->title);
	rc |= json_put_str(obj, "manager", u->manager);
	rc |= json_put_bool(obj, "home_cluster", u->home_cluster);
	rc |= json_put_bool(obj, "im_presence_enabled", u->im_presence_enabled);
	rc |= json_put_str(obj, "service_profile", u->service_profile);
	rc |= json_put_str(obj, "uuid", u->uuid);
	if (u->ndevices > 0) {
		devs = json_array();
		rc |= json_object_set_new(obj, "devices", devs);
		for (size_t i = 0; devs != NULL && i < u->ndevices; i++) {
			json_t *d = json_object();

			rc |= json_put_str(d, "name", u->devices[i].name);
			rc |= json_put_str(d, "type", u->devices[i].type);
			rc |= json_array_append_new(devs, d);
		}
	}
	rc |= json_put_str(obj, "source", u->source);
	if (rc != 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

int
user_write_json(const struct user *u, struct strbuf *sb)
{
	int first = 1, rc = 0;

	rc |= jsonw_member_str(sb, &first, "userid", u->userid);
	rc |= jsonw_member_str(sb, &first, "first_name", u->first_name);
	rc |= jsonw_member_str(sb, &first, "last_name", u->last_name);
	rc |= jsonw_member_str(sb, &first, "display_name", u->display_name);
	rc |= jsonw_member_str(sb, &first, "mailid", u->mailid);
	rc |= jsonw_member_str(sb, &first, "directory_uri", u->directory_uri);
	rc |= jsonw_member_str(sb, &first, "telephone_number", u->telephone_number);
	rc |= jsonw_member_str(sb, &first, "primary_extension", u->primary_extension);
	rc |= jsonw_member_str(sb, &first, "department", u->department);
	rc |= jsonw_member_str(sb, &first, "title", u->title);
	rc |= jsonw_member_str(sb, &first, "manager", u->manager);
	rc |= jsonw_member_bool(sb, &first, "home_cluster", u->home_cluster);
	rc |= jsonw_member_bool(sb, &first, "im_presence_enabled", u->im_presence_enabled);
	rc |= jsonw_member_str(sb, &first, "service_profile", u->service_profile);
	rc |= jsonw_member_str(sb, &first, "uuid", u->uuid);
	if (u->ndevices > 0) {
		rc |= strbuf_addstr(sb, first ? "{\"devices\":[" : ",\"devices\":[");
		first = 0;
		for (size_t i = 0; i < u->ndevices; i++) {
			int dfirst = 1;

			if (i > 0)
				rc |= strbuf_addch(sb, ',');
			rc |= jsonw_member_str(sb, &dfirst, "name", u->devices[i].name);
			rc |= jsonw_member_str(sb, &dfirst, "type", u->devices[i].type);
			rc |= strbuf_addstr(sb, dfirst ? "{}" : "}");
		}
		rc |= strbuf_addch(sb, ']');
	}
	rc |= jsonw_member_str(sb, &first, "source", u->source);
	rc |= strbuf_addstr(sb, first ? "{}\n" : "}\n");
	return rc ? -1 : 0;
}

static int
user_take_json_str(char **field, const json_t *obj, const char *key, struct j2w_err *err)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return err_set(err, J2W_EDATA, "'%s' is not a string", key);
	if (user_set(field, json_string_value(v)) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	return 0;
}

static int
user_take_json_bool(int *field, const json_t *obj, const char *key, struct j2w_err *err)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return err_set(err, J2W_EDATA, "'%s' is not true or false", key);
	*field = json_is_true(v);
	return 0;
}

int
user_from_json(struct user *u, const json_t *obj, struct j2w_err *err)
{
	struct { char **field; const char *key; } strs[] = {
		{ &u->userid, "userid" }, { &u->first_name, "first_name" },
		{ &u->last_name, "last_name" }, { &u->display_name, "display_name" },
		{ &u->mailid, "mailid" }, { &u->directory_uri, "directory_uri" },
		{ &u->telephone_number, "telephone_number" },
		{ &u->primary_extension, "primary_extension" },
		{ &u->department, "department" }, { &u->title, "title" },
		{ &u->manager, "manager" }, { &u->service_profile, "service_profile" },
		{ &u->uuid, "uuid" }, { &u->source, "source" },
	};
	json_t *devs, *d;
	size_t i;

	user_init(u);
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (user_take_json_str(strs[i].field, obj, strs[i].key, err) < 0)
			goto fail;
	/* records written by the first release may still carry CUCM's "\+" */
	if (user_set_number(&u->telephone_number, u->telephone_number) < 0 ||
	    user_set_number(&u->primary_extension, u->primary_extension) < 0) {
		err_set(err, J2W_ESYS, "out of memory");
		goto fail;
	}
	if (user_take_json_bool(&u->home_cluster, obj, "home_cluster", err) < 0 ||
	    user_take_json_bool(&u->im_presence_enabled, obj, "im_presence_enabled", err) < 0)
		goto fail;
	devs = json_object_get(obj, "devices");
	if (devs != NULL && !json_is_array(devs)) {
		err_set(err, J2W_EDATA, "'devices' is not an array");
		goto fail;
	}
	json_array_foreach(devs, i, d) {
		const char *name = json_string_value(json_object_get(d, "name"));

		if (name == NULL) {
			err_set(err, J2W_EDATA, "a device has no name");
			goto fail;
		}
		if (user_add_device(u, name, json_string_value(json_object_get(d, "type"))) < 0) {
			err_set(err, J2W_ESYS, "out of memory");
			goto fail;
		}
	}
	if (u->userid == NULL) {
		err_set(err, J2W_EDATA, "record has no 'userid'");
		goto fail;
	}
	return 0;
fail:
	user_release(u);
	return -1;
}

int
user_to_cells(const struct user *u, const char **cells, char **scratch)
{
	struct strbuf devs;

	strbuf_init(&devs, 0);
	for (size_t i = 0; i < u->ndevices; i++) {
		if (strbuf_addf(&devs, "%s%s%s%s", i ? ";" : "", u->devices[i].name,
		    u->devices[i].type ? ":" : "", u->devices[i].type ? u->devices[i].type : "") < 0) {
			strbuf_release(&devs);
			return -1;
		}
	}
	*scratch = strbuf_detach(&devs, NULL);
	if (*scratch == NULL)
		return -1;
	cells[0] = u->userid;
	cells[1] = u->first_name;
	cells[2] = u->last_name;
	cells[3] = u->display_name;
	cells[4] = u->mailid;
	cells[5] = u->directory_uri;
	cells[6] = u->telephone_number;
	cells[7] = u->primary_extension;
	cells[8] = u->department;
	cells[9] = u->title;
	cells[10] = u->manager;
	cells[11] = u->home_cluster < 0 ? NULL : u->home_cluster ? "true" : "false";
	cells[12] = u->im_presence_enabled < 0 ? NULL : u->im_presence_enabled ? "true" : "false";
	cells[13] = u->service_profile;
	cells[14] = u->uuid;
	cells[15] = *scratch;
	cells[16] = u->source;
	return 0;
}

void
user_out_init(struct user_out *o, FILE *fp, int delim)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->delim = delim;
	strbuf_init(&o->line, 0);
}

void
user_out_release(struct user_out *o)
{
	strbuf_release(&o->line);
}

int
user_out_put(struct user_out *o, const struct user *u, struct j2w_err *err)
{
	if (o->delim == 0) {
		strbuf_reset(&o->line);
		if (user_write_json(u, &o->line) < 0)
			return err_set(err, J2W_ESYS, "cannot encode user '%s'", u->userid);
		fwrite(o->line.buf, 1, o->line.len, o->fp);
	} else {
		/* telephone_number and primary_extension keep their '+' */
		static const unsigned char phone[USER_NCOLUMNS] = { [6] = 1, [7] = 1 };
		const char *cells[USER_NCOLUMNS];
		char *scratch;

		if (!o->header_done) {
			csv_write_row(o->fp, o->delim, user_columns, USER_NCOLUMNS, NULL);
			o->header_done = 1;
		}
		if (user_to_cells(u, cells, &scratch) < 0)
			return err_set(err, J2W_ESYS, "out of memory");
		csv_write_row(o->fp, o->delim, cells, USER_NCOLUMNS, phone);
		free(scratch);
	}
	if (ferror(o->fp))
		return err_set_errno(err, J2W_ESYS, "cannot write output");
	return 0;
}
