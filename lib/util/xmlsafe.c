/* Safe libxml2 parsing and local-name navigation (prefixes vary between servers). */
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "util/xmlsafe.h"

void
xmlsafe_init(void)
{
	xmlInitParser();
}

struct xmlsafe_ctx {
	int refused;
};

/* SAX hooks: a DOCTYPE or an entity declaration stops the parse at once. */
static void
xmlsafe_refuse_subset(void *ctx, const xmlChar *name, const xmlChar *ext_id,
    const xmlChar *sys_id)
{
	xmlParserCtxtPtr pctx = ctx;
	struct xmlsafe_ctx *sc = pctx->_private;

	sc->refused = 1;
	xmlStopParser(pctx);
}

static void
xmlsafe_refuse_entity(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
    const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxtPtr pctx = ctx;
	struct xmlsafe_ctx *sc = pctx->_private;

	sc->refused = 1;
	xmlStopParser(pctx);
}

/* Errors are collected from the context after the parse, not printed by libxml2. */
static void
xmlsafe_quiet(void *ctx, const char *msg, ...)
{
}

xmlDocPtr
xmlsafe_parse(const char *buf, size_t len, const char *name, int keep_blanks,
    struct j2w_err *err)
{
	struct xmlsafe_ctx sc = { 0 };
	xmlParserCtxtPtr pctx;
	xmlDocPtr doc = NULL;
	int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

	if (len > XML_DOC_MAX || len > (size_t)INT32_MAX) {
		err_set(err, J2W_EDATA, "%s: XML document larger than %zu bytes", name, XML_DOC_MAX);
		return NULL;
	}
	if (len == 0) {
		err_set(err, J2W_EDATA, "%s: empty document", name);
		return NULL;
	}
	if (!keep_blanks)
		opts |= XML_PARSE_NOBLANKS;
	pctx = xmlCreateMemoryParserCtxt(buf, (int)len);
	if (pctx == NULL) {
		err_set(err, J2W_ESYS, "%s: cannot start the XML parser", name);
		return NULL;
	}
	pctx->_private = &sc;
	pctx->sax->internalSubset = xmlsafe_refuse_subset;
	pctx->sax->externalSubset = xmlsafe_refuse_subset;
	pctx->sax->entityDecl = xmlsafe_refuse_entity;
	pctx->sax->error = xmlsafe_quiet;
	pctx->sax->warning = xmlsafe_quiet;
	pctx->vctxt.error = xmlsafe_quiet;
	pctx->vctxt.warning = xmlsafe_quiet;
	xmlCtxtUseOptions(pctx, opts);
	xmlParseDocument(pctx);
	if (sc.refused) {
		err_set(err, J2W_EDATA, "%s:%d: a DOCTYPE or entity declaration is not allowed",
		    name, pctx->input ? pctx->input->line : 0);
	} else if (!pctx->wellFormed || pctx->myDoc == NULL) {
		const xmlError *xe = xmlCtxtGetLastError(pctx);
		char msg[256] = "not well-formed";

		if (xe != NULL && xe->message != NULL) {
			snprintf(msg, sizeof(msg), "%s", xe->message);
			msg[strcspn(msg, "\n")] = '\0';
		}
		err_set(err, J2W_EDATA, "%s:%d: malformed XML: %s", name,
		    xe != NULL ? xe->line : 0, msg);
	} else {
		doc = pctx->myDoc;
		pctx->myDoc = NULL;
	}
	if (pctx->myDoc != NULL)
		xmlFreeDoc(pctx->myDoc);
	xmlFreeParserCtxt(pctx);
	return doc;
}

xmlNodePtr
xml_child(xmlNodePtr node, const char *name)
{
	if (node == NULL)
		return NULL;
	for (xmlNodePtr c = node->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

xmlNodePtr
xml_find(xmlNodePtr node, const char *name)
{
	for (; node != NULL; node = node->next) {
		xmlNodePtr hit;

		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)node->name, name) == 0)
			return node;
		hit = xml_find(node->children, name);
		if (hit != NULL)
			return hit;
	}
	return NULL;
}

xmlNodePtr
xml_next_named(xmlNodePtr node)
{
	for (xmlNodePtr c = node->next; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, (const char *)node->name) == 0)
			return c;
	return NULL;
}

char *
xml_text(xmlNodePtr node)
{
	xmlChar *t;
	char *s;

	if (node == NULL)
		return NULL;
	t = xmlNodeGetContent(node);
	if (t == NULL)
		return strdup("");
	s = strdup((const char *)t);
	xmlFree(t);
	return s;
}

char *
xml_child_text(xmlNodePtr node, const char *name)
{
	char *s = xml_text(xml_child(node, name));

	if (s != NULL && s[0] == '\0') {
		free(s);
		return NULL;
	}
	return s;
}
