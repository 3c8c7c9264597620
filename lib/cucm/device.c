/* Device type rules and the phone.csv device map. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/device.h"
#include "util/csvio.h"

static const struct {
	const char *model;
	const char *type;
} device_products[] = {
	{ "Cisco Unified Client Services Framework", "CSF" },
	{ "Cisco Dual Mode for Android", "BOT" },
	{ "Cisco Dual Mode for iPhone", "TCT" },
	{ "Cisco Jabber for Tablet", "TAB" },
};

static const char *const device_prefixes[] = { "CSF", "BOT", "TCT", "TAB" };

const char *
device_type_from_model(const char *model)
{
	if (csv_cell_absent(model))
		return NULL;
	for (size_t i = 0; i < sizeof(device_products) / sizeof(device_products[0]); i++)
		if (strcasecmp(model, device_products[i].model) == 0)
			return device_products[i].type;
	return model;
}

const char *
device_type_from_name(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(device_prefixes) / sizeof(device_prefixes[0]); i++)
		if (strncasecmp(name, device_prefixes[i], 3) == 0 && name[3] != '\0')
			return device_prefixes[i];
	return NULL;
}

void
device_map_init(struct device_map *m)
{
	memset(m, 0, sizeof(*m));
}

void
device_map_release(struct device_map *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->names[i]);
		free(m->types[i]);
	}
	free(m->names);
	free(m->types);
	device_map_init(m);
}

static uint64_t
device_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a over the upper-cased name */

	for (; *s; s++)
		h = (h ^ (uint64_t)toupper((unsigned char)*s)) * 1099511628211ULL;
	return h;
}

static size_t
device_slot(const struct device_map *m, const char *name)
{
	size_t i = (size_t)device_hash(name) & (m->cap - 1);

	while (m->names[i] != NULL && strcasecmp(m->names[i], name) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int
device_map_grow(struct device_map *m)
{
	struct device_map bigger;

	bigger.cap = m->cap ? m->cap * 2 : 256;
	bigger.n = m->n;
	bigger.names = calloc(bigger.cap, sizeof(char *));
	bigger.types = calloc(bigger.cap, sizeof(char *));
	if (bigger.names == NULL || bigger.types == NULL) {
		free(bigger.names);
		free(bigger.types);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->names[i] != NULL) {
			size_t j = device_slot(&bigger, m->names[i]);

			bigger.names[j] = m->names[i];
			bigger.types[j] = m->types[i];
		}
	}
	free(m->names);
	free(m->types);
	*m = bigger;
	return 0;
}

int
device_map_put(struct device_map *m, const char *name, const char *type)
{
	size_t i;
	char *t = NULL;

	if ((m->n + 1) * 2 > m->cap && device_map_grow(m) < 0)
		return -1;
	if (type != NULL && (t = strdup(type)) == NULL)
		return -1;
	i = device_slot(m, name);
	if (m->names[i] == NULL) {
		m->names[i] = strdup(name);
		if (m->names[i] == NULL) {
			free(t);
			return -1;
		}
		m->n++;
	}
	free(m->types[i]);
	m->types[i] = t;
	return 0;
}

const char *
device_map_get(const struct device_map *m, const char *name)
{
	size_t i;

	if (m->cap == 0 || name == NULL)
		return NULL;
	i = device_slot(m, name);
	return m->names[i] != NULL ? m->types[i] : NULL;
}

int
device_map_load_phone_csv(struct device_map *m, FILE *fp, off_t limit,
    const char *name, struct j2w_err *err)
{
	struct csv_reader r;
	struct csv_header h = { 0 };
	long col_name, col_type;
	int rc;

	if (csv_reader_init(&r, fp, limit, ',', name, err) < 0)
		return -1;
	rc = csv_reader_next(&r, err);
	if (rc <= 0) {
		csv_reader_release(&r);
		return rc < 0 ? -1 : 0;
	}
	if (csv_header_load(&h, &r.row, err) < 0)
		goto fail;
	col_name = csv_header_find(&h, "Device Name");
	col_type = csv_header_find(&h, "Device Type");
	if (col_name < 0 || col_type < 0) {
		err_set(err, J2W_EDATA, "%s:%lu: no 'Device Name' and 'Device Type' columns",
		    name, r.row.line);
		goto fail;
	}
	while ((rc = csv_reader_next(&r, err)) == 1) {
		const char *dn = csv_row_field(&r.row, (size_t)col_name, NULL);
		const char *dt = csv_row_field(&r.row, (size_t)col_type, NULL);

		if (dn == NULL || dn[0] == '\0')
			continue;
		if (device_map_put(m, dn, device_type_from_model(dt)) < 0) {
			err_set(err, J2W_ESYS, "out of memory");
			goto fail;
		}
	}
	if (rc < 0)
		goto fail;
	csv_header_release(&h);
	csv_reader_release(&r);
	return 0;
fail:
	csv_header_release(&h);
	csv_reader_release(&r);
	return -1;
}
