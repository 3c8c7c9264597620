/* Room names from TC_ROOMS.CONFIG forms, parsed without DTDs or entities. */
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "chat/roomcfg.h"
#include "util/xmlsafe.h"

#define ROOMCFG_FIELD "muc#roomconfig_roomname"

/* Depth-first search for <field var="muc#roomconfig_roomname">. */
static xmlNodePtr
roomcfg_find_field(xmlNodePtr node, int depth)
{
	if (depth > 64)
		return NULL;
	for (; node != NULL; node = node->next) {
		xmlNodePtr hit;

		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)node->name, "field") == 0) {
			xmlChar *var = xmlGetProp(node, (const xmlChar *)"var");
			int match = var != NULL && strcmp((const char *)var, ROOMCFG_FIELD) == 0;

			xmlFree(var);
			if (match)
				return node;
		}
		hit = roomcfg_find_field(node->children, depth + 1);
		if (hit != NULL)
			return hit;
	}
	return NULL;
}

char *
roomcfg_name(const char *config, size_t len, struct j2w_err *err)
{
	xmlDocPtr doc;
	xmlNodePtr field;
	char *name = NULL;

	err_clear(err);
	if (config == NULL || len == 0)
		return NULL;
	doc = xmlsafe_parse(config, len, "CONFIG", 0, err);
	if (doc == NULL)
		return NULL;
	field = roomcfg_find_field(xmlDocGetRootElement(doc), 0);
	if (field != NULL) {
		name = xml_child_text(field, "value");
		if (name != NULL) {
			/* a name is one line: trim the spaces a pretty-printed form adds */
			size_t n = strlen(name), s = strspn(name, " \t\r\n");

			while (n > s && strchr(" \t\r\n", name[n - 1]) != NULL)
				n--;
			memmove(name, name + s, n - s);
			name[n - s] = '\0';
			if (name[0] == '\0') {
				free(name);
				name = NULL;
			}
		}
	}
	xmlFreeDoc(doc);
	return name;
}
