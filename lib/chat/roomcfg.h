/* The room CONFIG packet of TC_ROOMS (an XEP-0004 jabber:x:data form): the room's name. */
#ifndef J2W_ROOMCFG_H
#define J2W_ROOMCFG_H

#include <stddef.h>

#include "util/j2w_err.h"

/*
 * Finds the value of the form field muc#roomconfig_roomname in the CONFIG
 * packet config[0..len) (an <iq>, <query> or <x> element; namespaces are not
 * checked, element names are matched by local name). Returns a new string the
 * caller frees; NULL with err J2W_OK when the form has no such field or it is
 * empty; NULL with err J2W_EDATA when the XML is malformed or has a DOCTYPE.
 */
char *roomcfg_name(const char *config, size_t len, struct j2w_err *err);

#endif
