/*
 * rulefiles.c: finding and reading the rule directory. It reads every
 * regular file ending in .rules, .tsv or .txt directly in the directory;
 * what the files mean is extract/'s business.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base.h"

#ifndef DW_SHAREDIR
#define DW_SHAREDIR "/usr/local/share/dealwire"
#endif

#define RULE_FILE_MAX ((size_t)64 << 20)

struct rule_embed {
	const char *name;
	const char *data;
	size_t len;
};

/* Generated from rules/ by scripts/embed-rules.sh. */
extern const struct rule_embed rules_embedded[];
extern const size_t rules_embedded_n;

static int
is_rule_name(const char *name)
{
	size_t n = strlen(name);
	static const char *const ext[] = { ".rules", ".tsv", ".txt" };

	if (name[0] == '.')
		return 0;
	for (size_t i = 0; i < countof(ext); i++) {
		size_t e = strlen(ext[i]);

		if (n > e && strcmp(name + n - e, ext[i]) == 0)
			return 1;
	}
	return 0;
}

static int
cmp_rule_file(const void *a, const void *b)
{
	const struct rule_file *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int
load_dir(struct rule_files *out, const char *dir, struct buf *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct buf path = BUF_INIT, data = BUF_INIT;
	size_t cap = 0;
	int rc = DW_OK;

	if (!d) {
		buf_setf(err, "cannot open rule directory '%s': %s", dir,
		    strerror(errno));
		return errno == ENOENT ? DW_ENOTFOUND : DW_EIO;
	}
	buf_init(&path, 4096);
	buf_init(&data, RULE_FILE_MAX);
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		struct rule_file *rf;

		if (!is_rule_name(de->d_name))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir, de->d_name);
		if (stat(path.data, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		rc = file_read(&data, path.data, RULE_FILE_MAX, err);
		if (rc != DW_OK)
			break;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xreallocarray(out->v, cap, sizeof(*out->v));
		}
		rf = &out->v[out->n++];
		rf->name = xstrdup(de->d_name);
		rf->path = xstrdup(path.data);
		rf->data = buf_detach(&data, &rf->len);
	}
	closedir(d);
	buf_release(&path);
	buf_release(&data);
	if (rc == DW_OK)
		out->origin = xstrdup(dir);
	return rc;
}

static void
load_embedded(struct rule_files *out)
{
	out->v =
	    xcalloc(rules_embedded_n ? rules_embedded_n : 1, sizeof(*out->v));
	for (size_t i = 0; i < rules_embedded_n; i++) {
		struct rule_file *rf = &out->v[out->n++];
		struct buf p = BUF_INIT;

		rf->name = xstrdup(rules_embedded[i].name);
		buf_addf(&p, "(built-in)/%s", rules_embedded[i].name);
		rf->path = buf_detach(&p, NULL);
		rf->data =
		    xstrndup(rules_embedded[i].data, rules_embedded[i].len);
		rf->len = rules_embedded[i].len;
	}
	out->origin = xstrdup("(built-in)");
}

static int
dir_exists(const char *dir)
{
	struct stat st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

int
rule_files_load(struct rule_files *out, const char *dir, struct buf *err)
{
	const char *env = getenv("DEALWIRE_RULES");
	int rc = DW_OK;

	out->v = NULL;
	out->n = 0;
	out->origin = NULL;
	if (dir)
		rc = load_dir(out, dir, err);
	else if (env && *env)
		rc = load_dir(out, env, err);
	else if (dir_exists(DW_SHAREDIR "/rules"))
		rc = load_dir(out, DW_SHAREDIR "/rules", err);
	else
		load_embedded(out);
	if (rc != DW_OK) {
		rule_files_release(out);
		return rc;
	}
	if (out->n > 1) /* (an empty directory has no array) */
		qsort(out->v, out->n, sizeof(*out->v), cmp_rule_file);
	return DW_OK;
}

void
rule_files_release(struct rule_files *rf)
{
	if (!rf)
		return;
	for (size_t i = 0; i < rf->n; i++) {
		free(rf->v[i].name);
		free(rf->v[i].path);
		free(rf->v[i].data);
	}
	free(rf->v);
	free(rf->origin);
	rf->v = NULL;
	rf->n = 0;
	rf->origin = NULL;
}

const struct rule_file *
rule_files_get(const struct rule_files *rf, const char *name)
{
	struct rule_file key = { (char *)(uintptr_t)name, NULL, NULL, 0 };

	if (!rf->n)
		return NULL;
	return bsearch(&key, rf->v, rf->n, sizeof(*rf->v), cmp_rule_file);
}
