/* Device types: Jabber soft clients by product name or name prefix, desk phones by model. */
#ifndef J2W_DEVICE_H
#define J2W_DEVICE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "util/j2w_err.h"

/*
 * The record type for a device product/model name as CUCM reports it (BAT
 * phone.csv "Device Type", SQL typemodel.name): CSF, BOT, TCT or TAB for the
 * Jabber clients, else the model itself ("Cisco 8845"). NULL for NULL or empty.
 * Returns a static string or model.
 */
const char *device_type_from_model(const char *model);

/* CSF, BOT, TCT or TAB from the device name prefix, else NULL (desk phones). */
const char *device_type_from_name(const char *name);

/* Device name -> type, loaded from a BAT phone.csv. */
struct device_map {
	char **names;
	char **types;
	size_t cap;	/* a power of two; open addressing */
	size_t n;
};

void device_map_init(struct device_map *m);
void device_map_release(struct device_map *m);
/* Adds or replaces name -> type (type may be NULL). Returns 0 or -1 (ENOMEM). */
int device_map_put(struct device_map *m, const char *name, const char *type);
/* The type for name (compared case-insensitively), or NULL. */
const char *device_map_get(const struct device_map *m, const char *name);

/*
 * Loads phone.csv (columns "Device Name" and "Device Type", found by name)
 * from fp, at most limit bytes (-1: to EOF). Returns 0, or -1 with err.
 */
int device_map_load_phone_csv(struct device_map *m, FILE *fp, off_t limit,
    const char *name, struct j2w_err *err);

#endif
