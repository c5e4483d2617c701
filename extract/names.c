/*
 * names.c: the names CONTRACT.md gives deal types, statuses, roles and
 * qualifiers, and back.
 */
#include <string.h>

#include "extract/extract.h"

static const char *const type_names[] = {
	NULL,
	"investment",
	"acquisition",
	"merger",
	"stake",
	"supply",
	"partnership",
};

static const char *const status_names[] = {
	NULL,
	"talks",
	"announced",
	"completed",
	"terminated",
};

static const char *const role_names[] = {
	NULL,
	"investor",
	"target",
	"acquirer",
	"party",
	"holder",
	"customer",
	"supplier",
};

static const char *const qualifier_names[] = {
	"exact",
	"up_to",
	"over",
	"about",
	"range",
};

const char *
deal_type_name(int type)
{
	if (type <= 0 || (size_t)type >= countof(type_names))
		return NULL;
	return type_names[type];
}

int
deal_type_parse(const char *s)
{
	for (size_t i = 1; s && i < countof(type_names); i++)
		if (strcmp(s, type_names[i]) == 0)
			return (int)i;
	return 0;
}

const char *
deal_status_name(int status)
{
	if (status <= 0 || (size_t)status >= countof(status_names))
		return NULL;
	return status_names[status];
}

int
deal_status_parse(const char *s)
{
	for (size_t i = 1; s && i < countof(status_names); i++)
		if (strcmp(s, status_names[i]) == 0)
			return (int)i;
	return 0;
}

const char *
party_role_name(int role)
{
	if (role <= 0 || (size_t)role >= countof(role_names))
		return NULL;
	return role_names[role];
}

const char *
qualifier_name(int q)
{
	if (q < 0 || (size_t)q >= countof(qualifier_names))
		return NULL;
	return qualifier_names[q];
}
