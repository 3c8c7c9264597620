/* libFuzzer target: AXL answers (SOAP envelopes, faults, user lists) from the network. */
#include <stdint.h>
#include <stdlib.h>

#include "cucm/axl.h"
#include "util/xmlsafe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct axl_fault fault;
	struct j2w_err err;
	unsigned long suggested;
	xmlDocPtr doc;
	xmlNodePtr ret;
	int rc = axl_parse_answer((const char *)data, size, &doc, &ret, &fault, &err);

	if (rc == 1)
		axl_fault_too_large(&fault, &suggested);
	if (rc == 0) {
		for (xmlNodePtr n = xml_child(ret, "user"); n != NULL; n = xml_next_named(n)) {
			struct user u;

			user_init(&u);
			axl_user_from_node(n, "axl:fuzz", &u);
			user_release(&u);
		}
		xmlFreeDoc(doc);
	}
	return 0;
}
