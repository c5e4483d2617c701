/*
 * circles.c: the money-flow graph of the stored deals (CONTRACT.md): an
 * investment or stake is an edge investor/holder -> target, a supply an
 * edge customer -> supplier. Circles are its directed cycles, each listed
 * once from its alphabetically first party. Also the DOT drawing.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/internal.h"

struct edge {
	size_t from, to;
	const struct xdeal *deal;
	int in_circle;
};

struct graph {
	const char **names; /* sorted, unique */
	size_t nn;
	struct edge *e; /* sorted by from, to, deal id */
	size_t ne;
};

/* Alphabetical: case-insensitive first, then bytewise, for a total order. */
static int
cmp_name(const char *a, const char *b)
{
	int c = strcasecmp(a, b);

	return c ? c : strcmp(a, b);
}

static int
cmp_name_p(const void *x, const void *y)
{
	return cmp_name(*(const char *const *)x, *(const char *const *)y);
}

static int
cmp_edge(const void *x, const void *y)
{
	const struct edge *a = x, *b = y;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return a->deal->id < b->deal->id ? -1 : a->deal->id > b->deal->id;
}

static size_t
node(const struct graph *g, const char *name)
{
	const char **p =
	    bsearch(&name, g->names, g->nn, sizeof(*g->names), cmp_name_p);

	return (size_t)(p - g->names);
}

/* The roles money flows from and to, or 0 when the type has no flow. */
static int
flow_roles(int type, int *from, int *to)
{
	switch (type) {
	case DEAL_INVESTMENT:
		*from = ROLE_INVESTOR;
		*to = ROLE_TARGET;
		return 1;
	case DEAL_STAKE:
		*from = ROLE_HOLDER;
		*to = ROLE_TARGET;
		return 1;
	case DEAL_SUPPLY:
		*from = ROLE_CUSTOMER;
		*to = ROLE_SUPPLIER;
		return 1;
	default:
		return 0;
	}
}

static void
graph_build(struct graph *g, const struct xdeal *v, size_t n)
{
	size_t cap = 0, ne = 0, nn = 0;

	memset(g, 0, sizeof(*g));
	g->names = xreallocarray(NULL, 2 * n * DEAL_MAX_PARTIES + 1,
	    sizeof(*g->names));
	for (size_t i = 0; i < n; i++) {
		int fr, to;

		if (v[i].status == ST_TERMINATED ||
		    !flow_roles(v[i].type, &fr, &to))
			continue;
		for (size_t k = 0; k < v[i].nparties; k++)
			g->names[nn++] = v[i].parties[k].name;
	}
	qsort(g->names, nn, sizeof(*g->names), cmp_name_p);
	for (size_t i = 0; i < nn; i++)
		if (g->nn == 0 || strcmp(g->names[g->nn - 1], g->names[i]) != 0)
			g->names[g->nn++] = g->names[i];
	for (size_t i = 0; i < n; i++) {
		int fr, to;

		if (v[i].status == ST_TERMINATED ||
		    !flow_roles(v[i].type, &fr, &to))
			continue;
		for (size_t a = 0; a < v[i].nparties; a++) {
			if (v[i].parties[a].role != fr)
				continue;
			for (size_t b = 0; b < v[i].nparties; b++) {
				size_t x, y;

				if (v[i].parties[b].role != to)
					continue;
				x = node(g, v[i].parties[a].name);
				y = node(g, v[i].parties[b].name);
				if (x == y)
					continue;
				if (ne == cap) {
					cap = cap ? cap * 2 : 64;
					g->e = xreallocarray(g->e, cap,
					    sizeof(*g->e));
				}
				g->e[ne].from = x;
				g->e[ne].to = y;
				g->e[ne].deal = &v[i];
				g->e[ne].in_circle = 0;
				ne++;
			}
		}
	}
	g->ne = ne;
	if (ne)
		qsort(g->e, ne, sizeof(*g->e), cmp_edge);
}

static void
graph_release(struct graph *g)
{
	free(g->names);
	free(g->e);
}

/* First edge leaving u (edges are sorted by from). */
static size_t
first_edge(const struct graph *g, size_t u)
{
	size_t lo = 0, hi = g->ne;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->e[mid].from < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct cycles {
	size_t *v; /* each cycle: len parties, stored flat */
	size_t *len;
	size_t n, used, cap, lcap;
};

static void
cycles_add(struct cycles *c, const size_t *path, size_t len)
{
	if (c->used + len > c->cap) {
		c->cap = (c->cap + len) * 2;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	if (c->n == c->lcap) {
		c->lcap = c->lcap ? c->lcap * 2 : 16;
		c->len = xreallocarray(c->len, c->lcap, sizeof(*c->len));
	}
	memcpy(c->v + c->used, path, len * sizeof(*path));
	c->used += len;
	c->len[c->n++] = len;
}

static void
dfs(const struct graph *g, size_t *path, size_t depth, size_t max,
    struct cycles *out)
{
	size_t start = path[0], u = path[depth - 1];

	for (size_t i = first_edge(g, u); i < g->ne && g->e[i].from == u; i++) {
		size_t w = g->e[i].to;
		int seen = 0;

		if (i > 0 && g->e[i - 1].from == u && g->e[i - 1].to == w)
			continue; /* one step per neighbour, not per deal */
		if (w == start) {
			if (depth >= 2)
				cycles_add(out, path, depth);
			continue;
		}
		if (w < start || depth >= max)
			continue;
		for (size_t k = 0; k < depth; k++)
			seen |= path[k] == w;
		if (seen)
			continue;
		path[depth] = w;
		dfs(g, path, depth + 1, max, out);
	}
}

static void
find_cycles(const struct graph *g, size_t max, struct cycles *out)
{
	size_t *path = xcalloc(max + 1, sizeof(*path));

	memset(out, 0, sizeof(*out));
	for (size_t s = 0; s < g->nn; s++) {
		path[0] = s;
		dfs(g, path, 1, max, out);
	}
	free(path);
}

static void
mark_edges(struct graph *g, const struct cycles *c)
{
	size_t off = 0;

	for (size_t i = 0; i < c->n; off += c->len[i], i++) {
		const size_t *p = c->v + off;

		for (size_t k = 0; k < c->len[i]; k++) {
			size_t a = p[k], b = p[(k + 1) % c->len[i]];

			for (size_t e = first_edge(g, a);
			     e < g->ne && g->e[e].from == a; e++)
				if (g->e[e].to == b)
					g->e[e].in_circle = 1;
		}
	}
}

static void
circle_json(struct buf *b, const struct graph *g, const size_t *p, size_t len)
{
	int first = 1;

	buf_adds(b, "{\"parties\": [");
	for (size_t k = 0; k < len; k++) {
		if (k)
			buf_adds(b, ", ");
		buf_json_str(b, g->names[p[k]]);
	}
	buf_adds(b, "],\n   \"deals\": [");
	for (size_t k = 0; k < len; k++) {
		size_t a = p[k], c = p[(k + 1) % len];

		for (size_t e = first_edge(g, a);
		     e < g->ne && g->e[e].from == a; e++) {
			if (g->e[e].to != c)
				continue;
			buf_addf(b, "%s{\"id\": %lld, \"type\": ",
			    first ? "" : ",\n             ",
			    (long long)g->e[e].deal->id);
			buf_json_str(b, deal_type_name(g->e[e].deal->type));
			buf_adds(b, ", \"from\": ");
			buf_json_str(b, g->names[a]);
			buf_adds(b, ", \"to\": ");
			buf_json_str(b, g->names[c]);
			buf_addch(b, '}');
			first = 0;
		}
	}
	buf_adds(b, "]}");
}

static void
circle_text(struct buf *b, const struct graph *g, const size_t *p, size_t len)
{
	int first = 1;

	for (size_t k = 0; k < len; k++)
		buf_addf(b, "%s -> ", g->names[p[k]]);
	buf_addf(b, "%s:", g->names[p[0]]);
	for (size_t k = 0; k < len; k++) {
		size_t a = p[k], c = p[(k + 1) % len];

		for (size_t e = first_edge(g, a);
		     e < g->ne && g->e[e].from == a; e++) {
			const struct xdeal *d = g->e[e].deal;

			if (g->e[e].to != c)
				continue;
			buf_addf(b, "%s #%lld %s %s -> %s", first ? "" : ";",
			    (long long)d->id, deal_type_name(d->type),
			    g->names[a], g->names[c]);
			if (d->has_amount) {
				buf_addch(b, ' ');
				store__amount_human(b, &d->amount);
			} else if (d->has_stake) {
				buf_addf(b, " %g%% stake", d->stake);
			}
			if (d->status)
				buf_addf(b, " (%s)",
				    deal_status_name(d->status));
			first = 0;
		}
	}
	buf_addch(b, '\n');
}

int
store_circles(struct store *s, FILE *out, int format, int max_length,
    struct buf *err)
{
	struct arena a;
	struct xdeal *v = NULL;
	size_t n = 0, off = 0;
	struct graph g;
	struct cycles c;
	struct buf b = BUF_INIT;
	int rc;

	if (max_length < 2) {
		buf_setf(err, "a circle needs at least 2 parties, not %d",
		    max_length);
		return DW_EUSAGE;
	}
	arena_init(&a, (size_t)1 << 30);
	rc = store__load_deals(s, NULL, &v, &n, &a, err);
	if (rc != DW_OK)
		goto out;
	graph_build(&g, v, n);
	find_cycles(&g, (size_t)max_length, &c);
	if (format == CIRCLES_JSON)
		buf_adds(&b, c.n ? "{\"circles\": [\n  " : "{\"circles\": [");
	else if (c.n == 0)
		buf_adds(&b, "no circles\n");
	for (size_t i = 0; i < c.n; off += c.len[i], i++) {
		if (format == CIRCLES_JSON) {
			if (i)
				buf_adds(&b, ",\n  ");
			circle_json(&b, &g, c.v + off, c.len[i]);
		} else {
			circle_text(&b, &g, c.v + off, c.len[i]);
		}
	}
	if (format == CIRCLES_JSON)
		buf_adds(&b, c.n ? "\n]}\n" : "]}\n");
	if (fwrite(b.data, 1, b.len, out) != b.len) {
		buf_setf(err, "cannot write output");
		rc = DW_EIO;
	}
	free(c.v);
	free(c.len);
	graph_release(&g);
out:
	buf_release(&b);
	arena_release(&a);
	return rc;
}

/*
 * DOT: parties are nodes, deals labelled edges (dashed and undirected for
 * mergers and partnerships), circles in red.
 */
static void
dot_str(struct buf *b, const char *s)
{
	buf_addch(b, '"');
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_addch(b, '\\');
		if (*p == '\n')
			buf_adds(b, "\\n");
		else if (*p != '\r')
			buf_addch(b, *p);
	}
	buf_addch(b, '"');
}

static void
dot_label(struct buf *b, const struct xdeal *d)
{
	struct buf l = BUF_INIT;

	buf_addf(&l, "#%lld %s", (long long)d->id, deal_type_name(d->type));
	if (d->has_amount) {
		buf_addch(&l, '\n');
		store__amount_human(&l, &d->amount);
	} else if (d->has_stake) {
		buf_addf(&l, "\n%g%% stake", d->stake);
	}
	if (d->status)
		buf_addf(&l, "\n%s", deal_status_name(d->status));
	dot_str(b, l.data);
	buf_release(&l);
}

int
store__dot(struct store *s, struct buf *b, const struct xdeal *v, size_t n,
    struct buf *err)
{
	struct graph g;
	struct cycles c;
	const char **names;
	size_t nn = 0;

	(void)s;
	(void)err;
	graph_build(&g, v, n);
	find_cycles(&g, 4, &c);
	mark_edges(&g, &c);
	buf_adds(b,
	    "digraph deals {\n\trankdir=LR;\n"
	    "\tnode [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
	    "\tedge [fontname=\"Helvetica\", fontsize=10];\n");
	/* Every party of every deal, once, in alphabetical order. */
	names = xreallocarray(NULL, n * DEAL_MAX_PARTIES + 1, sizeof(*names));
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < v[i].nparties; k++)
			names[nn++] = v[i].parties[k].name;
	qsort(names, nn, sizeof(*names), cmp_name_p);
	for (size_t i = 0; i < nn; i++) {
		int circ = 0;

		if (i && strcmp(names[i], names[i - 1]) == 0)
			continue;
		for (size_t e = 0; e < g.ne && !circ; e++)
			circ = g.e[e].in_circle &&
			    (strcmp(g.names[g.e[e].from], names[i]) == 0 ||
			        strcmp(g.names[g.e[e].to], names[i]) == 0);
		buf_addch(b, '\t');
		dot_str(b, names[i]);
		buf_adds(b,
		    circ ? " [color=red, fontcolor=red, penwidth=2];\n"
		         : ";\n");
	}
	for (size_t i = 0; i < n; i++) {
		const struct xdeal *d = &v[i];
		int fr, to, flow = flow_roles(d->type, &fr, &to);

		for (size_t x = 0; x < d->nparties; x++) {
			for (size_t y = 0; y < d->nparties; y++) {
				int circ = 0;

				if (flow &&
				    (d->parties[x].role != fr ||
				        d->parties[y].role != to))
					continue;
				if (!flow && y != x + 1)
					continue;
				for (size_t e = 0; flow && e < g.ne; e++)
					circ |= g.e[e].deal == d &&
					    g.e[e].in_circle &&
					    strcmp(g.names[g.e[e].from],
					        d->parties[x].name) == 0 &&
					    strcmp(g.names[g.e[e].to],
					        d->parties[y].name) == 0;
				buf_addch(b, '\t');
				dot_str(b, d->parties[x].name);
				buf_adds(b, " -> ");
				dot_str(b, d->parties[y].name);
				buf_adds(b, " [label=");
				dot_label(b, d);
				if (!flow)
					buf_adds(b, ", dir=none, style=dashed");
				if (d->status == ST_TERMINATED)
					buf_adds(b, ", style=dotted");
				if (circ)
					buf_adds(b,
					    ", color=red, fontcolor=red,"
					    " penwidth=2");
				buf_adds(b, "];\n");
			}
		}
	}
	buf_adds(b, "}\n");
	free(names);
	free(c.v);
	free(c.len);
	graph_release(&g);
	return DW_OK;
}
