/*
 * json.c: deals and entities as CONTRACT.md spells them.
 */
#include "extract/extract.h"

static void
span_text(struct buf *b, struct span text, struct textref r)
{
	if (r.end > text.len || r.start > r.end) {
		buf_adds(b, "\"\"");
		return;
	}
	buf_json_strn(b, text.p + r.start, r.end - r.start);
}

static void
amount_json(struct buf *b, const struct amount *m)
{
	buf_adds(b, "\"value\": ");
	buf_json_num(b, m->value);
	buf_adds(b, ", \"currency\": ");
	buf_json_str(b, m->currency);
	buf_adds(b, ", \"qualifier\": ");
	buf_json_str(b, qualifier_name(m->qualifier));
	if (m->qualifier == Q_RANGE) {
		buf_adds(b, ", \"low\": ");
		buf_json_num(b, m->low);
		buf_adds(b, ", \"high\": ");
		buf_json_num(b, m->high);
	}
}

void
extract_deal_json(struct buf *b, const struct deal *d, struct span text)
{
	buf_adds(b, "{\"type\": ");
	buf_json_str(b, deal_type_name(d->type));
	buf_adds(b, ", \"parties\": [");
	for (size_t i = 0; i < d->nparties; i++) {
		if (i)
			buf_adds(b, ", ");
		buf_adds(b, "{\"role\": ");
		buf_json_str(b, party_role_name(d->parties[i].role));
		buf_adds(b, ", \"name\": ");
		buf_json_str(b, d->parties[i].name);
		buf_addch(b, '}');
	}
	buf_addch(b, ']');
	if (d->has_amount) {
		buf_adds(b, ", \"amount\": {");
		amount_json(b, &d->amount);
		buf_adds(b, ", \"text\": ");
		span_text(b, text, d->amount_text);
		buf_addch(b, '}');
	}
	if (d->has_stake) {
		buf_adds(b, ", \"stake\": {\"percent\": ");
		buf_json_num(b, d->stake);
		buf_adds(b, ", \"text\": ");
		span_text(b, text, d->stake_text);
		buf_addch(b, '}');
	}
	if (d->has_valuation) {
		buf_adds(b, ", \"valuation\": {");
		amount_json(b, &d->valuation);
		buf_adds(b, ", \"text\": ");
		span_text(b, text, d->valuation_text);
		buf_addch(b, '}');
	}
	if (d->status) {
		buf_adds(b, ", \"status\": ");
		buf_json_str(b, deal_status_name(d->status));
	}
	if (d->date.value[0]) {
		buf_adds(b, ", \"date\": {\"value\": ");
		buf_json_str(b, d->date.value);
		buf_adds(b, ", \"text\": ");
		span_text(b, text, d->date_text);
		buf_addch(b, '}');
	}
	buf_adds(b, ", \"evidence\": [");
	for (size_t i = 0; i < d->nevidence; i++) {
		if (i)
			buf_adds(b, ", ");
		buf_addf(b, "{\"start\": %zu, \"end\": %zu, \"text\": ",
		    d->evidence[i].start, d->evidence[i].end);
		span_text(b, text, d->evidence[i]);
		buf_addch(b, '}');
	}
	buf_adds(b, "]}");
}

void
extract_entity_json(struct buf *b, const struct entity *e, struct span text)
{
	static const char *const types[] = { NULL, "money", "percent", "date",
		"party" };

	buf_adds(b, "{\"type\": ");
	buf_json_str(b, types[e->type]);
	buf_addf(b, ", \"start\": %zu, \"end\": %zu, \"text\": ", e->start,
	    e->end);
	span_text(b, text, (struct textref){ e->start, e->end });
	switch (e->type) {
	case ENT_MONEY:
		buf_adds(b, ", ");
		amount_json(b, &e->money);
		break;
	case ENT_PERCENT:
		buf_adds(b, ", \"value\": ");
		buf_json_num(b, e->percent);
		if (e->pct_range) {
			buf_adds(b, ", \"low\": ");
			buf_json_num(b, e->pct_low);
			buf_adds(b, ", \"high\": ");
			buf_json_num(b, e->pct_high);
		}
		break;
	case ENT_DATE:
		buf_adds(b, ", \"value\": ");
		buf_json_str(b, e->date.value);
		break;
	case ENT_PARTY:
		buf_adds(b, ", \"name\": ");
		buf_json_str(b, e->name);
		break;
	}
	buf_addch(b, '}');
}
