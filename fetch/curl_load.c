/*
 * curl_load.c: libcurl, loaded the first time it is called. Linked
 * outright, libcurl and the two dozen libraries it needs (TLS, Kerberos,
 * LDAP, SSH, RTMP, ...) are mapped and relocated at every start: 7 to 8 ms
 * of the 12 that `dealwire --version` took, a fifth of a one-shot `parse`
 * of a text, which never fetches. The binary is not linked with libcurl;
 * the functions of its API that dealwire calls are defined here, and the
 * first call of any of them opens libcurl.so.4 (its soname since 2006) and
 * looks them all up, once (pthread_once), then calls through.
 *
 * The variadic setters take one argument whose type libcurl's option
 * numbers carry (CURLOPTTYPE_*: a long, a pointer, a function pointer, a
 * curl_off_t); curl_easy_getinfo always takes a pointer.
 */
#define CURL_DISABLE_TYPECHECK /* the macros would wrap our definitions */
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#define CURL_SONAME "libcurl.so.4"

/* Every function: its return type, name, parameters and arguments. */
#define CURL_FUNCS(R, V)                                                       \
	R(CURLcode, curl_global_init, (long a), (a))                           \
	R(struct curl_slist *, curl_slist_append,                              \
	    (struct curl_slist * a, const char *b), (a, b))                    \
	V(curl_slist_free_all, (struct curl_slist * a), (a))                   \
	V(curl_free, (void *a), (a))                                           \
	R(time_t, curl_getdate, (const char *a, const time_t *b), (a, b))      \
	R(CURL *, curl_easy_init, (void), ())                                  \
	R(CURLcode, curl_easy_perform, (CURL * a), (a))                        \
	V(curl_easy_cleanup, (CURL * a), (a))                                  \
	V(curl_easy_reset, (CURL * a), (a))                                    \
	R(const char *, curl_easy_strerror, (CURLcode a), (a))                 \
	R(CURLHcode, curl_easy_header,                                         \
	    (CURL * a, const char *b, size_t c, unsigned int d, int e,         \
	        struct curl_header **f),                                       \
	    (a, b, c, d, e, f))                                                \
	R(CURLM *, curl_multi_init, (void), ())                                \
	R(CURLMcode, curl_multi_add_handle, (CURLM * a, CURL * b), (a, b))     \
	R(CURLMcode, curl_multi_remove_handle, (CURLM * a, CURL * b), (a, b))  \
	R(CURLMcode, curl_multi_perform, (CURLM * a, int *b), (a, b))          \
	R(CURLMcode, curl_multi_cleanup, (CURLM * a), (a))                     \
	R(CURLMsg *, curl_multi_info_read, (CURLM * a, int *b), (a, b))        \
	R(CURLMcode, curl_multi_poll,                                          \
	    (CURLM * a, struct curl_waitfd b[], unsigned int c, int d,         \
	        int *e),                                                       \
	    (a, b, c, d, e))                                                   \
	R(CURLMcode, curl_multi_wakeup, (CURLM * a), (a))                      \
	R(CURLU *, curl_url, (void), ())                                       \
	V(curl_url_cleanup, (CURLU * a), (a))                                  \
	R(CURLUcode, curl_url_set,                                             \
	    (CURLU * a, CURLUPart b, const char *c, unsigned int d),           \
	    (a, b, c, d))                                                      \
	R(CURLUcode, curl_url_get,                                             \
	    (CURLU * a, CURLUPart b, char **c, unsigned int d), (a, b, c, d))

/* A function pointer of any type, for the setters' function options. */
typedef void (*any_fn)(void);

#define MEMBER(ret, name, params, args) ret(*name) params;
#define VMEMBER(name, params, args) void(*name) params;
static struct {
	CURL_FUNCS(MEMBER, VMEMBER)
	CURLcode (*curl_easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*curl_easy_getinfo)(CURL *, CURLINFO, ...);
	CURLMcode (*curl_multi_setopt)(CURLM *, CURLMoption, ...);
} lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

/* dlsym's pointer into a function pointer (POSIX's way: no cast). */
static void
find(void *h, const char *name, void *fp)
{
	void *p = dlsym(h, name);

	if (!p) {
		fprintf(stderr, "dealwire: %s has no %s: %s\n", CURL_SONAME,
		    name, dlerror());
		exit(69); /* EX_UNAVAILABLE */
	}
	memcpy(fp, &p, sizeof(p));
}

static void
load(void)
{
	void *h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		fprintf(stderr,
		    "dealwire: cannot load %s, which fetching needs: %s\n",
		    CURL_SONAME, dlerror());
		exit(69); /* EX_UNAVAILABLE */
	}
#define FIND(ret, name, params, args) find(h, #name, &lib.name);
#define VFIND(name, params, args) find(h, #name, &lib.name);
	CURL_FUNCS(FIND, VFIND)
	find(h, "curl_easy_setopt", &lib.curl_easy_setopt);
	find(h, "curl_easy_getinfo", &lib.curl_easy_getinfo);
	find(h, "curl_multi_setopt", &lib.curl_multi_setopt);
	/* never closed: its handles live as long as the process */
}

#define LOAD() pthread_once(&lib_once, load)

#define WRAP(ret, name, params, args)                                          \
	ret name params                                                        \
	{                                                                      \
		LOAD();                                                        \
		return lib.name args;                                          \
	}
#define VWRAP(name, params, args)                                              \
	void name params                                                       \
	{                                                                      \
		LOAD();                                                        \
		lib.name args;                                                 \
	}
CURL_FUNCS(WRAP, VWRAP)

/*
 * A setter's call with its one argument read as the option's number says
 * (the same numbering for both setters; the multi interface has no blob
 * options, so its numbers never reach the last case).
 */
#define SETOPT(rc, fn, h, option, ap)                                          \
	do {                                                                   \
		if ((option) < CURLOPTTYPE_OBJECTPOINT)                        \
			rc = fn(h, option, va_arg(ap, long));                  \
		else if ((option) < CURLOPTTYPE_FUNCTIONPOINT)                 \
			rc = fn(h, option, va_arg(ap, void *));                \
		else if ((option) < CURLOPTTYPE_OFF_T)                         \
			rc = fn(h, option, va_arg(ap, any_fn));                \
		else if ((option) < CURLOPTTYPE_BLOB)                          \
			rc = fn(h, option, va_arg(ap, curl_off_t));            \
		else                                                           \
			rc = fn(h, option, va_arg(ap, void *));                \
	} while (0)

CURLcode
curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	va_list ap;
	CURLcode rc;

	LOAD();
	va_start(ap, option);
	SETOPT(rc, lib.curl_easy_setopt, curl, option, ap);
	va_end(ap);
	return rc;
}

CURLMcode
curl_multi_setopt(CURLM *multi, CURLMoption option, ...)
{
	va_list ap;
	CURLMcode rc;

	LOAD();
	va_start(ap, option);
	SETOPT(rc, lib.curl_multi_setopt, multi, option, ap);
	va_end(ap);
	return rc;
}

CURLcode
curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	va_list ap;
	CURLcode rc;

	LOAD();
	va_start(ap, info);
	rc = lib.curl_easy_getinfo(curl, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}
