/*
 * deals.c: deals from entities and deal rules. Each sentence is
 * normalized to a token string with placeholders for entities (see
 * dealrule.c), after bounded coreference ("it", "its", "the company",
 * "the two companies", "the chipmaker") has put the company it means in
 * place of the words. Every rule runs over every sentence with two or more
 * parties; a match gives a deal with its parties in their roles, its
 * amount, stake, valuation and date, a status from the cue words around
 * it, and the sentence as evidence. Deals that repeat one another are
 * merged.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

#define MAX_SENT_TOKENS 120 /* longer sentences are cut for the rules */
#define MAX_RECENT 16
#define MAX_DEALS 4096

/* A placeholder in a normalized sentence. */
struct ph {
	char kind; /* 'P' party, 'N' unknown name, 'M' money, 'X' excluded
		    * money, 'C' percent, 'D' date */
	size_t start, end;      /* bytes in the text */
	const struct entity *e; /* M, X, C, D */
	const char *name;       /* P, N */
	size_t tok;             /* its token in the sentence normalize()
				 * made (not in one without appositions) */
};

/* The normalized sentence. */
struct norm {
	struct buf s;
	size_t *tstart, *tend; /* bytes in the text of normalized token k */
	size_t *noff;          /* offset in s of normalized token k */
	size_t ntok, captok;
	struct ph *ph;
	size_t nph, capph;
	/* the words it has that no token of the sentence shows ("will" for
	 * "it'll"): emit() marks their groups of wt in synth */
	const struct wordtab *wt;
	uint64_t *synth;
	const char *subject; /* the first party */
	int subject_known;   /* it is on the list */
	int descriptor;      /* the placeholder emitted is "the group" */
	size_t nparty;
	int ph_tok; /* ph[k].tok is the token of placeholder k here */
	/* what n offers the rules beside the word groups of ctx.have: the
	 * count of placeholders of each kind (PH_*) */
	unsigned cnt[4];
};

/* A valuation the rules found: given to a deal at the end. */
struct valmention {
	size_t sent;
	const char *target; /* NULL when the words name none */
	struct amount a;
	struct textref ref;
};

struct found {
	struct deal d;
	size_t sent; /* index of the sentence */
	size_t para;
	size_t order;
	/* the name of a party a CONTEXT slot gave, else NULL */
	const char *from_context;
	int denied;   /* the words deny it ("does not intend to bid") */
	size_t match; /* the rule match that found it (ctx.nmatch) */
};

struct ctx {
	const struct dealrules *d;
	const struct parties *p;
	struct span text;
	const struct entity_list *ents;
	const struct tok_list *toks;
	const struct sentence_list *sents;
	uint64_t *hyph;        /* hyphens() */
	const uint64_t *desc2; /* parties_desc2_bits() */
	struct arena *a;
	pcre2_match_data *md;
	pcre2_match_data *cue_md; /* for status cues, so a rule's ovector
				   * survives them */
	struct buf *err;
	struct buf *explain; /* NULL, or where to say what matched */
	const char *published;
	/* it is a date (date_parse_ymd()), once pub_done */
	int pub_done, pub_ok;
	/* an interview (interview()): 0 unknown, 1 no, 2 yes */
	int interview;
	/* the first company the article names: who "we" are in an
	 * interview, a call or a letter (its headline names them) */
	const char *first_named;
	int limit_hit;
	int cue_hit; /* the last status came from a cue */
	/* some rule had all run_rules() asks of n but words next to its
	 * placeholders: without n's appositions (fewer parties, the same
	 * words and placeholders) none has unless this is set */
	int may_try;
	size_t names_until; /* skim() keeps names before this sentence */
	uint64_t *raw;      /* the groups of d->trig the sentence has */
	uint64_t *have;     /* the groups its normalized form may have */
	uint64_t *cand;     /* the rules to try on it */
	uint64_t *syn;      /* the groups of the words emit() adds */
	/* where known (ph_known), the recognizers' entities and the first
	 * of the sentence being looked at, whose sums, percentages and
	 * dates rule_may_match() counts */
	const struct entity_list *gate_ents;
	size_t gate_ri;
	int ph_known;
	uint64_t *win, *pre; /* word groups near a match, and before it */
	/* the word groups of normalized tokens suf_k to the end of suf_n,
	 * sentence suf_si, once a rule matched it and is to be tried again
	 * further on */
	uint64_t *suf;
	const struct norm *suf_n;
	size_t suf_si, suf_k;
	/* coreference state */
	const char *recent[MAX_RECENT]; /* newest last */
	size_t nrecent;
	const char *subjects[4]; /* subjects of the last sentences, newest
				  * first */
	size_t last_para;
	/* names of two words or more seen so far ("Adatum Systems"), so that
	 * a later "Adatum" is the same company */
	const char *longnames[64];
	size_t nlong;
	/* the words of persons' names a title told ("chief executive Anna
	 * Whitcombe"): a later "Whitcombe said" is her, no company */
	struct span persons[32];
	size_t npersons;
	/* a bit per first two bytes of those (longname_bit()): most names
	 * start none of them, and full_name() looks no further */
	uint64_t longbits[16];
	/* room for names (name_dup()): free bytes from names */
	char *names;
	size_t nnames;
	size_t nmatch; /* rule matches taken so far */
	/* results */
	struct found *f;
	size_t nf, capf;
	struct valmention *val;
	size_t nval, capval;
};

/* A rule's or cue's pattern re over s[0..len) from start: with JIT
 * code (dealrules_jit() said so), straight into it, as pcre2_match()
 * would go after its checks, which these calls pass. */
static inline int
rx_match(int jit, void *re, const char *s, size_t len, size_t start,
    pcre2_match_data *md, void *mctx)
{
	if (jit)
		return pcre2_jit_match(re, (PCRE2_SPTR)s, len, start, 0, md,
		    mctx);
	return pcre2_match(re, (PCRE2_SPTR)s, len, start, 0, md, mctx);
}

/* Lower-case words that are capitalized but name no company. */
static const char *const stop_caps[] = {
	"A",
	"About",
	"According",
	"After",
	"Against",
	"Also",
	"Although",
	"Among",
	"An",
	"Analysts",
	"And",
	"Any",
	"April",
	"As",
	"At",
	"August",
	"Before",
	"Both",
	"But",
	"By",
	"CEO",
	"CFO",
	"COO",
	"CTO",
	"Chairman",
	"Chief",
	"Company",
	"December",
	"Despite",
	"During",
	"Each",
	"Earlier",
	"Either",
	"Even",
	"Executive",
	"February",
	"For",
	"Friday",
	"From",
	"Furthermore",
	"GPU",
	"GPUs",
	"He",
	"Her",
	"His",
	"However",
	"I",
	"IPO",
	"If",
	"In",
	"Inc",
	"Investors",
	"It",
	"Its",
	"January",
	"July",
	"June",
	"Last",
	"Later",
	"March",
	"May",
	"Meanwhile",
	"Monday",
	"Moreover",
	"Mr",
	"Mrs",
	"Ms",
	"Neither",
	"News",
	"No",
	"Nor",
	"November",
	"Now",
	"October",
	"Of",
	"On",
	"Once",
	"One",
	"Or",
	"Our",
	"Over",
	"President",
	"Reuters",
	"Rival",
	"Rivals",
	"Saturday",
	"September",
	"She",
	"Shares",
	"Since",
	"So",
	"Some",
	"Sunday",
	"That",
	"The",
	"Their",
	"Then",
	"There",
	"These",
	"They",
	"This",
	"Those",
	"Thursday",
	"To",
	"Today",
	"Tuesday",
	"Two",
	"U.S",
	"UK",
	"US",
	"Under",
	"Unlike",
	"Until",
	"We",
	"Wednesday",
	"What",
	"When",
	"Where",
	"Whether",
	"Which",
	"While",
	"Who",
	"With",
	"Yet",
	"You",
	"Board",
	"Directors",
	"Agreement",
	"Merger",
	"Plan",
	"Stock",
	"Common",
	"Shareholders",
	"Stockholders",
	"Securities",
	"Exchange",
	"Commission",
	"Act",
	"Note",
	"Notes",
	"Credit",
	"Facility",
	"Series",
	"Preferred",
	"Class",
	"Corporation",
	"Corp",
	"Subsidiary",
	"Parent",
	"Buyer",
	"Seller",
	"Purchaser",
	"Acquisition",
	"Sub",
	"LLC",
	"Department",
	"Justice",
	"Federal",
	"Trade",
	"Government",
	"State",
	"States",
	"United",
	"Court",
	"Bank",
	"Fed",
	"Congress",
	"Senate",
	"House",
	"White",
	"Street",
	"Wall",
	"Journal",
	"Bloomberg",
	"CNBC",
	"AI",
	"Artificial",
	"Intelligence",
	"Nasdaq",
	"NYSE",
	"Dow",
	"S&P",
	"Europe",
	"European",
	"China",
	"Chinese",
	"Japan",
	"Japanese",
	"America",
	"American",
	"Americans",
	"British",
	"Britain",
	"Germany",
	"German",
	"France",
	"French",
	"India",
	"Indian",
	"Canada",
	"Canadian",
	"Texas",
	"California",
	"New",
	"York",
	"London",
	"Tokyo",
	"Washington",
	"Beijing",
	"Q1",
	"Q2",
	"Q3",
	"Q4",
	"Image",
	"Latest",
	"Follow",
	"Read",
	"More",
	"Photo",
	"Getty",
	"Images",
	"Article",
	"Updated",
	"Published",
	"Copyright",
	"Subscribe",
	"Sign",
	"Other",
	"Another",
	"Such",
	"Many",
	"Much",
	"Half",
	"Three",
	"Four",
	"Five",
	"Six",
	"Seven",
	"Eight",
	"Nine",
	"Ten",
	"Founder",
	"Private",
	"Public",
	"Few",
	"Most",
	"All",
	"Several",
	"Why",
	"How",
	"MWh",
	"GWh",
	"KWh",
	"kWh",
	"TWh",
	"MW",
	"GW",
	"Drugmaker",
	"Chipmaker",
	"Automaker",
	"Carmaker",
	"Lender",
	"Insurer",
	"Retailer",
	/* who takes part, not which company: "Members of X voted" */
	"Members",
	"Not",
	"People",
	"Staff",
	"Police",
	"Management",
	"Sources",
	"Dealers",
	"Bankers",
	"Traders",
	"Executives",
	"Lawyers",
	"Insiders",
	"Alongside",
	"Elsewhere",
	"Employees",
	"Regulators",
	"Officials",
	"PIPE",
	"SPAC",
	/* a sentence's first word, not a name's ("Consider Ostrava
	 * Logistics.") */
	"Consider",
	"Look",
	"Still",
	"Yes",
	"Indeed",
	"Instead",
	"Notably",
	"Separately",
	"Similarly",
	"Overall",
	"Here",
	"Together",
	"Ultimately",
	"Recently",
	"Currently",
	"Previously",
	"Already",
	"Additionally",
	"Besides",
	"Thus",
	"Imagine",
	"Remember",
	"Including",
	"Unless",
	"Given",
	"Phase",
	"Dear",
	"Part",
	"REIT",
	"REITs",
};

/* Words that end a capitalized name: "Foo Corp. On Monday". */
static const char *const stop_inner[] = {
	"A",
	"An",
	"And",
	"April",
	"August",
	"But",
	"By",
	"December",
	"For",
	"February",
	"Friday",
	"From",
	"I",
	"In",
	"It",
	"January",
	"July",
	"June",
	"March",
	"May",
	"Monday",
	"November",
	"October",
	"On",
	"Or",
	"Saturday",
	"September",
	"Sunday",
	"The",
	"This",
	"Thursday",
	"To",
	"Tuesday",
	"Wednesday",
	"CEO",
	"Chief",
	"Executive",
	"President",
	"Chairman",
};

/* The words after money that make it no deal amount (a per-share
 * price, a fee, revenue), and those before "of" before it. */
static const char *const money_next1[] = { "each", "apiece", "fee", "revenue",
	"revenues", "sales", "per", "loss", "losses", "profit", "debt",
	"market", "annually", "valuation" };
static const char *const money_prev1[] = { "fee", "revenue", "revenues",
	"sales", "of", "price", "debt", "loss", "profit", "income", "worth" };

/* Determiners, and the nouns after a company that make "the OpenAI
 * rival" some other company and "Trainium chips" a product. */
static const char *const det[] = { "the", "a", "an", "another", "The", "A",
	"An", "Another" };
static const char *const rival[] = { "rival", "rivals", "competitor",
	"competitors", "challenger", "peer", "peers" };
static const char *const product[] = { "chip", "chips", "gpu", "gpus",
	"processor", "processors", "accelerator", "accelerators", "server",
	"servers", "model", "models", "platform", "software", "app", "apps",
	"series", "supercomputer", "supercomputers", "cluster", "clusters",
	"instances", "system", "systems", "devices", "smartphones", "phones",
	/* (and "the Ostrail contract": a company's, no company) */
	"contract", "tender" };

/* Countries, regions and their peoples: "Danish shipping group X",
 * "Germany's Y", "Finnish refiner Z" name a place, not a company (a
 * longer name that starts with one, "Singapore Airlines", still is one). */
static const char *const places[] = { "America", "American", "Americans",
	"Africa", "African", "Argentina", "Argentine", "Asia", "Asian",
	"Australia", "Australian", "Austria", "Austrian", "Belgian", "Belgium",
	"Brazil", "Brazilian", "Britain", "British", "Canada", "Canadian",
	"Chile", "Chilean", "China", "Chinese", "Colombia", "Colombian",
	"Czech", "Danish", "Denmark", "Dutch", "Egypt", "Egyptian", "Emirati",
	"England", "English", "Europe", "European", "Finland", "Finnish",
	"France", "French", "German", "Germany", "Greece", "Greek", "Hungarian",
	"Hungary", "India", "Indian", "Indonesia", "Indonesian", "Ireland",
	"Luxembourg", "Irish", "Israel", "Israeli", "Italian", "Italy", "Japan",
	"Japanese", "Korea", "Korean", "Malaysia", "Malaysian", "Mexican",
	"Mexico", "Nigeria", "Nigerian", "Norway", "Norwegian", "Philippine",
	"Poland", "Polish", "Portugal", "Portuguese", "Qatar", "Qatari",
	"Russia", "Russian", "Saudi", "Scotland", "Scottish", "Singapore",
	"Singaporean", "Spain", "Spanish", "Sweden", "Swedish", "Swiss",
	"Switzerland", "Taiwan", "Taiwanese", "Thai", "Thailand", "Turkey",
	"Turkish", "Vietnam", "Vietnamese", "Wales", "Welsh", "Zealand", "Kong",
	"Arabia", "Carolina", "York", "Slovenia", "Slovenian", "Slovak",
	"Slovakia", "Croatia", "Croatian", "Serbia", "Serbian", "Romania",
	"Romanian", "Bulgaria", "Bulgarian", "Ukraine", "Ukrainian", "Estonia",
	"Estonian", "Latvia", "Latvian", "Lithuania", "Lithuanian", "Iceland",
	"Icelandic", "Peru", "Peruvian", "Venezuela", "Venezuelan", "Ecuador",
	"Ecuadorian", "Bolivia", "Bolivian", "Uruguay", "Uruguayan", "Paraguay",
	"Cuba", "Cuban", "Pakistan", "Pakistani", "Bangladesh", "Bangladeshi",
	"Kenya", "Kenyan", "Ghana", "Ghanaian", "Ethiopia", "Ethiopian",
	"Morocco", "Moroccan", "Algeria", "Algerian", "Tunisia", "Tunisian",
	"Lebanon", "Lebanese", "Kuwait", "Kuwaiti", "Bahrain", "Bahraini",
	"Oman", "Omani", "Iran", "Iranian", "Iraq", "Iraqi", "Kazakhstan",
	"Kazakh", "Mongolia", "Mongolian", "Cambodia", "Cambodian", "Myanmar",
	"Burmese", "Carolinas", "Nordic", "Nordics", "Baltic", "Balkans",
	"Scandinavian", "Latin",
	/* states and provinces ("the Ohio-based manufacturer") */
	"Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado",
	"Connecticut", "Delaware", "Florida", "Georgia", "Hawaii", "Idaho",
	"Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana",
	"Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
	"Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "Ohio",
	"Oklahoma", "Oregon", "Pennsylvania", "Tennessee", "Texas", "Utah",
	"Vermont", "Virginia", "Wisconsin", "Wyoming", "Ontario", "Quebec",
	"Alberta", "Bavaria", "Catalonia", "Lombardy", "Midwest", "South",
	"Californian", "Texan", "Bavarian", "Parisian", "Quebecois", "Iberian",
	"Ugandan", "Filipino", "Tanzanian", "Rwandan", "Zambian", "Jordanian",
	"Franco-German", "Anglo-Dutch", "Anglo-American", "Anglo-French",
	"Sino-American", "Franco-Italian", "Dutch-Italian", "German-French",
	"North", "East", "West", "Western", "Eastern", "Northern", "Southern",
	/* cities where deals are told from */
	"Amsterdam", "Atlanta", "Austin", "Bangalore", "Beijing", "Bengaluru",
	"Berlin", "Boston", "Chicago", "Dallas", "Delhi", "Denver", "Detroit",
	"Dubai", "Frankfurt", "Geneva", "Hangzhou", "Houston", "Istanbul",
	"Jakarta", "London", "Madrid", "Melbourne", "Miami", "Milan", "Mumbai",
	"Munich", "Osaka", "Paris", "Seattle", "Seoul", "Shanghai", "Shenzhen",
	"Stockholm", "Sydney", "Tokyo", "Toronto", "Vancouver", "Zurich",
	"Lisbon", "Dublin", "Oslo", "Copenhagen", "Helsinki", "Warsaw",
	"Prague", "Vienna", "Brussels", "Lagos", "Nairobi", "Cairo", "Riyadh",
	"Doha", "Singapore", "Taipei", "Hanoi", "Manila", "Bangkok", "Hamburg",
	"Stuttgart", "Cologne", "Düsseldorf", "Hanover", "Leipzig", "Dresden",
	"Bremen", "Basel", "Lausanne", "Bern", "Lyon", "Marseille", "Toulouse",
	"Bordeaux", "Lille", "Turin", "Rome", "Naples", "Florence", "Bologna",
	"Genoa", "Barcelona", "Seville", "Bilbao", "Porto", "Rotterdam",
	"Antwerp", "Ghent", "Gothenburg", "Malmö", "Uppsala", "Bergen",
	"Trondheim", "Aarhus", "Tampere", "Espoo", "Turku", "Kraków", "Gdańsk",
	"Gdansk", "Wrocław", "Brno", "Bratislava", "Budapest", "Bucharest",
	"Athens", "Zagreb", "Ljubljana", "Belgrade", "Riga", "Tallinn",
	"Vilnius", "Reykjavik", "Kyiv", "Kiev", "Almaty", "Baku", "Tbilisi",
	"Jeddah", "Muscat", "Manama", "Amman", "Beirut", "Casablanca", "Accra",
	"Abuja", "Kampala", "Kigali", "Johannesburg", "Durban", "Sheffield",
	"Leeds", "Manchester", "Birmingham", "Liverpool", "Bristol", "Glasgow",
	"Edinburgh", "Cardiff", "Belfast", "Newcastle", "Nottingham",
	"Leicester", "Yorkshire", "Lancashire", "Leicestershire", "Cheshire",
	"Derbyshire", "Essex", "Surrey", "Cornwall", "Kyoto", "Nagoya",
	"Yokohama", "Kobe", "Busan", "Incheon", "Guangzhou", "Chengdu", "Wuhan",
	"Tianjin", "Hyderabad", "Chennai", "Pune", "Kolkata", "Karachi",
	"Lahore", "Dhaka", "Montreal", "Calgary", "Ottawa", "Winnipeg",
	"Saskatchewan", "Manitoba", "Brisbane", "Adelaide", "Perth", "Auckland",
	"Pittsburgh", "Cleveland", "Philadelphia", "Minneapolis", "Nashville",
	"Baltimore", "Cincinnati", "Milwaukee", "Monterrey", "Guadalajara",
	"Bogotá", "Bogota", "Medellín", "Lima", "Quito", "Caracas",
	"Montevideo", "Santiago", "Gulf", "Cumbria", "Devon", "Dorset",
	"Somerset", "Suffolk", "Sussex", "Hampshire", "Wiltshire",
	"Gloucestershire", "Oxfordshire", "Hertfordshire", "Northumberland",
	"Swabia", "Swabian", "Bavarian", "Saxony", "Flanders", "Wallonia",
	"Andalusia", "Tuscany", "Piedmont", "Veneto", "Cambridge", "Oxford",
	"Abu", "Dhabi", "Milanese", "Parisian", "Viennese", "Venetian",
	"Florentine", "Catalan", "Basque", "Flemish", "Texan", "Californian",
	"Sicilian", "Tuscan", "Andalusian", "Guangdong", "Zhejiang", "Jiangsu",
	"Jiangxi", "Sichuan", "Hubei", "Hunan", "Anhui", "Fujian", "Shandong",
	"Henan", "Hebei", "Yunnan", "Shaanxi", "Shanxi", "Liaoning", "Jilin",
	"Heilongjiang", "Guangxi", "Hainan", "Guizhou", "Gujarat",
	"Maharashtra", "Karnataka", "Kerala", "Telangana", "Rajasthan",
	"Punjab", "Bengal", "Johor", "Selangor", "Penang", "Sabah", "Sarawak" };

/* Words a Title Case headline capitalizes that name no company
 * ("Salesforce Agrees to Buy Dataloom for $1.9 Billion in Cash"), and
 * the nouns of a trade ("Robotics Maker Kinetiq"). */
static const char *const headline[] = { "A", "About", "Acquire", "Acquires",
	"Assets", "Balance", "Business", "Control", "Majority", "Minority",
	"Part", "Remainder", "Rest", "Shares", "After", "Agree", "Agrees",
	"Amid", "An", "And", "Are", "As", "At", "Be", "Being", "Bid", "Bids",
	"Billion", "Buy", "Buys", "By", "Cash", "Collapse", "Collapses",
	"Company", "Complete", "Completes", "Consider", "Considers", "Deal",
	"Deals", "Denies", "Drops", "Explore", "Explores", "Eyes", "Falls",
	"Firm", "For", "From", "Giant", "In", "Into", "Invest", "Invests",
	"Investment", "Is", "Its", "Maker", "Merge", "Merger", "Merges",
	"Million", "Nears", "Of", "Offer", "Offers", "On", "Over", "Plan",
	"Plans", "Profit", "Provider", "Purchase", "Quarterly", "Raises",
	"Rises", "Rival", "Round", "Said", "Sale", "Says", "Sell", "Sells",
	"Stake", "Startup", "Start-Up", "Sues", "Takes", "Takeover", "Talks",
	"The", "To", "Unit", "Weigh", "Weighs", "Will", "With", "Wins",
	/* verbs of a deal's state, and what is bought */
	"Call", "Calls", "Called", "Off", "Had", "Has", "Have", "Not", "No",
	"Was", "Were", "Sign", "Signs", "Signed", "Terminate", "Terminates",
	"Terminated", "End", "Ends", "Ended", "Multi-Year", "Multiyear", "Chip",
	"Chips", "Memory", "Servers", "Fuel", "Their", "They", "Funding",
	"Raise", "Before", "Next", "Around", "Lead", "Leads", "Led", "Series",
	/* what a headline says the deal does ("..., Expanding Its Cloud
	 * Platform") */
	"Expanding", "Boosting", "Adding", "Creating", "Extending",
	"Strengthening", "Bolstering", "Deepening", "Giving", "Marking",
	"Valuing", "Ending", "Bringing", "Joining",
	/* more verbs and nouns of a deal's headline ("Orrin Mining Walks
	 * Away From Bid", "Fenwick Air Firms Up Order") */
	"Walks", "Walk", "Away", "Up", "Out", "Order", "Orders", "Firms",
	"Scraps", "Pulls", "Seals", "Inks", "Lands", "Secures", "Adds",
	"Closes", "Mulls", "Tops", "Rejects", "Rebuffs", "Backs", "Joins",
	"Towers", "Drops", "Abandons", "Withdraws", "Approach", "Sweetens",
	/* the same verbs in their other forms ("Hilton Hotels Acquired by
	 * Blackstone Group", "Tessaro Announces Merger With ...") */
	"Acquired", "Acquiring", "Acquisition", "Bought", "Buying", "Sold",
	"Selling", "Agreed", "Completed", "Completing", "Announces",
	"Announced", "Announce", "Purchases", "Purchased", "Merged", "Merging",
	"Planned", "Planning", "Invested", "Investing", "Approves", "Approved",
	"Blocks", "Blocked", "Cancelled", "Canceled", "Cancels", "Scrapped",
	"Picks", "Picked", "Snaps", "Snapped", "Forms", "Formed", "Form",
	"Took", "Take", "Stakes", "Offloads", "Divests", "Unveils", "Confirms",
	"Confirmed", "Reaches", "Reached", "Agreement", "Enters", "Enter",
	"Near", "Close", "Closed" };

/* Given names: a capitalized name of two words or more opening with one
 * is a person's ("two former bank engineers, Priya Nair and Tomasz
 * Wolak"), unless a word of a company ends it ("Simon Property
 * Group"). */
static const char *const given_names[] = { "Aaron", "Adam", "Adrian", "Ahmed",
	"Aisha", "Alan", "Albert", "Alejandro", "Alex", "Alexander",
	"Alexandra", "Ali", "Alice", "Alicia", "Amanda", "Amir", "Amit", "Ana",
	"Andrea", "Andreas", "Andrew", "Andrzej", "Angela", "Anil", "Anita",
	"Ankit", "Anna", "Anne", "Antoine", "Anton", "Antonio", "Anjali",
	"Arjun", "Astrid", "Ayumi", "Barbara", "Beatriz", "Benjamin", "Bernard",
	"Brian", "Bruno", "Camille", "Carla", "Carlos", "Carmen", "Caroline",
	"Catherine", "Chen", "Chloe", "Christian", "Christina", "Christine",
	"Christopher", "Claire", "Claudia", "Daniel", "Daniela", "Daniele",
	"David", "Deborah", "Diana", "Diego", "Dmitri", "Elena", "Elif",
	"Elizabeth", "Emily", "Emma", "Eric", "Erik", "Fatima", "Felipe",
	"Fernando", "Francesca", "Francesco", "Francois", "Gabriel", "Giulia",
	"Giuseppe", "Hana", "Hannah", "Hans", "Haruto", "Helen", "Henrik",
	"Hiroshi", "Ibrahim", "Igor", "Ines", "Ingrid", "Isabel", "Isabella",
	"Ivan", "Jacob", "Jakub", "Javier", "Jennifer", "Jessica", "Jiho",
	"Joanna", "Johan", "Jonathan", "Jorge", "Jose", "Joseph", "Juan",
	"Julia", "Julie", "Kaito", "Karen", "Karim", "Katarzyna", "Katherine",
	"Kenji", "Kevin", "Klaus", "Kofi", "Laura", "Lars", "Lena", "Lucas",
	"Lucia", "Luis", "Luca", "Magnus", "Maja", "Marco", "Margaret", "Maria",
	"Mariana", "Marie", "Mark", "Martin", "Mateo", "Matthew", "Mehmet",
	"Michael", "Michelle", "Miguel", "Mikhail", "Min-jun", "Mohammed",
	"Monica", "Nadia", "Natalia", "Nicholas", "Nicola", "Nikolai", "Nina",
	"Noah", "Olga", "Oliver", "Olivia", "Omar", "Pablo", "Paolo",
	"Patricia", "Paul", "Pedro", "Peter", "Pierre", "Piotr", "Priya",
	"Rachel", "Rafael", "Rahul", "Rajesh", "Rebecca", "Ricardo", "Richard",
	"Robert", "Rohan", "Rosa", "Sakura", "Samuel", "Sandra", "Sanjay",
	"Sara", "Sarah", "Sebastian", "Sergei", "Simon", "Sofia", "Sophie",
	"Stefan", "Stephanie", "Sunil", "Susan", "Takeshi", "Tanvir", "Thomas",
	"Timothy", "Tomas", "Tomasz", "Valentina", "Vikram", "Wei", "Wojciech",
	"Yuki", "Yusuf", "Zara", "Zoe" };

/*
 * The word lists above as hash sets, built once: the normalizer asks
 * about every capitalized word. A word's bits say which lists hold it.
 */
enum {
	WL_CAPS = 1,     /* stop_caps */
	WL_INNER = 2,    /* stop_inner */
	WL_DET = 4,      /* det */
	WL_RIVAL = 8,    /* rival */
	WL_PRODUCT = 16, /* product */
	WL_NEXT1 = 32,   /* money_next1: no deal amount before them */
	WL_PREV1 = 64,   /* money_prev1: nor after them and "of" */
	WL_PLACE = 128,  /* place: a country or its people */
	WL_HEAD = 256,   /* headline: capitalized in Title Case only */
	WL_GIVEN = 512,  /* given: a person's first name */
};

#define STOP_CAP 4096
static struct {
	const char *w[STOP_CAP];
	size_t len[STOP_CAP];
	unsigned short list[STOP_CAP]; /* WL_* */
	/* per list (the bit WL_* is 1 << i), a bit per first byte and
	 * length of its words (stop_filt_bit()): most words asked about
	 * have none of them, and no lookup follows */
	uint64_t filt[10][8];
} stopset;
/* filled once for all threads: the crawl's workers each start on an
 * article of their own at the same moment */
static pthread_once_t stopset_once = PTHREAD_ONCE_INIT;

static inline size_t
stop_filt_bit(const char *p, size_t n)
{
	return (size_t)(p[0] & 31) << 4 | (n & 15);
}

/* The length and the first two and last bytes: asked of every
 * capitalized word, so no loop over its bytes. */
static inline __attribute__((always_inline)) size_t
stop_hash(const char *p, size_t n)
{
	size_t h = n * 0x9e37u;

	h ^= (size_t)(unsigned char)p[0] * 0x2b1u;
	h ^= (size_t)(unsigned char)p[n - 1] * 0x1f3u;
	if (n > 1)
		h ^= (size_t)(unsigned char)p[1] * 0x65u;
	return (h ^ h >> 10) & (STOP_CAP - 1);
}

static void
stop_add(const char *w, unsigned list)
{
	size_t n = strlen(w), h = stop_hash(w, n);

	while (stopset.w[h] && strcmp(stopset.w[h], w) != 0)
		h = (h + 1) & (STOP_CAP - 1);
	stopset.w[h] = w;
	stopset.len[h] = n;
	stopset.list[h] |= list;
	{
		size_t b = stop_filt_bit(w, n);

		stopset.filt[__builtin_ctz(list)][b >> 6] |= (uint64_t)1
		    << (b & 63);
	}
}

static void stop_init(void);

/* Is the token in one of the lists (WL_*)? (tok_is() on each of their
 * words, cheaper; always inlined, as the normalizer asks it about most
 * capitalized words) */
static inline __attribute__((always_inline)) int
is_stop(struct span text, const struct tok *t, unsigned list)
{
	const char *p = text.p + t->start;
	size_t n = t->end - t->start, h, b = stop_filt_bit(p, n);

	/* (list is one of WL_*) */
	if (!((stopset.filt[__builtin_ctz(list)][b >> 6] >> (b & 63)) & 1))
		return 0;
	h = stop_hash(p, n);
	while (stopset.w[h]) {
		if (stopset.len[h] == n) {
			size_t k = 0;

			while (k < n && stopset.w[h][k] == p[k])
				k++;
			if (k == n)
				return (stopset.list[h] & list) != 0;
		}
		h = (h + 1) & (STOP_CAP - 1);
	}
	return 0;
}

/* Is t a straight or curly quote? */
static inline int
is_quote(struct span text, const struct tok *t)
{
	const unsigned char *p = (const unsigned char *)text.p + t->start;
	size_t n = t->end - t->start;

	if (n == 1)
		return p[0] == '"' || p[0] == '\'';
	return n == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0x9c || p[2] == 0x9d || p[2] == 0x98 || p[2] == 0x99);
}

/* Does p start with w? (strncmp(p, w, strlen(w)) == 0, cheaper) */
static inline int
has_prefix(const char *p, const char *w)
{
	while (*w)
		if (*p++ != *w++)
			return 0;
	return 1;
}

static int
word_in(struct span text, const struct tok *t, const char *const *list,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tok_is(text, t, list[i]))
			return 1;
	return 0;
}

/* Is the word at token i, ending in "s", the subject of a verb in the
 * singular ("Pallas is in talks"): a name, no plural? */
static int
singular_subject(struct span text, const struct tok *t, size_t i, size_t last)
{
	return i + 1 < last && text.p[t[i].end - 1] == 's' &&
	    (tok_is(text, &t[i + 1], "is") || tok_is(text, &t[i + 1], "has") ||
	        tok_is(text, &t[i + 1], "was") ||
	        tok_is(text, &t[i + 1], "says") ||
	        tok_is(text, &t[i + 1], "does"));
}

/* Does "of" after the name of tokens i to j only say where it is
 * ("Halden Kabel of Norway", "Grayling Industries of Ohio"; not "Bank
 * of America", "Royal Bank of Canada")? */
static int
of_place(struct span text, const struct tok *t, size_t i, size_t j, size_t last)
{
	static const char *const keep[] = { "Bank", "Authority", "Government",
		"Republic", "University", "Port", "City", "State", "Province",
		"Council", "Commonwealth", "Corporation", "Company",
		"Kingdom" };

	if (j == i || j + 2 >= last || !is_stop(text, &t[j + 2], WL_PLACE) ||
	    (j + 3 < last && tok_capitalized(text, &t[j + 3])))
		return 0;
	for (size_t q = 0; q < countof(keep); q++)
		if (tok_is(text, &t[j], keep[q]))
			return 0;
	return 1;
}

/* Does token i open its sentence (first at token first), after an
 * opening quote or bracket if any? */
static int
opens_sentence(struct span text, const struct tok *t, size_t i, size_t first)
{
	const char *p = text.p + t[first].start;
	size_t n = t[first].end - t[first].start;

	return i == first ||
	    (i == first + 1 &&
	        ((n == 1 && (*p == '"' || *p == '\'' || *p == '(')) ||
	            (n == 3 && memcmp(p, "\xe2\x80\x9c", 3) == 0) ||
	            (n == 3 && memcmp(p, "\xe2\x80\x98", 3) == 0)));
}

static int
looks_inflected(struct span text, const struct tok *t)
{
	size_t n = t->end - t->start;
	const char *p = text.p + t->start;

	/* a capital inside, after a small letter: a name ("FairOdds") */
	for (size_t k = 1; k < n; k++)
		if (p[k] >= 'A' && p[k] <= 'Z' && p[k - 1] >= 'a' &&
		    p[k - 1] <= 'z')
			return 0;
	return (n > 4 && memcmp(p + n - 3, "ing", 3) == 0) ||
	    (n > 3 && memcmp(p + n - 2, "ed", 2) == 0) ||
	    (n > 3 && memcmp(p + n - 2, "ly", 2) == 0) ||
	    (n > 3 && p[n - 1] == 's' && p[n - 2] != 's' && p[n - 2] != 'i' &&
	        p[n - 2] != 'u');
}

/* May a fraction in words start at t ("a", "one", "half", "two-thirds",
 * "three-quarters")? Asked of every word: its length and first byte. */
static inline int
fraction_maybe(struct span text, const struct tok *t)
{
	size_t n0 = t->end - t->start;
	unsigned char l0;

	/* (the lengths first: one test for most words) */
	if (n0 > 14 ||
	    !((1u << n0) & (1u << 1 | 1u << 3 | 1u << 4 | 1u << 10 | 1u << 14)))
		return 0;
	l0 = (unsigned char)text.p[t->start] | 0x20;
	return (l0 == 'a' && n0 == 1) || (l0 == 'o' && n0 == 3) ||
	    (l0 == 'h' && n0 == 4) || (l0 == 't' && (n0 == 10 || n0 == 14));
}

/* The share a fraction in words at token i says ("a fifth", "half",
 * "two-thirds") when "of" and a capitalized word (a company) follow it
 * within four tokens; *ntok: its tokens. NULL when there is none. */
static const struct entity *
fraction_at(struct span text, const struct tok *t, size_t i, size_t last,
    size_t *ntok)
{
	static const struct {
		const char *w;
		struct entity e;
	} fr[] = {
		{ "half", { .type = ENT_PERCENT, .percent = 50 } },
		{ "third", { .type = ENT_PERCENT, .percent = 100.0 / 3 } },
		{ "quarter", { .type = ENT_PERCENT, .percent = 25 } },
		{ "fifth", { .type = ENT_PERCENT, .percent = 20 } },
		{ "tenth", { .type = ENT_PERCENT, .percent = 10 } },
		{ "two-thirds", { .type = ENT_PERCENT, .percent = 200.0 / 3 } },
		{ "three-quarters", { .type = ENT_PERCENT, .percent = 75 } },
	};
	size_t k = i, f;

	/* ("of" one or two tokens on: most "a" fail here) */
	if (!(i + 1 < last && tok_is(text, &t[i + 1], "of")) &&
	    !(i + 2 < last && tok_is(text, &t[i + 2], "of")))
		return NULL;
	/* "a fifth", "one fifth"; "half" and "two-thirds" alone */
	if (tok_ieq(text, &t[k], "a") || tok_ieq(text, &t[k], "one"))
		k++;
	if (k >= last)
		return NULL;
	for (f = 0; f < countof(fr) && !tok_ieq(text, &t[k], fr[f].w); f++)
		;
	if (f == countof(fr) || (k == i && f >= 1 && f <= 4) ||
	    (k > i && f > 4) || k + 2 >= last || !tok_is(text, &t[k + 1], "of"))
		return NULL;
	for (size_t j = k + 2; j < last && j <= k + 5; j++)
		if (tok_capitalized(text, &t[j])) {
			*ntok = k - i + 1;
			return &fr[f].e;
		}
	return NULL;
}

/* Is the sentence of tokens [first, last) a headline in Title Case:
 * three words of four letters or more after the first at least, all
 * capitalized? (A sentence in lower case fails at its first such word,
 * most of them early.) */
static int
title_case(struct span text, const struct tok *t, size_t first, size_t last)
{
	size_t caps = 0, lower = 0;

	for (size_t i = first + 1; i < last && !lower; i++) {
		unsigned char b = (unsigned char)text.p[t[i].start];

		if (t[i].kind != TK_WORD || t[i].end - t[i].start < 4)
			continue;
		if (b >= 'A' && b <= 'Z')
			caps++;
		else if (b >= 'a' && b <= 'z')
			lower++;
	}
	return lower == 0 && caps >= 3;
}

/* In a Title Case headline, is capitalized token k a word in lower case
 * ("Agrees", "To", "Buy"), or a trade before its noun ("Robotics Maker
 * Kinetiq", "Data-Integration Firm Dataloom")? */
static int
title_lower(struct span text, const struct tok *t, size_t k, size_t last)
{
	static const char *const trade[] = { "Firm", "Maker", "Company",
		"Giant", "Provider", "Rival", "Startup", "Start-Up", "Unit" };

	if (is_stop(text, &t[k], WL_HEAD))
		return 1;
	/* "High-Bandwidth Memory": a compound before a word in lower case */
	if (k + 1 < last &&
	    memchr(text.p + t[k].start, '-', t[k].end - t[k].start) &&
	    is_stop(text, &t[k + 1], WL_HEAD))
		return 1;
	if (k + 2 < last && tok_capitalized(text, &t[k + 2]))
		for (size_t i = 0; i < countof(trade); i++)
			if (tok_is(text, &t[k + 1], trade[i]))
				return 1;
	return 0;
}

/* "HB-207", "MI400", "A300": a capitalized code with digits is a
 * product, not a company. */
static int
product_code(struct span text, const struct tok *t)
{
	const char *p = text.p + t->start;
	size_t n = t->end - t->start;

	return n >= 3 && n <= 12 && p[n - 1] >= '0' && p[n - 1] <= '9';
}

/* "Nordvik Energi's North Sea fields": a region after a possessive is
 * no part of the name before it. */
static int
region_word(struct span text, const struct tok *t)
{
	return tok_is(text, t, "North") || tok_is(text, t, "South") ||
	    tok_is(text, t, "East") || tok_is(text, t, "West") ||
	    tok_is(text, t, "Central") || is_stop(text, t, WL_PLACE);
}

/* "TOKYO": a word of three letters or more, all capitals. */
static int
all_caps_word(struct span text, const struct tok *t)
{
	size_t n = t->end - t->start;

	if (t->kind != TK_WORD || n < 3)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (text.p[t->start + k] < 'A' || text.p[t->start + k] > 'Z')
			return 0;
	return 1;
}

/* "Tessaly": a word that ends like an adverb. */
static int
ends_ly(struct span text, const struct tok *t)
{
	size_t n = t->end - t->start;

	return n > 3 && memcmp(text.p + t->end - 2, "ly", 2) == 0;
}

/* Is the word at t written capitalized elsewhere in text after a word in
 * lower case or a comma ("backed by Tessaly")? Then "Tessaly, a payments
 * start-up," opens with a name, not an adverb. */
static int
named_inside(struct span text, const struct tok *t)
{
	size_t l = t->end - t->start;
	const char *w = text.p + t->start, *p = text.p, *e = text.p + text.len;

	while ((size_t)(e - p) >= l &&
	    (p = memchr(p, w[0], (size_t)(e - p) - l + 1)) != NULL) {
		if (p != w && memcmp(p, w, l) == 0 && p - text.p >= 2 &&
		    p[-1] == ' ' &&
		    ((p[-2] >= 'a' && p[-2] <= 'z') || p[-2] == ',') &&
		    (p + l == e ||
		        !((p[l] | 0x20) >= 'a' && (p[l] | 0x20) <= 'z')))
			return 1;
		p++;
	}
	return 0;
}

/* "First, back in March we ...": a word opening a sentence before a comma
 * that orders or frames what follows, no company. */
static int
discourse_word(struct span text, const struct tok *t, size_t i, size_t last)
{
	static const char *const w[] = { "first", "second", "third", "fourth",
		"next", "still", "instead", "again", "here", "yes", "sure",
		"well", "look", "plus", "overall", "today", "yesterday",
		"tomorrow", "sadly", "okay", "ok" };

	if (i + 1 >= last || !tok_is(text, &t[i + 1], ","))
		return 0;
	for (size_t k = 0; k < countof(w); k++)
		if (tok_ieq(text, &t[i], w[k]))
			return 1;
	return 0;
}

/* After a sum at token i, "(" and another sum that ends at byte end, then
 * ")": the token of the ")", else 0. */
static __attribute__((noinline)) size_t
money_again(struct span text, const struct tok *t, size_t i, size_t last,
    size_t end)
{
	size_t k = i + 2;

	if (!tok_is(text, &t[i + 1], "("))
		return 0;
	while (k + 1 < last && t[k + 1].start < end)
		k++;
	return k + 1 < last && tok_is(text, &t[k + 1], ")") ? k + 1 : 0;
}

/* A verb of buying ("buy", "acquired")? */
static int
buy_verb(struct span text, const struct tok *t)
{
	static const char *const w[] = { "buy", "buys", "bought", "buying",
		"acquire", "acquires", "acquired", "acquiring", "purchase",
		"purchased", "purchases" };

	return t->kind == TK_WORD && text.p[t->start] >= 'a' &&
	    word_in(text, t, w, countof(w));
}

/* ", for its part," (or "their") at token i, a comma */
static __attribute__((noinline)) int
for_its_part(struct span text, const struct tok *t, size_t i, size_t last)
{
	return i + 4 < last && tok_is(text, &t[i + 1], "for") &&
	    (tok_is(text, &t[i + 2], "its") ||
	        tok_is(text, &t[i + 2], "their")) &&
	    tok_is(text, &t[i + 3], "part") && tok_is(text, &t[i + 4], ",");
}

/* Words that end companies' names ("Industries", "Group"). */
static const char *const name_ends[] = { "Partners", "Capital", "Holdings",
	"Holding", "Group", "Ventures", "Investments", "Industries",
	"Technologies", "Therapeutics", "Pharmaceuticals", "Motors", "Airways",
	"Airlines", "Resources", "Foods", "Brands", "Logistics", "Minerals",
	"Mining", "Properties", "Bank", "Inc", "Corp", "Corporation", "Company",
	"Co", "Ltd", "Limited", "Plc", "PLC", "plc", "LLC", "SA", "AG", "NV",
	"SE", "ASA", "AB", "Oyj", "GmbH", "Systems", "Energy", "Shipbuilding",
	"Engineering", "Electronics", "Investors", "Service", "Services",
	"Goods", "Stores", "Restaurants", "Markets", "League", "Association",
	"Federation", "Club", "Fund", "Trust", "Foundation" };

/* After "Margie's", does a name go on at token k: two capitalized words
 * and then a word that ends names ("Margie's Travel Capital") or a legal
 * suffix ("Macy's Inc"), not a person's name ("Vela Sport's Ines
 * Carvalho on ...") nor one before a word in lower case ("Tessaract
 * Semiconductor's Vireo chips")? (Not asked in a headline in Title
 * Case: "Larkspur's Ines Calloway on Exits".) */
static int
poss_goes_on(struct span text, const struct tok *t, size_t k, size_t last)
{
	/* (every word of name_ends[] is capitalized but "plc") */
	if (!tok_capitalized(text, &t[k]))
		return tok_is(text, &t[k], "plc");
	if (word_in(text, &t[k], name_ends, countof(name_ends)))
		return 1;
	/* (not "Lingxi's Series C round") */
	if (k + 1 >= last || !tok_capitalized(text, &t[k + 1]) ||
	    tok_is(text, &t[k], "Series"))
		return 0;
	for (size_t q = k + 1;
	     q < last && q < k + 4 && tok_capitalized(text, &t[q]); q++)
		if (word_in(text, &t[q], name_ends, countof(name_ends)))
			return 1;
	return 0;
}

/* After a listed company's one-word name at token j, one to three
 * capitalized words on the same line (no entity's: none starts before
 * next), the last of them one that ends a company's name: the last
 * token of that longer name, else 0. */
static size_t
longer_name(struct span text, const struct tok *t, size_t j, size_t last,
    size_t next)
{
	static const char *const ends[] = { "Partners", "Capital", "Holdings",
		"Group", "Ventures", "Investments", "Industries",
		"Technologies", "Robotics", "Therapeutics", "Pharmaceuticals",
		"Motors", "Airways", "Airlines", "Resources", "Foods", "Brands",
		"Logistics", "Sports", "Minerals", "Mining", "Properties" };
	size_t k = j;

	while (k + 1 < last && k < j + 3 && tok_capitalized(text, &t[k + 1]) &&
	    t[k + 1].start == t[k].end + 1 && t[k + 1].start < next &&
	    !t[k + 1].nl_before)
		k++;
	for (; k > j; k--)
		if (word_in(text, &t[k], ends, countof(ends)))
			return k;
	return 0;
}

/* A verb that wants a subject before it: "Tessaly said" opens with a
 * name, as no adverb would ("Separately, ...", "Recently Corvid ..."). */
static int
subject_verb(struct span text, const struct tok *t)
{
	static const char *const v[] = { "said", "says", "has", "had", "will",
		"would", "is", "was", "agreed", "agrees", "announced", "raised",
		"reported", "plans", "signed", "completed", "acquired",
		"bought", "invested", "unveiled" };

	for (size_t i = 0; i < countof(v); i++)
		if (tok_is(text, t, v[i]))
			return 1;
	return 0;
}

/* "US-based", "Paris-based": a compound that ends in lower case. t is
 * token k of the article; hyph: a bit per token with a '-' after its
 * first byte (hyphens()), which most have not. */
static inline int
lower_compound(struct span text, const struct tok *t, size_t k,
    const uint64_t *hyph)
{
	const char *p = text.p + t->start;
	size_t n = t->end - t->start;

	if (!((hyph[k >> 6] >> (k & 63)) & 1))
		return 0;
	/* "Farmers Co-op", "the Co-operative Group": a name's word */
	if (n > 4 && memcmp(p, "Co-op", 5) == 0)
		return 0;
	for (size_t i = n; i-- > 1;)
		if (p[i] == '-')
			return p[i + 1] >= 'a' && p[i + 1] <= 'z';
	return 0;
}

/* "GPUs", "TPUs", "CEOs": capitals and a plural s. (Always inlined: asked
 * of every capitalized word, and most fail its first test.) */
static inline __attribute__((always_inline)) int
acronym_plural(struct span text, const struct tok *t)
{
	size_t n = t->end - t->start;
	const char *p = text.p + t->start;

	if (n < 3 || n > 6 || p[n - 1] != 's')
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (p[i] < 'A' || p[i] > 'Z')
			return 0;
	return 1;
}

/* "We're", "They’ve", "Don't": a capitalized contraction, which names
 * nobody ("O'Neill" and "D’Amico" are no contractions). */
static int
contraction(struct span text, const struct tok *t)
{
	const unsigned char *p = (const unsigned char *)text.p + t->start;
	size_t n = t->end - t->start, s;

	/* the apostrophe, straight or curly, two or three bytes from the
	 * end: most words have none there */
	if (n >= 3 && p[n - 2] == '\'')
		s = n - 1;
	else if (n >= 4 && p[n - 3] == '\'')
		s = n - 2;
	else if (n >= 5 && p[n - 2] == 0x99 && p[n - 3] == 0x80 &&
	    p[n - 4] == 0xe2)
		s = n - 1;
	else if (n >= 6 && p[n - 3] == 0x99 && p[n - 4] == 0x80 &&
	    p[n - 5] == 0xe2)
		s = n - 2;
	else
		return 0;
	/* p[s..n): the suffix; p[s - 1] ends the apostrophe */
	if (n - s == 2)
		return memcmp(p + s, "re", 2) == 0 ||
		    memcmp(p + s, "ve", 2) == 0 || memcmp(p + s, "ll", 2) == 0;
	{
		/* the byte before the apostrophe */
		unsigned char before = p[s - 1] == '\'' ? p[s - 2] : p[s - 4];

		return p[s] == 'm' || p[s] == 'd' ||
		    (p[s] == 't' && before == 'n');
	}
}

static int
norm_grow(struct norm *n, struct arena *a)
{
	size_t nc = n->captok ? n->captok * 2 : 64;
	/* token k is written (emit_done()) before it is read */
	size_t *ts = NEW_UNINIT(a, size_t, nc), *te = NEW_UNINIT(a, size_t, nc);
	size_t *no = NEW_UNINIT(a, size_t, nc);

	if (!ts || !te || !no)
		return DW_ETOOBIG;
	if (n->ntok) {
		memcpy(ts, n->tstart, n->ntok * sizeof(*ts));
		memcpy(te, n->tend, n->ntok * sizeof(*te));
		memcpy(no, n->noff, n->ntok * sizeof(*no));
	}
	n->tstart = ts;
	n->tend = te;
	n->noff = no;
	n->captok = nc;
	return DW_OK;
}

static inline int
norm_reserve(struct norm *n, struct arena *a)
{
	return n->ntok < n->captok ? DW_OK : norm_grow(n, a);
}

/* Room for len more bytes in n->s (len <= 127), and a pointer to them:
 * the next token's bytes go there (emit_done adds the space). There is
 * room: norm_room() made it for the whole sentence. */
static inline char *
emit_room(struct norm *n)
{
	return n->s.data + n->s.len;
}

/* The token of len bytes written at emit_room(), with its bytes in the
 * text (room for it: norm_room()). */
static inline void
emit_done(struct norm *n, size_t len, size_t start, size_t end)
{
	/* n's fields read before anything is written (see emit_word()) */
	char *d = n->s.data;
	size_t o = n->s.len, k = n->ntok;
	size_t *no = n->noff, *ts = n->tstart, *te = n->tend;

	d[o + len] = ' ';
	d[o + len + 1] = 0;
	no[k] = o;
	ts[k] = start;
	te[k] = end;
	n->ntok = k + 1;
	n->s.len = o + len + 1;
}

/*
 * Room in n for what normalize() makes of a sentence of nt tokens, once
 * for the sentence instead of a test at each token: each of its tokens
 * becomes two normalized ones at most ("its" is "@P3 's"), and none
 * takes more than 127 bytes and its space, with room for 127 bytes more
 * when one is written (emit_word_slow(); a placeholder takes 24). Far
 * below the buffer's limit: nt <= MAX_SENT_TOKENS.
 */
static int
norm_room(struct norm *n, struct arena *a, size_t nt)
{
	while (n->captok < 2 * nt + 1)
		if (norm_grow(n, a) != DW_OK)
			return DW_ETOOBIG;
	return buf_grow(&n->s, 256 * nt + 64);
}

/* Append one normalized token with its bytes in the text: a word that
 * is not a token of the sentence, as emit_word() makes those. The rules
 * are tried only on sentences with the words they need (run_rules()):
 * here is where words the sentence does not have come in. */
static int
emit(struct norm *n, const char *s, size_t len, size_t start, size_t end)
{
	if (n->wt)
		(void)wordtab_hits(n->wt, s, len, len, n->synth);
	memcpy(emit_room(n), s, len);
	emit_done(n, len, start, end);
	return DW_OK;
}

/* Is the token n ends with "by", "from" or "with"? */
static inline int
after_agent_preposition(const struct norm *n)
{
	const char *p;

	if (!n->ntok)
		return 0;
	p = n->s.data + n->noff[n->ntok - 1];
	/* (and "across", "into", "towards": places, not a subject) */
	return (p[0] == 'b' && p[1] == 'y' && p[2] == ' ') ||
	    (p[0] == 'f' && has_prefix(p, "from ")) ||
	    (p[0] == 'w' && has_prefix(p, "with ")) ||
	    (p[0] == 'a' && has_prefix(p, "across ")) ||
	    (p[0] == 'i' && has_prefix(p, "into ")) ||
	    (p[0] == 't' && has_prefix(p, "toward"));
}

/* Is the name about to be emitted in a list after "by", "from" or
 * "with" ("joined by Fidelity, Thrive Capital and the Qatar Investment
 * Authority")? Then it is no subject either. */
static int
in_agent_list(const struct norm *n)
{
	size_t k = n->ntok;

	while (k-- > 0) {
		const char *p = n->s.data + n->noff[k];

		if (p[0] == '@' || (p[0] == ',' && p[1] == ' ') ||
		    has_prefix(p, "and ") || has_prefix(p, "the "))
			continue;
		return has_prefix(p, "by ") || has_prefix(p, "from ") ||
		    has_prefix(p, "with ");
	}
	return 0;
}

/* (always inlined: a placeholder every few tokens, and the call with its
 * seven arguments cost more than the bytes it writes) */
static inline __attribute__((always_inline)) int
emit_ph(struct norm *n, struct arena *a, char kind, size_t start, size_t end,
    const struct entity *e, const char *name)
{
	char *p = emit_room(n);
	size_t len = 2;

	if (n->nph == n->capph) {
		size_t nc = n->capph ? n->capph * 2 : 16;
		struct ph *np = NEW(a, struct ph, nc);

		if (!np)
			return DW_ETOOBIG;
		if (n->nph)
			memcpy(np, n->ph, n->nph * sizeof(*np));
		n->ph = np;
		n->capph = nc;
	}
	n->ph[n->nph].kind = kind;
	n->ph[n->nph].start = start;
	n->ph[n->nph].end = end;
	n->ph[n->nph].e = e;
	n->ph[n->nph].name = name;
	n->ph[n->nph].tok = n->ntok;
	p[0] = '@';
	p[1] = kind;
	if (n->nph < 10) {
		/* most sentences have fewer than ten */
		p[len++] = (char)('0' + n->nph);
	} else {
		/* "@P12" without printf, straight into n->s */
		char dig[20];
		size_t nd = 0, v = n->nph;

		do {
			dig[nd++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		while (nd)
			p[len++] = dig[--nd];
	}
	n->nph++;
	{
		/* its kind as the rules count it (PH_*; 'X' not at all) */
		int ph = kind == 'P' || kind == 'N' ? PH_PARTY
		    : kind == 'M'                   ? PH_MONEY
		    : kind == 'C'                   ? PH_PERCENT
		    : kind == 'D'                   ? PH_DATE
		                                    : -1;

		if (ph >= 0)
			n->cnt[ph]++;
	}
	/* the subject: the first company on the list, else the first
	 * name; not the object of "by", "from" or "with" ("a round led by
	 * X") */
	if (kind == 'P' || kind == 'N') {
		if ((!n->subject ||
		        (kind == 'P' && !n->descriptor && !n->subject_known)) &&
		    !after_agent_preposition(n) &&
		    !(n->ntok && n->s.data[n->noff[n->ntok - 1]] != '@' &&
		        in_agent_list(n)))
			n->subject = name;
		if (kind == 'P')
			n->subject_known = 1;
		n->nparty++;
	}
	emit_done(n, len, start, end);
	return DW_OK;
}

/* What emit_word() makes of each byte but the first of a UTF-8 quote or
 * dash: ASCII lower case, '@' and ' ' neutralized as '_'. */
#define WB(c)                                                                  \
	((c) >= 'A' && (c) <= 'Z'          ? (c) - 'A' + 'a'                   \
	        : (c) == '@' || (c) == ' ' ? '_'                               \
	                                   : (c))
#define WB4(c) WB(c), WB((c) + 1), WB((c) + 2), WB((c) + 3)
#define WB16(c) WB4(c), WB4((c) + 4), WB4((c) + 8), WB4((c) + 12)
#define WB64(c) WB16(c), WB16((c) + 16), WB16((c) + 32), WB16((c) + 48)
static const unsigned char word_byte[256] = { WB64(0), WB64(64), WB64(128),
	WB64(192) };

/* A word as the rules see it: ASCII lower case, a curly apostrophe
 * straight, '@' neutralized (any word; emit_word() below takes most). */
static int
emit_word_slow(struct norm *n, struct span text, const struct tok *t)
{
	const unsigned char *p = (const unsigned char *)text.p + t->start;
	size_t len = t->end - t->start, k = 0, i = 0;
	char *w = emit_room(n);

	/* eight bytes at a time while they are plain ASCII without '@'
	 * (a token has no space) */
	while (i + 8 <= len && k + 8 <= 127) {
		const uint64_t hi = 0x8080808080808080u, ones = hi >> 7;
		uint64_t x, at;

		memcpy(&x, p + i, 8);
		at = x ^ ones * '@';
		if ((x & hi) || ((at - ones) & ~at & hi))
			break;
		x |= ((x + ones * (0x80 - 'A')) &
		         ~(x + ones * (0x80 - 'Z' - 1)) & hi) >>
		    2;
		memcpy(w + k, &x, 8);
		i += 8;
		k += 8;
	}
	for (; i < len && k < 127; i++) {
		unsigned char c = p[i];

		if (c == 0xe2 && i + 2 < len && p[i + 1] == 0x80) {
			if (p[i + 2] == 0x99 || p[i + 2] == 0x98) {
				w[k++] = '\'';
				i += 2;
				continue;
			}
			if (p[i + 2] == 0x93 || p[i + 2] == 0x94) {
				w[k++] = '-';
				i += 2;
				continue;
			}
		}
		w[k++] = (char)word_byte[c];
	}
	emit_done(n, k, t->start, t->end);
	return DW_OK;
}

/*
 * The same for most words, inline in normalize(): eight bytes read at
 * once hold the word (and what follows it, written past its end and
 * then overwritten); when none of them is '@' or past ASCII, their
 * capitals go lower case at once (each byte apart: none carries into
 * the next). Always inlined: for most tokens the call cost more than
 * the copy.
 */
static inline __attribute__((always_inline)) int
emit_word(struct norm *n, struct span text, const struct tok *t)
{
	const uint64_t hi = 0x8080808080808080u, ones = hi >> 7;
	size_t len = t->end - t->start;
	uint64_t x, at;

	if (len > 8 || text.len - t->start < 8)
		return emit_word_slow(n, text, t);
	memcpy(&x, text.p + t->start, 8);
	at = x ^ ones * '@';
	if ((x & hi) || ((at - ones) & ~at & hi))
		return emit_word_slow(n, text, t);
	x |=
	    ((x + ones * (0x80 - 'A')) & ~(x + ones * (0x80 - 'Z' - 1)) & hi) >>
	    2;
	{
		/* emit_done() with n's fields read before anything is
		 * written: the bytes written could be any of them, and the
		 * compiler would read each again after each store */
		char *d = n->s.data;
		size_t o = n->s.len, k = n->ntok;
		size_t *no = n->noff, *ts = n->tstart, *te = n->tend;
		uint32_t start = t->start, end = t->end;

		memcpy(d + o, &x, 8);
		d[o + len] = ' ';
		d[o + len + 1] = 0;
		no[k] = o;
		ts[k] = start;
		te[k] = end;
		n->ntok = k + 1;
		n->s.len = o + len + 1;
	}
	return DW_OK;
}

/* Tokens a to b (both in) of t, each as itself. (A call: they are the
 * rare cases, and normalize() keeps one copy of emit_word() inline.) */
static __attribute__((noinline)) int
emit_words(struct norm *n, struct span text, const struct tok *t, size_t a,
    size_t b)
{
	int rc = DW_OK;

	for (size_t k = a; k <= b && rc == DW_OK; k++)
		rc = emit_word(n, text, &t[k]);
	return rc;
}

static void
stop_fill(void)
{
	for (size_t i = 0; i < countof(stop_caps); i++)
		stop_add(stop_caps[i], WL_CAPS);
	for (size_t i = 0; i < countof(stop_inner); i++)
		stop_add(stop_inner[i], WL_INNER);
	for (size_t i = 0; i < countof(det); i++)
		stop_add(det[i], WL_DET);
	for (size_t i = 0; i < countof(rival); i++)
		stop_add(rival[i], WL_RIVAL);
	for (size_t i = 0; i < countof(product); i++)
		stop_add(product[i], WL_PRODUCT);
	for (size_t i = 0; i < countof(money_next1); i++)
		stop_add(money_next1[i], WL_NEXT1);
	for (size_t i = 0; i < countof(money_prev1); i++)
		stop_add(money_prev1[i], WL_PREV1);
	for (size_t i = 0; i < countof(places); i++)
		stop_add(places[i], WL_PLACE);
	for (size_t i = 0; i < countof(headline); i++)
		stop_add(headline[i], WL_HEAD);
	for (size_t i = 0; i < countof(given_names); i++)
		stop_add(given_names[i], WL_GIVEN);
}

static void
stop_init(void)
{
	pthread_once(&stopset_once, stop_fill);
}

/* The placeholder index of "@P12 " at s, or -1. */
static long
ph_index(const char *s, size_t len, char *kind)
{
	long v = 0;
	size_t i = 2;

	if (len < 3 || s[0] != '@')
		return -1;
	*kind = s[1];
	while (i < len && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (s[i++] - '0');
	return i > 2 ? v : -1;
}

/* The bit in ctx.longbits of a name whose first bytes are a and b
 * (five bits of each). */
static inline size_t
longname_bit(char a, char b)
{
	return (size_t)(a & 31) << 5 | (size_t)(b & 31);
}

/* Add name to c->recent, and to c->longnames when it has a space and is
 * not there yet (known: one token has no space, and full_name() gives
 * only names there). */
static inline __attribute__((always_inline)) void
recent_add(struct ctx *c, const char *name, int known)
{
	if (!name)
		return;
	if (!c->first_named)
		c->first_named = name;
	if (!known && strchr(name, ' ') && c->nlong < countof(c->longnames)) {
		/* (name[1] is there: name has a byte, its space) */
		size_t k, b = longname_bit(name[0], name[1]);

		for (k = 0;
		     (c->longbits[b >> 6] >> (b & 63) & 1) && k < c->nlong; k++)
			if (c->longnames[k][0] == name[0] &&
			    strcmp(c->longnames[k], name) == 0)
				break;
		if (!(c->longbits[b >> 6] >> (b & 63) & 1) || k == c->nlong) {
			c->longnames[c->nlong++] = name;
			c->longbits[b >> 6] |= (uint64_t)1 << (b & 63);
		}
	}
	if (c->nrecent) {
		const char *l = c->recent[c->nrecent - 1];

		if (l == name || (l[0] == name[0] && strcmp(l, name) == 0))
			return;
	}
	if (c->nrecent == MAX_RECENT) {
		memmove(c->recent, c->recent + 1,
		    (MAX_RECENT - 1) * sizeof(*c->recent));
		c->nrecent--;
	}
	c->recent[c->nrecent++] = name;
}

/* The company the story is about: the one named most among the last
 * names (the first of those named as often), else NULL. (Counted when
 * asked, which is seldom.) */
static const char *
story_company(const struct ctx *c)
{
	const char *best = NULL;
	size_t bestn = 0;

	for (size_t i = 0; i < c->nrecent; i++) {
		size_t cnt = 0;

		for (size_t k = 0; k < c->nrecent; k++)
			cnt += c->recent[k] == c->recent[i] ||
			    strcmp(c->recent[k], c->recent[i]) == 0;
		if (cnt > bestn) {
			best = c->recent[i];
			bestn = cnt;
		}
	}
	return best;
}

static int unit_name(const char *company, const char *unit);
static int full_form(const char *company, const char *longer);

/* Longer name k, l, or its full form said after it ("Caldera Savings",
 * then "Caldera Savings Bank"). */
static const char *
longest_form(const struct ctx *c, const char *l, size_t k)
{
	for (size_t q = k + 1; q < c->nlong; q++)
		if (c->longnames[q][0] == l[0] &&
		    unit_name(l, c->longnames[q]) &&
		    full_form(l, c->longnames[q]))
			return c->longnames[q];
	return l;
}

/* "Adatum" after "Adatum Systems": the longer name said before whose
 * first words these are, else name itself. (Always inlined: asked of
 * every name not on the list.) */
static inline __attribute__((always_inline)) const char *
full_name(const struct ctx *c, const char *name, size_t len)
{
	/* a longer name l starts with these len bytes and a space: its
	 * first two bytes are name's when len >= 2 */
	if (len >= 2) {
		size_t b = longname_bit(name[0], name[1]);

		if (!(c->longbits[b >> 6] >> (b & 63) & 1))
			return NULL;
	}
	/* (the first named: "Meridia Telecom ... the unit, Meridia Torri
	 * ... Meridia" is the company the story began with) */
	for (size_t k = 0; k < c->nlong; k++) {
		const char *l = c->longnames[k];

		if ((len == 0 || l[0] == name[0]) &&
		    strncmp(l, name, len) == 0 && l[len] == ' ')
			return longest_form(c, l, k);
	}
	return NULL;
}

/* After sentence si, is the short name said alone before the longer
 * name that starts with it: "Quorvex has agreed to invest ..." before
 * "Quorvex Cloud, its infrastructure arm" (a unit, not its full name)? */
static int
alone_first(const struct ctx *c, size_t si, const char *nm, const char *l)
{
	const char *p = c->text.p + c->sents->v[si].end;
	const char *e = c->text.p + c->text.len;
	size_t n = strlen(nm), ln = strlen(l);

	/* (the longer name said by then: full_name()'s own case) */
	for (const char *q = c->text.p; (size_t)(p - q) >= ln; q++)
		if (*q == l[0] && memcmp(q, l, ln) == 0)
			return 0;
	for (; (size_t)(e - p) >= n; p++) {
		if (*p != nm[0] || memcmp(p, nm, n) != 0)
			continue;
		if ((size_t)(e - p) >= ln && memcmp(p, l, ln) == 0)
			return 0;
		if ((size_t)(e - p) == n ||
		    !((p[n] >= 'a' && p[n] <= 'z') ||
		        (p[n] >= 'A' && p[n] <= 'Z')))
			return 1;
	}
	return 0;
}

/* Is the longer name full, whose first n bytes are a company's name,
 * that company's unit in a country ("Ferrozem Portugal", "Siemens
 * India"): another company, not its full name? */
static int
place_unit(const char *full, size_t n)
{
	const char *w = full + n + 1;
	struct tok t = { 0 };

	if (strchr(w, ' '))
		return 0;
	t.start = 0;
	t.end = (uint32_t)strlen(w);
	t.kind = TK_WORD;
	return is_stop((struct span){ w, t.end }, &t, WL_PLACE);
}

/* Is the apostrophe at token i a plural's possessive ("Vessel Foods'
 * takeover"): right after a capitalized word ending in s, a word in
 * lower case after it? */
static int
plural_possessive(struct span text, const struct tok *t, size_t i, size_t last)
{
	if (i == 0 || i + 1 >= last || t[i].end - t[i].start != 1 ||
	    text.p[t[i].start] != '\'' || t[i - 1].end != t[i].start ||
	    t[i + 1].start == t[i].end || !tok_capitalized(text, &t[i - 1]))
		return 0;
	return text.p[t[i - 1].end - 1] == 's' &&
	    text.p[t[i + 1].start] >= 'a' && text.p[t[i + 1].start] <= 'z';
}

/* Is u a particle inside a name ("Cablenet del Norte", "Banco de
 * Chile", "Philips van Houten")? */
static int
name_particle(struct span text, const struct tok *u)
{
	static const char *const parts[] = { "de", "del", "della", "di", "da",
		"do", "dos", "das", "du", "des", "van", "von", "der" };

	if (u->end - u->start > 5 ||
	    (text.p[u->start] != 'd' && text.p[u->start] != 'v'))
		return 0;
	for (size_t k = 0; k < countof(parts); k++)
		if (tok_is(text, u, parts[k]))
			return 1;
	return 0;
}

static int ntok_is(const struct norm *n, size_t k, const char *w);
static const char *ntok_party(const struct norm *n, size_t k);

/* Is t a person's title in lower case, before a person's name ("chief
 * executive Rohan Bhatnagar", "spokeswoman Ana Ruiz")? */
static int
person_title(struct span text, const struct tok *t)
{
	static const char *const titles[] = { "executive", "officer", "founder",
		"co-founder", "cofounder", "chairman", "chairwoman", "chair",
		"president", "spokesman", "spokeswoman", "spokesperson",
		"analyst", "economist", "director", "minister", "secretary",
		"treasurer", "strategist" };
	unsigned char c0 = (unsigned char)text.p[t->start];

	if (t->kind != TK_WORD || c0 < 'a' || c0 > 'z')
		return 0;
	for (size_t k = 0; k < countof(titles); k++)
		if (tok_is(text, t, titles[k]))
			return 1;
	return 0;
}

/* Is the name of tokens i to j a person's, told by a title around it:
 * "chief executive Rohan Bhatnagar", "its chair, Ines Brenner",
 * "Thamnoon Wanglee, vice-president for finance," (names of two words or
 * more)? */
static int
person_name(struct span text, const struct tok *t, size_t i, size_t j,
    size_t first, size_t last)
{
	const struct tok *u;

	static const char *const firm[] = { "Group", "Holdings", "Capital",
		"Partners", "Ventures", "Bank", "Labs", "Systems", "Fund",
		"Foundation", "Trust", "Investments", "Industries",
		"Technologies", "Pharma", "Bio", "Energy", "Media", "Motors",
		"Foods", "Brands", "Advisors", "Management", "Associates",
		"Properties", "Resources", "Securities", "Software" };

	if (j == i)
		return 0;
	if (i > first && person_title(text, &t[i - 1]))
		return 1;
	if (is_stop(text, &t[i], WL_GIVEN)) {
		size_t q = 0;

		while (q < countof(firm) && !tok_is(text, &t[j], firm[q]))
			q++;
		if (q == countof(firm))
			return 1;
	}
	/* "Harrowgate's chief executive, Miriam Osei" */
	if (i > first + 1 && tok_is(text, &t[i - 1], ",") &&
	    person_title(text, &t[i - 2]))
		return 1;
	if (j + 2 >= last || !tok_is(text, &t[j + 1], ","))
		return 0;
	u = &t[j + 2];
	/* "Dana Whitcombe, Corvane's chief executive", "Kenji Arakawa,
	 * Hoshino Denki's president" */
	for (size_t k = j + 2;
	     k < j + 6 && k + 2 < last && tok_capitalized(text, &t[k]); k++)
		if (t[k + 1].kind == TK_POSS) {
			u = &t[k + 2];
			break;
		}
	return person_title(text, u) || tok_is(text, u, "chief") ||
	    tok_is(text, u, "vice-president") || tok_is(text, u, "vice") ||
	    tok_is(text, u, "head") || tok_is(text, u, "managing") ||
	    tok_is(text, u, "senior");
}

/* Is the word at t one of c->persons? */
static int
person_known(const struct ctx *c, struct span text, const struct tok *t)
{
	size_t l = t->end - t->start;

	for (size_t q = 0; q < c->npersons; q++)
		if (c->persons[q].len == l &&
		    memcmp(c->persons[q].p, text.p + t->start, l) == 0)
			return 1;
	return 0;
}

/* Keep the capitalized words of the person's name of tokens i to j. */
static void
person_add(struct ctx *c, struct span text, const struct tok *t, size_t i,
    size_t j)
{
	for (size_t k = i; k <= j; k++) {
		size_t l = t[k].end - t[k].start;

		if (tok_capitalized(text, &t[k]) && l >= 2 &&
		    c->npersons < countof(c->persons) &&
		    !person_known(c, text, &t[k]))
			c->persons[c->npersons++] =
			    (struct span){ text.p + t[k].start, l };
	}
}

/* Are tokens i to j all words of persons' names told before? */
static int
person_words(const struct ctx *c, struct span text, const struct tok *t,
    size_t i, size_t j)
{
	if (!c->npersons)
		return 0;
	for (size_t k = i; k <= j; k++)
		if (!person_known(c, text, &t[k]))
			return 0;
	return 1;
}

/* Is name a party of a deal found in sentence si? Then "Brennick" there
 * is another company than "Brennick Marine" ("Tallis acquired Brennick,
 * Brennick Marine and ..."). */
static int
named_in_sentence(const struct ctx *c, size_t si, const char *name)
{
	for (size_t i = 0; i < c->nf; i++)
		for (size_t q = 0; q < c->f[i].d.nparties && c->f[i].sent == si;
		     q++)
			if (strcmp(c->f[i].d.parties[q].name, name) == 0)
				return 1;
	return 0;
}

static int has_text(const char *s, size_t n, const char *w);
static int has_text_by(const char *s, size_t n, const char *w, size_t a);

/* "X had approached Y about a takeover." then "Y's chief executive
 * rejected the report outright.": talks told in sentence si - 1 that
 * sentence si denies are marked so. */
static void
denial_after(struct ctx *c, size_t si)
{
	static const char *const w[] = { "denied the report", "denied reports",
		"denied the story", "rejected the report",
		"dismissed the report", "dismissed reports",
		"no such conversations", "no such talks", "no such discussions",
		"not in talks", "not in discussions", "denied any talks" };
	const struct sentence *st;
	size_t k = c->nf;
	int any = 0;

	if (si == 0)
		return;
	while (k > 0 && c->f[k - 1].sent >= si - 1)
		if (c->f[--k].sent == si - 1 && c->f[k].d.status == ST_TALKS)
			any = 1;
	if (!any)
		return;
	st = &c->sents->v[si];
	for (size_t i = 0; i < countof(w); i++)
		if (has_text(c->text.p + st->start, st->end - st->start,
		        w[i])) {
			for (size_t q = k; q < c->nf; q++)
				if (c->f[q].sent == si - 1 &&
				    c->f[q].d.status == ST_TALKS)
					c->f[q].denied = 1;
			return;
		}
}

/* Do found deals x and y name the same companies, whatever their roles? */
static int
same_names(const struct deal *x, const struct deal *y)
{
	if (x->nparties != y->nparties)
		return 0;
	for (size_t a = 0; a < x->nparties; a++) {
		size_t b;

		for (b = 0; b < y->nparties; b++)
			if (strcmp(x->parties[a].name, y->parties[b].name) == 0)
				break;
		if (b == y->nparties)
			return 0;
	}
	return 1;
}

/* Drop the deals the words deny ("Ardent does not intend to make an
 * offer for Bellcrest"), and the talks between the same companies the
 * article told of as a rumour: a denied rumour is no deal. */
static void
drop_denied(struct ctx *c)
{
	size_t k = 0;

	for (size_t i = 0; i < c->nf; i++) {
		const struct found *x = &c->f[i];
		int drop = x->denied;

		for (size_t j = 0; j < c->nf && !drop; j++)
			drop = c->f[j].denied && x->d.status == ST_TALKS &&
			    same_names(&c->f[j].d, &x->d);
		if (!drop)
			c->f[k++] = *x;
	}
	c->nf = k;
}

/* Found deal i took a party from the context ("the purchase of Y" and
 * the buyer named before), where its own sentence gave the deal with
 * that party named ("the purchase of Y by X"): the named one stands. */
static int
context_overruled(const struct ctx *c, size_t i)
{
	const struct found *x = &c->f[i];

	if (!x->from_context)
		return 0;
	for (size_t j = 0; j < c->nf; j++) {
		const struct found *y = &c->f[j];
		size_t have = 0, want = 0;

		if (j == i || y->from_context || y->sent != x->sent ||
		    y->d.type != x->d.type)
			continue;
		for (size_t a = 0; a < x->d.nparties; a++) {
			if (x->d.parties[a].name == x->from_context)
				continue;
			want++;
			for (size_t b = 0; b < y->d.nparties; b++)
				if (y->d.parties[b].role ==
				        x->d.parties[a].role &&
				    strcmp(y->d.parties[b].name,
				        x->d.parties[a].name) == 0) {
					have++;
					break;
				}
		}
		if (want && have == want)
			return 1;
	}
	return 0;
}

/* A copy of the n bytes at p with a NUL, in c's arena: in a piece of
 * NAME_ROOM bytes taken once for many names (arena_strndup() for each
 * cost more than the copy); NULL past the arena's limit. */
#define NAME_ROOM 1024
static char *
name_dup(struct ctx *c, const char *p, size_t n)
{
	char *r;

	if (n >= NAME_ROOM / 4)
		return arena_strndup(c->a, p, n);
	if (c->nnames < n + 1) {
		c->names = NEW_UNINIT(c->a, char, NAME_ROOM);
		if (!c->names) {
			c->nnames = 0;
			return NULL;
		}
		c->nnames = NAME_ROOM;
	}
	r = c->names;
	memcpy(r, p, n);
	r[n] = 0;
	c->names += n + 1;
	c->nnames -= n + 1;
	return r;
}

/* Who "it", "its" or "the company" means here: the subject of this
 * sentence when it has one before the word, else of the last sentences. */
static const char *
resolve_it(const struct ctx *c, const struct norm *n)
{
	if (n->subject)
		return n->subject;
	for (size_t i = 0; i < countof(c->subjects); i++)
		if (c->subjects[i])
			return c->subjects[i];
	return NULL;
}

/* Is normalized token k "that" after a verb of telling within four
 * tokens ("X confirmed on Tuesday that Y had agreed")? */
static int
reported_that(const struct norm *n, size_t k)
{
	static const char *const v[] = { "said ", "says ", "confirmed ",
		"confirms ", "announced ", "announces ", "disclosed ",
		"discloses ", "added " };

	if (!has_prefix(n->s.data + n->noff[k], "that "))
		return 0;
	for (size_t q = k; q-- > 0 && q + 5 > k;)
		for (size_t i = 0; i < countof(v); i++)
			if (has_prefix(n->s.data + n->noff[q], v[i]))
				return 1;
	return 0;
}

/* The company right after "said" or "says" in the normalized sentence so
 * far ("X said Y had agreed", "X confirmed on Tuesday that Y had"), else
 * NULL. */
static const char *
reported_subject(const struct norm *n)
{
	for (size_t k = 1; k < n->ntok; k++) {
		const char *w = n->s.data + n->noff[k];
		long idx;
		char kind = 0;

		if (w[0] != '@' ||
		    !(has_prefix(n->s.data + n->noff[k - 1], "said ") ||
		        has_prefix(n->s.data + n->noff[k - 1], "says ") ||
		        reported_that(n, k - 1)))
			continue;
		idx = ph_index(w, n->s.len - n->noff[k], &kind);
		if ((kind == 'P' || kind == 'N') && idx >= 0 &&
		    (size_t)idx < n->nph)
			return n->ph[idx].name;
	}
	return NULL;
}

/* The company whose relative clause the normalized sentence so far is
 * in ("X, which owns 14% of"), else NULL. */
static const char *
relative_subject(const struct norm *n)
{
	for (size_t k = n->ntok; k-- > 2;) {
		const char *w = n->s.data + n->noff[k];

		if (has_prefix(w, ", "))
			return NULL;
		if ((has_prefix(w, "which ") || has_prefix(w, "who ")) &&
		    has_prefix(n->s.data + n->noff[k - 1], ", ") &&
		    n->s.data[n->noff[k - 2]] == '@') {
			char kind = 0;
			long idx = ph_index(n->s.data + n->noff[k - 2],
			    n->s.len - n->noff[k - 2], &kind);

			if ((kind == 'P' || kind == 'N') && idx >= 0 &&
			    (size_t)idx < n->nph)
				return n->ph[idx].name;
			return NULL;
		}
	}
	return NULL;
}

/* The company right before the verb that "it" follows ("Kestrel took
 * it"), else NULL. */
static const char *
verb_subject(const struct norm *n)
{
	size_t k = n->ntok;
	char kind = 0;
	long idx;

	if (k < 2)
		return NULL;
	idx = ph_index(n->s.data + n->noff[k - 2], n->s.len - n->noff[k - 2],
	    &kind);
	if ((kind == 'P' || kind == 'N') && idx >= 0 && (size_t)idx < n->nph)
		return n->ph[idx].name;
	return NULL;
}

/* Who "the company" after a preposition means ("invested $2bn in the
 * company"): the newest company that is not the subject of its clause. */
static const char *
resolve_object(const struct ctx *c, const struct norm *n)
{
	/* "X said Y had agreed to buy 12% of the company": Y is the
	 * subject of the clause, no object of it */
	const char *y = reported_subject(n);
	/* "W's largest shareholder, X, which owns 14% of the company": X
	 * is the subject of its clause, not W */
	const char *rel = y ? NULL : relative_subject(n);
	const char *subj = rel ? rel : n->subject;
	/* "Corvel took a different route: Kestrel took it private": not
	 * the company just before the verb */
	const char *near = verb_subject(n);

	if (near && !rel && !y)
		subj = near;

	/* "X's two founders own 70% of the company": the one company
	 * named, as whose the subject was told, is it; "X's biggest
	 * shareholder, the fund Y, owns 19% of the company": X */
	if (!y && !rel && n->subject && n->ntok >= 3 &&
	    ntok_party(n, 0) == n->subject && ntok_is(n, 1, "'s ")) {
		size_t k, np = 0;

		for (k = 0; k < n->nph; k++)
			np += n->ph[k].kind == 'P' || n->ph[k].kind == 'N';
		if (np == 1)
			return n->subject;
		for (k = 2; k < 4 && k < n->ntok; k++)
			if (ntok_is(n, k, "shareholder ") ||
			    ntok_is(n, k, "investor ") ||
			    ntok_is(n, k, "owner ") || ntok_is(n, k, "backer "))
				return n->subject;
	}
	/* ... and "the company" is X, who told of it */
	if (y && n->subject && strcmp(y, n->subject) != 0)
		return n->subject;
	/* "X said it had a loan from Z, which owns 35% of the company":
	 * Z is the subject of its clause, X of the one told */
	if (y) {
		const char *r = relative_subject(n);

		if (r && strcmp(r, y) != 0)
			return y;
	}
	for (size_t k = n->nph; k-- > 0;)
		if (n->ph[k].kind == 'P' && subj &&
		    strcmp(n->ph[k].name, subj) != 0 &&
		    !(y && strcmp(n->ph[k].name, y) == 0) &&
		    !(near && strcmp(n->ph[k].name, near) == 0))
			return n->ph[k].name;
	for (size_t i = c->nrecent; i-- > 0;)
		if ((!subj || strcmp(c->recent[i], subj) != 0) &&
		    !(y && strcmp(c->recent[i], y) == 0) &&
		    !(near && strcmp(c->recent[i], near) == 0))
			return c->recent[i];
	return NULL;
}

static int
after_preposition(const struct norm *n)
{
	static const char *const preps[] = { "in ", "into ", "to ", "of ",
		"for ", "with ", "from ", "at ", "on ", "by ", "about " };
	const char *p;

	if (!n->ntok)
		return 0;
	p = n->s.data + n->noff[n->ntok - 1];
	for (size_t i = 0; i < countof(preps); i++)
		if (has_prefix(p, preps[i]))
			return 1;
	return 0;
}

/* "Nvidia announced it has invested": after a verb of saying, "it" is
 * the company just before the verb. */
static const char *
resolve_speaker(const struct norm *n)
{
	static const char *const say[] = { "said ", "says ", "announced ",
		"announces ", "told ", "added ", "noted ", "disclosed ",
		"confirmed ", "stated ", "reported " };
	size_t k = n->ntok;
	char kind = 0;
	long idx;

	if (k && has_prefix(n->s.data + n->noff[k - 1], "that "))
		k--;
	if (k < 2)
		return NULL;
	for (size_t i = 0; i < countof(say); i++) {
		if (!has_prefix(n->s.data + n->noff[k - 1], say[i]))
			continue;
		idx = ph_index(n->s.data + n->noff[k - 2],
		    n->s.len - n->noff[k - 2], &kind);
		if (idx >= 0 && (kind == 'P' || kind == 'N'))
			return n->ph[idx].name;
	}
	return NULL;
}

/* Does n end in a verb of saying, maybe with its date ("said on
 * @D3")? */
static int
after_saying(const struct norm *n)
{
	static const char *const say[] = { "said ", "say ", "says ",
		"announced ", "confirmed ", "added " };
	size_t k = n->ntok;

	/* "said that", "said on Tuesday", "said on Tuesday that" */
	if (k && has_prefix(n->s.data + n->noff[k - 1], "that "))
		k--;
	if (k >= 3 && n->s.data[n->noff[k - 1]] == '@' &&
	    has_prefix(n->s.data + n->noff[k - 2], "on "))
		k -= 2;
	if (k && has_prefix(n->s.data + n->noff[k - 1], "that "))
		k--;
	if (!k)
		return 0;
	for (size_t i = 0; i < countof(say); i++)
		if (has_prefix(n->s.data + n->noff[k - 1], say[i]))
			return 1;
	return 0;
}

static int
after_object_verb(const struct norm *n)
{
	static const char *const verbs[] = { "valuing ", "value ", "values ",
		"valued ", "acquire ", "acquiring ", "acquired ", "buy ",
		"buying ", "bought ", "purchase ", "purchased ", "backing ",
		"backed ", "fund ", "funded ", "funding ", "took ", "taking ",
		"giving ", "gave ", "merge ", "making ", "made ", "led ",
		"co-led ", "leads ", "joined ", "joins ", "buys ", "acquires ",
		"backs ", "funds " };
	const char *p;

	if (!n->ntok)
		return 0;
	p = n->s.data + n->noff[n->ntok - 1];
	/* (a placeholder or a mark most often: no verb) */
	if (*p < 'a' || *p > 'z')
		return 0;
	for (size_t i = 0; i < countof(verbs); i++)
		if (has_prefix(p, verbs[i]))
			return 1;
	return 0;
}

/* Are the tokens from k to the end only "one of", "a", "an", "the"? */
static int
in_apposition(const struct norm *n, size_t k)
{
	static const char *const ok[] = { "one ", "of ", "a ", "an ", "the ",
		"among ", "which ", "who ", "is ", "was ", "also ", "itself " };

	if (k >= n->ntok)
		return 0;
	for (; k < n->ntok; k++) {
		size_t i;

		for (i = 0; i < countof(ok); i++)
			if (has_prefix(n->s.data + n->noff[k], ok[i]))
				break;
		if (i == countof(ok))
			return 0;
	}
	return 1;
}

/* Who "its" means: the nearest company before it in this sentence that
 * is not itself a possessive ("Microsoft said it will deploy OpenAI's
 * models across its products"), else as "it". */
static const char *
resolve_its(const struct ctx *c, const struct norm *n)
{
	const char *skip = NULL, *who;

	/* "CoreWeave, which counts Nvidia among its backers": in a relative
	 * clause with no comma yet, the company the clause is about */
	for (size_t k = n->ntok; k-- > 2;) {
		const char *tk = n->s.data + n->noff[k];
		char kind = 0;
		long idx;

		if (has_prefix(tk, ", "))
			break;
		if (!has_prefix(tk, "which ") && !has_prefix(tk, "who "))
			continue;
		if (!has_prefix(n->s.data + n->noff[k - 1], ", "))
			break;
		/* "Nvidia, which is one of its shareholders": not itself */
		if (in_apposition(n, k))
			break;
		idx = ph_index(n->s.data + n->noff[k - 2],
		    n->s.len - n->noff[k - 2], &kind);
		if (idx < 0 || (kind != 'P' && kind != 'N'))
			break;
		/* "Y is controlled by X, which owns 62% of its shares": a
		 * holder's percentage of another's, the company before */
		if (n->ntok >= 2 &&
		    has_prefix(n->s.data + n->noff[n->ntok - 1], "of ")) {
			char k2 = 0;

			(void)ph_index(n->s.data + n->noff[n->ntok - 2],
			    n->s.len - n->noff[n->ntok - 2], &k2);
			for (size_t q = k - 2; k2 == 'C' && q-- > 0;) {
				char k3 = 0;
				long i3 = ph_index(n->s.data + n->noff[q],
				    n->s.len - n->noff[q], &k3);

				if (i3 >= 0 && (k3 == 'P' || k3 == 'N') &&
				    strcmp(n->ph[i3].name, n->ph[idx].name) !=
				        0)
					return n->ph[i3].name;
			}
		}
		return n->ph[idx].name;
	}
	for (size_t k = n->ntok; k-- > 0;) {
		const char *tk = n->s.data + n->noff[k];
		char kind = 0;
		long idx = ph_index(tk, n->s.len - n->noff[k], &kind);

		if (idx < 0 || (kind != 'P' && kind != 'N'))
			continue;
		if (k + 1 < n->ntok &&
		    has_prefix(n->s.data + n->noff[k + 1], "'s "))
			continue;
		/* "CoreWeave buys chips from Nvidia, one of its investors":
		 * not the company the apposition is about */
		if (k + 1 < n->ntok &&
		    has_prefix(n->s.data + n->noff[k + 1], ", ") &&
		    in_apposition(n, k + 2)) {
			skip = n->ph[idx].name;
			continue;
		}
		return n->ph[idx].name;
	}
	who = resolve_it(c, n);
	/* "Y, one of its largest customers": another company than Y, the
	 * subject before, else the company the story is about */
	if (skip && who && strcmp(who, skip) == 0) {
		for (size_t i = 0; i < countof(c->subjects); i++)
			if (c->subjects[i] && strcmp(c->subjects[i], skip) != 0)
				return c->subjects[i];
		who = story_company(c);
		return who && strcmp(who, skip) != 0 ? who : NULL;
	}
	return who;
}

/* The newest company of a sector in context. */
/* Does a name the list does not know end as one of a sector in bits
 * does ("... Capital": a fund; "... Semiconductor": chips; "... Labs":
 * an AI lab)? */
static int
name_of_sector(const struct ctx *c, const char *name, unsigned bits)
{
	static const struct {
		const char *end, *sector;
	} w[] = { { " Fund", "fund" }, { " Capital", "fund" },
		{ " Ventures", "fund" }, { " Partners", "fund" },
		{ " Investors", "fund" }, { " Investments", "fund" },
		{ " Equity", "fund" }, { " Asset Management", "fund" },
		{ " Fund III", "fund" }, { " Fund II", "fund" },
		{ " AI", "ai" }, { " Labs", "ai" }, { " Lab", "ai" },
		{ " Semiconductor", "chips" }, { " Semiconductors", "chips" },
		{ " Micro Devices", "chips" }, { " Silicon", "chips" },
		{ " Cloud", "cloud" }, { " Compute", "cloud" },
		{ " Energy", "energy" }, { " Power", "energy" },
		{ " Foods", "food" }, { " Steel", "steel" },
		{ " Software", "software" }, { " Stores", "retail" } };
	size_t l = strlen(name);

	for (size_t i = 0; i < countof(w); i++) {
		size_t k = strlen(w[i].end);

		if (l > k && memcmp(name + l - k, w[i].end, k) == 0 &&
		    (parties_sector_bit(c->p, w[i].sector) & bits))
			return 1;
	}
	return 0;
}

static const char *
resolve_sector(const struct ctx *c, const struct norm *n, unsigned bits)
{
	for (size_t i = n->nph; i-- > 0;)
		if (n->ph[i].kind == 'P' &&
		    (parties_sectors(c->p, n->ph[i].name) & bits))
			return n->ph[i].name;
	for (size_t i = c->nrecent; i-- > 0;)
		if (parties_sectors(c->p, c->recent[i]) & bits)
			return c->recent[i];
	/* "the fund", "the lab": one the list does not know whose name
	 * says so ("Nawrah Sovereign Fund", "Halcyon Labs") */
	for (size_t i = c->nrecent; i-- > 0;)
		if (name_of_sector(c, c->recent[i], bits) &&
		    !parties_lookup(c->p, span_cstr(c->recent[i])))
			return c->recent[i];
	/* none on the list: a company the list does not know, named
	 * lately ("Tailspin AI ... the startup") */
	for (size_t i = n->nph; i-- > 0;)
		if (n->ph[i].kind == 'N')
			return n->ph[i].name;
	for (size_t i = c->nrecent, k = 0; i-- > 0 && k < 3; k++)
		if (!parties_lookup(c->p, span_cstr(c->recent[i])))
			return c->recent[i];
	return NULL;
}

/* Is the money at e no deal amount: a per-share price, a fee, revenue? */
static int
money_excluded(struct span text, const struct tok_list *toks, size_t after,
    size_t before)
{
	const struct tok *t = toks->v;

	if (after < toks->n) {
		if (is_stop(text, &t[after], WL_NEXT1))
			return !tok_ieq(text, &t[after], "valuation");
		if (after + 1 < toks->n &&
		    (tok_ieq(text, &t[after], "a") ||
		        tok_ieq(text, &t[after], "in")) &&
		    (tok_ieq(text, &t[after + 1], "share") ||
		        tok_ieq(text, &t[after + 1], "revenue") ||
		        tok_ieq(text, &t[after + 1], "sales") ||
		        tok_ieq(text, &t[after + 1], "unit")))
			return 1;
		if (after + 1 < toks->n &&
		    (tok_ieq(text, &t[after + 1], "fee") ||
		        tok_ieq(text, &t[after + 1], "fees")))
			return 1;
	}
	if (before < toks->n && before > 0) {
		if (tok_ieq(text, &t[before], "of") && before >= 1 &&
		    is_stop(text, &t[before - 1], WL_PREV1))
			return 1;
	}
	return 0;
}

/* "It is", "It would not be": "it" that stands for no company. */
static int
expletive_it(struct span text, const struct tok *t, size_t i, size_t last)
{
	static const char *const modal[] = { "would", "will", "could", "may",
		"might", "should" };
	size_t k = i + 2;

	if (!tok_ieq(text, &t[i], "it") || i + 1 >= last)
		return 0;
	if (tok_is(text, &t[i + 1], "is") || tok_is(text, &t[i + 1], "was"))
		return 1;
	if (!word_in(text, &t[i + 1], modal, countof(modal)))
		return 0;
	if (k < last && tok_is(text, &t[k], "not"))
		k++;
	return k < last && tok_is(text, &t[k], "be");
}

/* "as it happens", "it turns out", "it seems": "it" that stands for no
 * company, wherever it is. */
static int
it_idiom(struct span text, const struct tok *t, size_t i, size_t last)
{
	static const char *const v[] = { "happens", "happened", "turns",
		"turned", "seems", "seemed", "appears", "appeared" };

	return i + 1 < last && tok_ieq(text, &t[i], "it") &&
	    word_in(text, &t[i + 1], v, countof(v));
}

/* A lower-case word that may say a company's trade before its noun
 * ("the hospital operator", "the software maker"): none of the words
 * that say which of several ("the other company", "the combined
 * group"). */
static int
trade_word(struct span text, const struct tok *t)
{
	static const char *const not_trade[] = { "other", "new", "same",
		"combined", "merged", "enlarged", "parent", "target", "two",
		"three", "first", "second", "last", "latest", "former",
		"acquiring", "buying", "selling", "private", "public", "whole",
		"entire" };
	size_t n = t->end - t->start;

	if (n < 3 || text.p[t->start] < 'a' || text.p[t->start] > 'z')
		return 0;
	for (size_t i = 0; i < countof(not_trade); i++)
		if (tok_is(text, t, not_trade[i]))
			return 0;
	return 1;
}

/* A word of a company's state before its noun ("the struggling
 * company", "the embattled lender")? */
static int
state_word(struct span text, const struct tok *t)
{
	static const char *const w[] = { "struggling", "troubled", "embattled",
		"ailing", "beleaguered", "cash-strapped", "loss-making",
		"debt-laden", "indebted", "fast-growing", "profitable",
		"unprofitable", "listed", "unlisted", "family-owned",
		"state-owned", "privately-held" };

	return word_in(text, t, w, countof(w));
}

/* Is t a noun that, after "the", stands for the company in context
 * ("the company", "the lender")? trade: after a word of its trade,
 * where "company", "firm", "group" and "chain" belong to a name ("the
 * Redstone group"). */
static int
company_noun(struct span text, const struct tok *t, int trade)
{
	/* (by the first letter, then each a literal: tok_ieq() tells most
	 * by their length) */
	switch (text.p[t->start] | 0x20) {
	case 'a':
		return tok_ieq(text, t, "airline") ||
		    tok_ieq(text, t, "automaker") || tok_ieq(text, t, "app");
	case 'b':
		return tok_ieq(text, t, "bank") || tok_ieq(text, t, "brewer") ||
		    tok_ieq(text, t, "biotech") ||
		    tok_ieq(text, t, "builder") || tok_ieq(text, t, "broker") ||
		    tok_ieq(text, t, "brokerage");
	case 'c':
		if (tok_ieq(text, t, "company") || tok_ieq(text, t, "chain"))
			return !trade;
		return tok_ieq(text, t, "carmaker") ||
		    tok_ieq(text, t, "conglomerate") ||
		    tok_ieq(text, t, "carrier") || tok_ieq(text, t, "club") ||
		    tok_ieq(text, t, "custodian");
	case 'd':
		return tok_ieq(text, t, "drugmaker") ||
		    tok_ieq(text, t, "developer") ||
		    tok_ieq(text, t, "distributor");
	case 'e':
		return tok_ieq(text, t, "explorer");
	case 'f':
		return (tok_ieq(text, t, "firm") || tok_ieq(text, t, "fund")) &&
		    !trade;
	case 'g':
		if (tok_ieq(text, t, "giant"))
			return trade; /* "the Swiss food giant" */
		return tok_ieq(text, t, "group") && !trade;
	case 'i':
		return tok_ieq(text, t, "insurer");
	case 'l':
		return tok_ieq(text, t, "lab") || tok_ieq(text, t, "lender") ||
		    tok_ieq(text, t, "lessor");
	case 'm':
		return tok_ieq(text, t, "manufacturer") ||
		    tok_ieq(text, t, "miner");
	case 'o':
		return tok_ieq(text, t, "operator");
	case 'p':
		return tok_ieq(text, t, "producer");
	case 'r':
		return tok_ieq(text, t, "retailer") ||
		    tok_ieq(text, t, "refiner");
	case 's':
		return tok_ieq(text, t, "supplier") ||
		    tok_ieq(text, t, "startup") ||
		    tok_ieq(text, t, "start-up") ||
		    tok_ieq(text, t, "streamer");
	case 'u':
		return tok_ieq(text, t, "utility");
	default:
		return 0;
	}
}

/* Does the word at i look like an adjective before a noun in lower case
 * ("Organic growth", "Annual sales", "Northern markets")? */
static int
adjective_before_noun(struct span text, const struct tok *t, size_t i,
    size_t last)
{
	static const char *const end[] = { "ic", "al", "ive", "ous", "ful",
		"ary", "ern" };
	size_t n = t[i].end - t[i].start;
	const char *p = text.p + t[i].start;

	if (i + 1 >= last || t[i + 1].kind != TK_WORD ||
	    tok_capitalized(text, &t[i + 1]))
		return 0;
	for (size_t k = 0; k < countof(end); k++) {
		size_t l = strlen(end[k]);

		if (n > l + 2 && memcmp(p + n - l, end[k], l) == 0)
			return 1;
	}
	return 0;
}

static int has_text(const char *s, size_t n, const char *w);

/* Does the text open a letter to shareholders ("Dear fellow
 * shareholders,", "To our Shareholders")? One pass for "hareholders",
 * then a look back at each. */
static int
letter_to_shareholders(const char *p, size_t n)
{
	const char *q = p, *e = p + n;

	while (
	    e - q >= 11 && (q = memchr(q, 'h', (size_t)(e - q) - 10)) != NULL) {
		size_t back = (size_t)(q - p) < 16 ? (size_t)(q - p) : 16;

		if (memcmp(q, "hareholders", 11) == 0 &&
		    (has_text(q - back, back, "Dear ") ||
		        has_text(q - back, back, "To our ") ||
		        has_text(q - back, back, "To Our ")))
			return 1;
		q++;
	}
	return 0;
}

/* Is the article an interview, told in questions and answers ("Q:" and
 * "A:", "edited for length", a call's with its operator, or a letter
 * to shareholders)? Asked the
 * first time a "we" is read. */
static int
interview(struct ctx *c)
{
	const char *p = c->text.p;
	size_t n = c->text.len;

	/* (each looked for by a rare byte of it) */
	if (!c->interview)
		c->interview = has_text_by(p, n, "edited for length", 14) ||
		        has_text_by(p, n, "condensed for clarity", 20) ||
		        has_text_by(p, n, "edited excerpt", 8) ||
		        letter_to_shareholders(p, n) ||
		        /* a call's transcript */
		        has_text_by(p, n, "\nOperator: ", 9) ||
		        has_text_by(p, n, "\nOPERATOR: ", 9) ||
		        (has_text_by(p, n, "\nQ: ", 2) &&
		            has_text_by(p, n, "\nA: ", 2))
		    ? 2
		    : 1;
	return c->interview == 2;
}

static int interview(struct ctx *c);
static const char *story_company(const struct ctx *c);

/* Is t "we", "us" or "our" in an interview, with a company it is about? */
static int
we_us_our(struct ctx *c, struct span text, const struct tok *t)
{
	return (tok_ieq(text, t, "we") || tok_is(text, t, "us") ||
	           tok_ieq(text, t, "our")) &&
	    interview(c) && story_company(c);
}

/* "we", "us" or "our" at t as the company the interview is with
 * ("our": its possessive) */
static int
emit_we(struct ctx *c, struct norm *n, struct span text, const struct tok *t)
{
	int rc = emit_ph(n, c->a, 'P', t->start, t->end, NULL,
	    c->first_named ? c->first_named : story_company(c));

	if (rc == DW_OK && (text.p[t->start] | 0x20) == 'o')
		rc = emit(n, "'s", 2, t->start, t->end);
	return rc;
}

/* Is t a noun a company is told by ("business", "studio", "toolmaker")? */
static int
kind_noun(struct span text, const struct tok *t)
{
	size_t l = t->end - t->start;

	return company_noun(text, t, 0) || tok_ieq(text, t, "business") ||
	    tok_ieq(text, t, "studio") || tok_ieq(text, t, "outfit") ||
	    tok_ieq(text, t, "house") || tok_ieq(text, t, "rival") ||
	    (l >= 5 && memcmp(text.p + t->end - 5, "maker", 5) == 0);
}

/* "a Rotherham business": one capitalized word at token i between "a"
 * and such a noun, never named before, is a place. */
static int
place_before_kind(const struct ctx *c, struct span text, const struct tok *t,
    size_t i, size_t first, size_t last)
{
	size_t l = t[i].end - t[i].start;

	if (i <= first || i + 1 >= last || t[i + 1].kind != TK_WORD ||
	    tok_capitalized(text, &t[i + 1]) ||
	    !(tok_ieq(text, &t[i - 1], "a") ||
	        tok_ieq(text, &t[i - 1], "an")) ||
	    !kind_noun(text, &t[i + 1]))
		return 0;
	for (size_t k = 0; k < c->nrecent; k++)
		if (strlen(c->recent[k]) >= l &&
		    memcmp(c->recent[k], text.p + t[i].start, l) == 0)
			return 0;
	return !full_name(c, text.p + t[i].start, l);
}

/* Are tokens i to j a name in quotes ("the studio behind \"Low
 * Water\""): a title of a work, no company? */
static inline int
quoted(struct span text, const struct tok *t, size_t i, size_t j, size_t first,
    size_t last)
{
	return i > first && t[i - 1].end == t[i].start && j + 1 < last &&
	    t[j + 1].start == t[j].end && is_quote(text, &t[i - 1]) &&
	    is_quote(text, &t[j + 1]);
}

/* "plants in Moravia", "based in Tampere", "near Sanand", "Lyon in
 * Rhone": one capitalized word at token i after "near", or after "in"
 * after a word of a site or a place, is a place. */
static int
place_after_site_slow(struct span text, const struct tok *t, size_t i,
    size_t first)
{
	static const char *const site[] = { "plant", "plants", "factory",
		"factories", "office", "offices", "site", "sites", "mill",
		"mills", "mine", "mines", "facility", "facilities", "based",
		"headquartered", "employees", "workers", "staff", "operations",
		"warehouse", "warehouses", "headquarters", "one", "shop",
		"shops", "workshop", "store", "stores", "branch", "branches",
		"restaurants", "hospitals", "clinics", "campus", "port",
		"terminal", "refinery", "smelter", "yard", "hub", "town",
		"city", "farm", "farms", "outlets", "centre", "center" };

	if (i >= first + 1 && tok_is(text, &t[i - 1], "near"))
		return 1;
	if (i < first + 2 || !tok_is(text, &t[i - 1], "in"))
		return 0;
	/* ("near Sanand in Gujarat": a place in a place) */
	return word_in(text, &t[i - 2], site, countof(site)) ||
	    (tok_capitalized(text, &t[i - 2]) &&
	        (is_stop(text, &t[i - 2], WL_PLACE) ||
	            (i >= first + 3 && tok_is(text, &t[i - 3], "near"))));
}

/* (most words before a name are neither "in" nor "near") */
static inline int
place_after_site(struct span text, const struct tok *t, size_t i, size_t first)
{
	size_t n;

	if (i <= first)
		return 0;
	n = t[i - 1].end - t[i - 1].start;
	return (n == 2 || n == 4) &&
	    (text.p[t[i - 1].start] == 'i' || text.p[t[i - 1].start] == 'n') &&
	    place_after_site_slow(text, t, i, first);
}

/* Does the place word at t read as its people's adjective ("Ugandan",
 * "Japanese", "British", "Saudi", "Dutch")? */
static int
people_adjective(struct span text, const struct tok *t)
{
	const char *p = text.p + t->start;
	size_t n = t->end - t->start;

	return (n > 3 &&
	           (memcmp(p + n - 2, "an", 2) == 0 ||
	               memcmp(p + n - 3, "ese", 3) == 0 ||
	               memcmp(p + n - 3, "ish", 3) == 0 ||
	               memcmp(p + n - 2, "ic", 2) == 0 || p[n - 1] == 'i')) ||
	    tok_is(text, t, "Dutch") || tok_is(text, t, "French") ||
	    tok_is(text, t, "Swiss") || tok_is(text, t, "Greek") ||
	    tok_is(text, t, "Thai");
}

/* "Seattle-based", "Buenos Aires-listed", "Riyadh-headquartered": a
 * word of where a company is? */
static int
based_word(struct span text, const struct tok *t)
{
	static const char *const ends[] = { "-based", "-listed",
		"-headquartered", "-registered" };
	static const size_t lens[] = { 6, 7, 14, 11 };
	const char *p = text.p + t->start;
	size_t n = t->end - t->start;

	/* (each ends in "ed": most words are told by their last byte) */
	if (n < 7 || p[n - 1] != 'd')
		return 0;
	for (size_t q = 0; q < countof(ends); q++)
		if (n > lens[q] &&
		    memcmp(p + n - lens[q], ends[q], lens[q]) == 0)
			return 1;
	return 0;
}

/* "the company", "the firm", "the Seattle-based company" at token i:
 * its length in tokens, else 0. */
static size_t
the_company(struct span text, const struct tok *t, size_t i, size_t last)
{
	size_t k = i + 1;

	if (!tok_ieq(text, &t[i], "the") || k >= last)
		return 0;
	if (k + 1 < last && based_word(text, &t[k]))
		k++;
	/* "the Buenos Aires-listed group" */
	else if (k + 2 < last && tok_capitalized(text, &t[k]) &&
	    based_word(text, &t[k + 1]))
		k += 2;
	/* (not "the Bank of England": a name) */
	if (company_noun(text, &t[k], 0) &&
	    !(tok_capitalized(text, &t[k]) && k + 2 < last &&
	        tok_is(text, &t[k + 1], "of") &&
	        tok_capitalized(text, &t[k + 2])))
		return k - i + 1;
	/* "the Manchester-based frozen-food maker", "the Denver-based
	 * animal clinic operator": one or two words of its trade (not in
	 * an apposition: "Enersud, the Rome-based grid operator owned by
	 * ...") */
	if (k > i + 1 && i > 0 && !tok_is(text, &t[i - 1], ","))
		for (size_t q = k + 1; q < last && q <= k + 2; q++) {
			if (t[q - 1].kind != TK_WORD ||
			    tok_capitalized(text, &t[q - 1]))
				break;
			if (t[q].kind == TK_WORD &&
			    !tok_capitalized(text, &t[q]) &&
			    company_noun(text, &t[q], 1))
				return q - i + 1;
		}
	/* "the Cambridge, Massachusetts-based biotech" */
	if (k == i + 1 && k + 3 < last && tok_capitalized(text, &t[k]) &&
	    tok_is(text, &t[k + 1], ",") && t[k + 2].end - t[k + 2].start > 6 &&
	    memcmp(text.p + t[k + 2].end - 6, "-based", 6) == 0 &&
	    company_noun(text, &t[k + 3], 0))
		return 5;
	/* "the Swiss food giant", "the Danish shipping group": a place
	 * or trade, then a trade, then a noun of one */
	if (k == i + 1 && k + 2 < last && t[k + 1].kind == TK_WORD &&
	    t[k + 2].kind == TK_WORD && !tok_capitalized(text, &t[k + 1]) &&
	    !tok_capitalized(text, &t[k + 2]) &&
	    (is_stop(text, &t[k], WL_PLACE) || trade_word(text, &t[k])) &&
	    trade_word(text, &t[k + 1]) && company_noun(text, &t[k + 2], 1))
		return 4;
	/* "the Ugandan company", "the Dutch group": a people's adjective,
	 * then a noun of a company (not a city's: "the Zurich company" is
	 * told apart by where it is based, which this does not know) */
	if (k == i + 1 && k + 1 < last && t[k + 1].kind == TK_WORD &&
	    !tok_capitalized(text, &t[k + 1]) &&
	    is_stop(text, &t[k], WL_PLACE) && people_adjective(text, &t[k]) &&
	    company_noun(text, &t[k + 1], 0))
		return 3;
	/* "the holding company", "the parent company" */
	if (k == i + 1 && k + 1 < last &&
	    (tok_ieq(text, &t[k], "holding") ||
	        tok_ieq(text, &t[k], "parent")) &&
	    tok_ieq(text, &t[k + 1], "company"))
		return 3;
	/* "the Palo Alto firm": a place of two words (not in an
	 * apposition: "Lumora, the San Francisco lab behind ...") */
	if (k == i + 1 && k + 2 < last && i > 0 &&
	    !tok_is(text, &t[i - 1], ",") && tok_capitalized(text, &t[k]) &&
	    tok_capitalized(text, &t[k + 1]) && t[k + 2].kind == TK_WORD &&
	    !tok_capitalized(text, &t[k + 2]) &&
	    company_noun(text, &t[k + 2], 1))
		return 4;
	/* "the Dearborn carmaker": a place before a noun of a trade (not
	 * "the Redstone group", a name); "the hospital operator", "the
	 * software maker" */
	if (k == i + 1 && k + 1 < last && t[k].kind == TK_WORD &&
	    t[k + 1].kind == TK_WORD && !tok_capitalized(text, &t[k + 1]) &&
	    company_noun(text, &t[k + 1], 1) &&
	    (tok_capitalized(text, &t[k]) || trade_word(text, &t[k])))
		return k - i + 2;
	/* "the struggling company": a word of its state, then any noun of
	 * a company */
	if (k == i + 1 && k + 1 < last && t[k + 1].kind == TK_WORD &&
	    company_noun(text, &t[k + 1], 0) && state_word(text, &t[k]))
		return 3;
	/* "the Sheffield group": a place's group is no name */
	if (k == i + 1 && k + 1 < last && t[k + 1].kind == TK_WORD &&
	    is_stop(text, &t[k], WL_PLACE) && tok_is(text, &t[k + 1], "group"))
		return 3;
	return 0;
}

/* Does a name start at token k: a capitalized word that is no month,
 * weekday or title ("the Italian conglomerate Gruppo Castellan", not
 * "the company Tuesday said")? */
static int
name_at(struct span text, const struct tok *t, size_t k, size_t last)
{
	return k < last && t[k].kind == TK_WORD &&
	    tok_capitalized(text, &t[k]) && !is_stop(text, &t[k], WL_INNER) &&
	    !is_stop(text, &t[k], WL_CAPS);
}

/* Where a descriptor of the name after it ends, the descriptor starting
 * at token i: [the|a|an] and up to five words, the last a noun of a kind
 * of company ("private equity firm", "Chilean food group"), then a name
 * at es (the next entity) or one not on the list; else 0. After "to" it
 * starts with a determiner or a capital ("to acquire network operator X"
 * is a verb's); no word of it is a little word or looks like a verb. */
static size_t
descriptor_end(struct span text, const struct tok *t, size_t i, size_t last,
    size_t es, int after_to)
{
	static const char *const little[] = { "for", "of", "to", "in", "on",
		"at", "with", "from", "by", "and", "or", "that", "which", "its",
		"their", "his", "her", "as", "into" };
	size_t k = i, e;

	if (tok_ieq(text, &t[k], "the") || tok_ieq(text, &t[k], "a") ||
	    tok_ieq(text, &t[k], "an"))
		k++;
	else if (after_to && !tok_capitalized(text, &t[k]))
		return 0;
	/* the noun first (most words after "to" and "from" have none
	 * before a name), then the words before it */
	for (e = k; e < k + 5 && e + 1 < last; e++) {
		if (t[e].kind != TK_WORD || t[e].end > es)
			return 0;
		if (kind_noun(text, &t[e]) && !tok_capitalized(text, &t[e]))
			break;
	}
	if (e == k + 5 || e + 1 >= last ||
	    !(t[e + 1].start == es || name_at(text, t, e + 1, last)))
		return 0;
	for (; k < e; k++) {
		size_t l = t[k].end - t[k].start;
		const char *p = text.p + t[k].start;

		if (!tok_capitalized(text, &t[k]) &&
		    ((l > 3 && memcmp(p + l - 2, "ed", 2) == 0) ||
		        (l > 4 && memcmp(p + l - 3, "ing", 3) == 0 &&
		            !tok_is(text, &t[k], "shipping") &&
		            !tok_is(text, &t[k], "mining") &&
		            !tok_is(text, &t[k], "banking") &&
		            !tok_is(text, &t[k], "holding"))))
			return 0;
		for (size_t q = 0; l <= 5 && q < countof(little); q++)
			if (tok_ieq(text, &t[k], little[q]))
				return 0;
	}
	return e + 1;
}

static int deal_noun_before(struct span text, const struct tok *t, size_t i,
    size_t first);

/* Is token i, of n0 bytes and first byte l0 in lower case, a preposition
 * a company's descriptor may follow before its name: "to", "by", "from",
 * "with", or "of" and "for" after a deal's noun? */
static inline __attribute__((always_inline)) int
desc_preposition(struct span text, const struct tok *t, size_t i, size_t first,
    size_t n0, unsigned char l0)
{
	const char *p = text.p + t[i].start;

	(void)l0;
	/* (bytes compared in place: asked of every word of two to four
	 * bytes that starts with one of their letters) */
	if (n0 == 2)
		return (p[0] == 't' && p[1] == 'o') ||
		    (p[0] == 'b' && p[1] == 'y') ||
		    (p[0] == 'o' && p[1] == 'f' &&
		        deal_noun_before(text, t, i, first));
	if (n0 == 4)
		return memcmp(p, "from", 4) == 0 || memcmp(p, "with", 4) == 0;
	return n0 == 3 && memcmp(p, "for", 3) == 0 &&
	    deal_noun_before(text, t, i, first);
}

/* Is the word before token i one of a deal's ("acquisition of",
 * "offer for"), where a descriptor may come before the name? */
static int
deal_noun_before(struct span text, const struct tok *t, size_t i, size_t first)
{
	const struct tok *u = &t[i - 1];

	if (i <= first || u->kind != TK_WORD)
		return 0;
	switch (text.p[u->start]) {
	case 'a':
		return tok_is(text, u, "acquisition") ||
		    tok_is(text, u, "approach");
	case 'b':
		return tok_is(text, u, "bid") || tok_is(text, u, "buyout");
	case 'c':
		return tok_is(text, u, "control");
	case 'm':
		return tok_is(text, u, "merger");
	case 'o':
		return tok_is(text, u, "offer");
	case 'p':
		return tok_is(text, u, "purchase");
	case 's':
		return tok_is(text, u, "sale");
	case 't':
		return tok_is(text, u, "takeover");
	default:
		return 0;
	}
}

/* May the_company() find one at token i? 0 when it cannot: the word
 * after "the" starts with none of the letters its nouns start with, and
 * is no "Seattle-based". (Inline: asked of every "the", which most
 * words after it answer at once.) */
static inline int
the_company_maybe(struct span text, const struct tok *t, size_t i, size_t last)
{
	size_t k = i + 1;

	if (k >= last)
		return 0;
	if (company_noun(text, &t[k], 0))
		return 1;
	/* ("the Dearborn carmaker", "the hospital operator") */
	if (text.p[t[k].start] >= 'A' && text.p[t[k].start] <= 'Z')
		return 1;
	if (k + 1 < last && company_noun(text, &t[k + 1], 0))
		return 1;
	return t[k].end - t[k].start > 6 && text.p[t[k].end - 6] == '-';
}

/* The first bytes of words normalize() looks at more closely: capitals
 * (3: ASCII, or the first byte of "Ø" or "É"), and 't', 'b' and 'i' in
 * either case (1). */
#define FB(c)                                                                  \
	(((c) >= 'A' && (c) <= 'Z') || ((c) >= 0xc3 && (c) <= 0xd4) ? 3        \
	        : (c) == 't' || (c) == 'b' || (c) == 'i'            ? 1        \
	                                                            : 0)
#define FB4(c) FB(c), FB((c) + 1), FB((c) + 2), FB((c) + 3)
#define FB16(c) FB4(c), FB4((c) + 4), FB4((c) + 8), FB4((c) + 12)
#define FB64(c) FB16(c), FB16((c) + 16), FB16((c) + 32), FB16((c) + 48)
static const unsigned char first_byte[256] = { FB64(0), FB64(64), FB64(128),
	FB64(192) };

/* Into *es and *ee the bytes of entity xi of ev[0..ne), SIZE_MAX past
 * them. */
static inline void
ent_bounds(const struct entity *ev, size_t ne, size_t xi, size_t *es,
    size_t *ee)
{
	*es = xi < ne ? ev[xi].start : SIZE_MAX;
	*ee = xi < ne ? ev[xi].end : SIZE_MAX;
}

/*
 * Normalize sentence si into n.
 */
static int
normalize(struct ctx *c, size_t si, size_t *ei, struct norm *n)
{
	const struct sentence *s = &c->sents->v[si];
	const struct tok *t = c->toks->v;
	const struct entity *ev = c->ents->v;
	size_t ne = c->ents->n;
	size_t last = MIN(s->last, s->first + MAX_SENT_TOKENS);
	struct span text = c->text;
	/* the entity cursor in a local: the bytes written below could alias
	 * *ei, which the compiler would then read again at every token */
	size_t xi = *ei, es, ee;
	int title;

	ent_bounds(ev, ne, xi, &es, &ee);
	buf_reset(&n->s);
	n->ntok = 0;
	n->nph = 0;
	memset(n->cnt, 0, sizeof(n->cnt));
	n->subject = NULL;
	n->subject_known = 0;
	n->nparty = 0;
	n->ph_tok = 1;
	if (n->wt)
		memset(n->synth, 0, n->wt->nwords * sizeof(*n->synth));
	/* a headline in Title Case */
	title = title_case(text, t, s->first, last);
	if (norm_room(n, c->a, last - s->first) != DW_OK)
		return DW_ETOOBIG;
	for (size_t i = s->first; i < last; i++) {
		const struct tok *tk = &t[i];
		size_t dl = 0, tl;
		unsigned bits;
		int rc = DW_OK, the;
		char c0;

		/* (es and ee: ev[xi]'s bytes, in locals, read again
		 * wherever xi moves) */
		while (ee <= tk->start)
			ent_bounds(ev, ne, ++xi, &es, &ee);
		/* most tokens: a word in lower case, a number or a mark,
		 * in no entity, which every test below would pass by (those want
		 * a capital, or a word of three or four bytes with t, "it",
		 * "its", "it'll" or "both"): the word itself */
		if (tk->kind != TK_POSS && es >= tk->end) {
			unsigned char b0 = (unsigned char)text.p[tk->start];
			unsigned char l0 = b0 | 0x20;
			size_t n0 = tk->end - tk->start;

			/* (a first byte of none of those classes, most, is
			 * told by one look at first_byte[]; a mark of one
			 * byte is the mark itself unless it is '(' or a
			 * quote, which the tests below look at) */
			if (tk->kind == TK_PUNCT ? n0 == 1 && b0 != '(' &&
			            b0 != '"' && b0 != '\''
			                         : !first_byte[b0] ||
			            (!(first_byte[b0] & 2) &&
			                !(l0 == 't' && (n0 == 3 || n0 == 4)) &&
			                !(l0 == 'b' && n0 == 4) &&
			                !(l0 == 'i' && n0 >= 2 &&
			                    (text.p[tk->start + 1] | 0x20) ==
			                        't'))) {
				/* "a fifth of Zipkart": a stake in words, as
				 * a percentage (only before a company: "a
				 * third of its staff" is none) */
				const struct entity *fe = NULL;
				size_t fl = 0;

				/* "X, for its part, walked away": the aside
				 * goes, or its "its" would be a company */
				if (b0 == ',' &&
				    for_its_part(text, t, i, last)) {
					i += 4;
					continue;
				}
				if (n0 <= 14 &&
				    ((1u << n0) &
				        (1u << 1 | 1u << 3 | 1u << 4 |
				            1u << 10 | 1u << 14)) &&
				    tk->kind == TK_WORD &&
				    fraction_maybe(text, tk))
					fe = fraction_at(text, t, i, last, &fl);
				if (fe) {
					rc = emit_ph(n, c->a, 'C', tk->start,
					    t[i + fl - 1].end, fe, NULL);
					i += fl - 1;
				} else if (((n0 == 2 &&
				                (l0 == 'w' || l0 == 'u')) ||
				               (n0 == 3 && l0 == 'o')) &&
				    we_us_our(c, text, tk)) {
					/* "we", "us" and "our" in an interview:
					 * the company the interview is with */
					rc = emit_we(c, n, text, tk);
				} else {
					rc = emit_word(n, text, tk);
					/* "sold to New York private equity firm
					 * Harrowgate", "from chipmaker X": what
					 * a company is, between a preposition
					 * and its name, tells the rules nothing */
					if (rc == DW_OK && i + 1 < last &&
					    (n0 == 2 || n0 == 4 ||
					        (n0 == 3 && l0 == 'f')) &&
					    (l0 == 't' || l0 == 'b' ||
					        l0 == 'f' || l0 == 'w' ||
					        l0 == 'o') &&
					    desc_preposition(text, t, i,
					        s->first, n0, l0)) {
						size_t k = descriptor_end(text,
						    t, i + 1, last, es,
						    l0 == 't');

						if (k)
							i = k - 1;
					}
				}
				if (rc != DW_OK)
					return rc;
				continue;
			}
		}
		if (es < tk->end) {
			const struct entity *e = &ev[xi];
			size_t j = i;
			char kind;

			while (j + 1 < last && t[j + 1].start < e->end)
				j++;
			switch (e->type) {
			case ENT_PARTY:
				kind = 'P';
				/* "executive Dana Whitcomb": a listed
				 * company's name opening a person's */
				if (j == i && i > s->first && j + 1 < last &&
				    person_title(text, &t[i - 1]) &&
				    tok_capitalized(text, &t[j + 1])) {
					size_t k = j + 1;

					while (k + 1 < last && k < j + 3 &&
					    tok_capitalized(text, &t[k + 1]))
						k++;
					person_add(c, text, t, i, k);
					rc = emit_words(n, text, t, i, k);
					if (rc != DW_OK)
						return rc;
					ent_bounds(ev, ne, ++xi, &es, &ee);
					i = k;
					continue;
				}
				/* "Tidewater Sports Partners": a listed
				 * company's one-word name opening a longer
				 * one that is not on the list */
				if (j == i) {
					size_t end =
					    longer_name(text, t, j, last,
					        xi + 1 < ne ? ev[xi + 1].start
					                    : SIZE_MAX);

					if (end) {
						const char *nm = name_dup(c,
						    text.p + tk->start,
						    t[end].end - tk->start);

						if (!nm)
							return DW_ETOOBIG;
						rc = emit_ph(n, c->a, 'N',
						    tk->start, t[end].end, NULL,
						    nm);
						if (rc != DW_OK)
							return rc;
						recent_add(c, nm, 0);
						ent_bounds(ev, ne, ++xi, &es,
						    &ee);
						i = end;
						continue;
					}
				}
				/* "the OpenAI rival" is not OpenAI */
				if (i > s->first && j + 1 < last &&
				    is_stop(text, &t[i - 1], WL_DET) &&
				    is_stop(text, &t[j + 1], WL_RIVAL)) {
					int rc2 = emit_words(n, text, t, i, j);

					if (rc2 != DW_OK)
						return rc2;
					ent_bounds(ev, ne, ++xi, &es, &ee);
					i = j;
					continue;
				}
				break;
			case ENT_MONEY:
				kind = money_excluded(text, c->toks, j + 1,
				           i > 0 ? i - 1 : c->toks->n)
				    ? 'X'
				    : 'M';
				break;
			case ENT_PERCENT:
				kind = 'C';
				break;
			default:
				kind = 'D';
				break;
			}
			/* "AMD (AMD)": a repeat inside parentheses */
			if (kind == 'P' && n->nph && i > s->first &&
			    tok_is(text, &t[i - 1], "(") &&
			    n->ph[n->nph - 1].kind == 'P' &&
			    n->ph[n->nph - 1].name == e->name) {
				if (j + 1 < last &&
				    tok_is(text, &t[j + 1], ")"))
					j++;
				/* drop the "(" emitted before (were it a
				 * placeholder, has_adjacent() would look for
				 * them) */
				n->ntok--;
				if (n->ph[n->nph - 1].tok == n->ntok)
					n->ph_tok = 0;
				n->s.len = n->noff[n->ntok];
				n->s.data[n->s.len] = 0;
				i = j;
				ent_bounds(ev, ne, ++xi, &es, &ee);
				continue;
			}
			/* "Nvidia Blackwell chips", "Entergy Louisiana": the
			 * capitalized words after a company stay with it */
			while (kind == 'P' && j + 1 < last &&
			    t[j + 1].start == t[j].end + 1 &&
			    tok_capitalized(text, &t[j + 1]) &&
			    !is_stop(text, &t[j + 1], WL_INNER) &&
			    !acronym_plural(text, &t[j + 1]) &&
			    !(xi + 1 < ne && ev[xi + 1].start < t[j + 1].end) &&
			    !(title && title_lower(text, t, j + 1, last)))
				j++;
			rc = emit_ph(n, c->a, kind, t[i].start, t[j].end, e,
			    e->type == ENT_PARTY ? e->name : NULL);
			if (kind == 'P')
				recent_add(c, e->name, 0);
			ent_bounds(ev, ne, ++xi, &es, &ee);
			i = j;
			/* "A$210 million ($137 million)": the sum again in
			 * another currency says nothing more */
			if (e->type == ENT_MONEY && i + 3 < last && xi < ne &&
			    ev[xi].type == ENT_MONEY &&
			    ev[xi].start == t[i + 2].start &&
			    (j = money_again(text, t, i, last, ev[xi].end)) !=
			        0) {
				i = j;
				ent_bounds(ev, ne, ++xi, &es, &ee);
			}
			if (rc != DW_OK)
				return rc;
			continue;
		}
		/* "(NASDAQ: KSTB)" says nothing more */
		if (tok_is(text, tk, "(") && i + 3 < last &&
		    tok_is(text, &t[i + 2], ":") &&
		    (tok_is(text, &t[i + 1], "NASDAQ") ||
		        tok_is(text, &t[i + 1], "Nasdaq") ||
		        tok_is(text, &t[i + 1], "NYSE") ||
		        tok_is(text, &t[i + 1], "OTC") ||
		        tok_is(text, &t[i + 1], "TSX") ||
		        tok_is(text, &t[i + 1], "LSE"))) {
			size_t j = i + 3;

			while (
			    j < last && j < i + 6 && !tok_is(text, &t[j], ")"))
				j++;
			if (j < last && tok_is(text, &t[j], ")")) {
				while (xi < ne && ev[xi].start < t[j].end)
					xi++;
				ent_bounds(ev, ne, xi, &es, &ee);
				i = j;
				continue;
			}
		}
		/* "AMD (AMD)", "Amazon Web Services (AWS)": a one-word
		 * parenthesis after a company repeats it */
		if (tok_is(text, tk, "(") && i + 2 < last &&
		    tok_is(text, &t[i + 2], ")") && n->ntok &&
		    !(xi < ne && ev[xi].start < t[i + 1].end &&
		        ev[xi].type != ENT_PARTY)) {
			while (xi < ne && ev[xi].start < t[i + 2].end)
				xi++;
			ent_bounds(ev, ne, xi, &es, &ee);
			i += 2;
			continue;
		}
		/* quotes say nothing to the rules */
		/* "Vessel Foods' takeover": a plural's possessive */
		if (tk->kind == TK_PUNCT && is_quote(text, tk) &&
		    plural_possessive(text, t, i, last)) {
			rc = emit(n, "'s", 2, tk->start, tk->end);
			if (rc != DW_OK)
				return rc;
			continue;
		}
		if (tk->kind == TK_PUNCT && is_quote(text, tk)) {
			/* "Tidemark Robotics' round": a plural's possessive */
			if (i > s->first && t[i - 1].end == tk->start &&
			    t[i - 1].kind == TK_WORD &&
			    (text.p[tk->start - 1] | 0x20) == 's' &&
			    i + 1 < last && t[i + 1].start > tk->end &&
			    (tok_is(text, tk, "'") ||
			        tok_is(text, tk, "\xe2\x80\x99"))) {
				rc = emit(n, "'s", 2, tk->start, tk->end);
				if (rc != DW_OK)
					return rc;
			}
			continue;
		}
		if (tk->kind == TK_POSS) {
			rc = emit(n, "'s", 2, tk->start, tk->end);
			if (rc != DW_OK)
				return rc;
			continue;
		}
		/* coreference (each test below wants "the", "it", "its",
		 * "both" or a capital first) */
		c0 = text.p[tk->start] | 0x20;
		tl = tk->end - tk->start;
		/* "the" in any case (only it starts a descriptor or "the
		 * company") */
		the = c0 == 't' && tl == 3 &&
		    (text.p[tk->start + 1] | 0x20) == 'h' &&
		    (text.p[tk->start + 2] | 0x20) == 'e';
		bits = the && desc2_maybe_toks(c->desc2, text, c->toks, i)
		    ? parties_sector_descriptor(c->p, text, c->toks, i, &dl)
		    : 0;
		/* "the Italian conglomerate Gruppo Castellan": a descriptor
		 * before a name tells of that name, no company before */
		if (bits && i + dl <= last && name_at(text, t, i + dl, last)) {
			rc = emit_words(n, text, t, i, i + dl - 1);
			if (rc != DW_OK)
				return rc;
			i += dl - 1;
			continue;
		}
		if (bits && i + dl <= last) {
			/* "X, the sovereign fund that ...": X */
			const char *who = n->ntok >= 2 &&
			        ntok_is(n, n->ntok - 1, ", ") &&
			        ntok_party(n, n->ntok - 2)
			    ? ntok_party(n, n->ntok - 2)
			    : resolve_sector(c, n, bits);

			if (who) {
				n->descriptor = 1;
				rc = emit_ph(n, c->a, 'P', tk->start,
				    t[i + dl - 1].end, NULL, who);
				n->descriptor = 0;
				i += dl - 1;
				if (rc != DW_OK)
					return rc;
				continue;
			}
		}
		/* "X and Y said on Monday they had formed": "they" is
		 * the two already there */
		if (c0 == 't' && n->nparty >= 2 && tok_ieq(text, tk, "they") &&
		    after_saying(n))
			continue;
		/* (the lengths of "it", "its", "it'll", "it’ll", "the" first:
		 * most words have none of them) */
		if (((c0 == 'i' &&
		         (tl == 2 || tl == 3 || tl == 5 || tl == 7)) ||
		        the) &&
		    (tok_ieq(text, tk, "it") || tok_ieq(text, tk, "its") ||
		        tok_ieq(text, tk, "it'll") ||
		        tok_ieq(text, tk, "it\xe2\x80\x99ll") ||
		        (the_company_maybe(text, t, i, last) &&
		            (dl = the_company(text, t, i, last)) != 0 &&
		            !name_at(text, t, i + dl, last)))) {
			/* "X said it would buy Y, paying the solar
			 * developer's founders": a trade's descriptor in a
			 * sentence that named two companies is the other */
			/* "X, the company's largest investor": not X */
			int appos_poss = the && i + dl < last &&
			    t[i + dl].kind == TK_POSS && n->ntok >= 2 &&
			    ntok_is(n, n->ntok - 1, ", ") &&
			    ntok_party(n, n->ntok - 2);
			const char *who = tok_ieq(text, tk, "its")
			    ? resolve_its(c, n)
			    : after_preposition(n) || after_object_verb(n) ||
			        appos_poss || (the && dl > 2 && n->nparty >= 2)
			    ? resolve_object(c, n)
			    : resolve_speaker(n);
			size_t end = tk->end;

			if (!who && !tok_ieq(text, tk, "its") &&
			    !after_preposition(n) && !after_object_verb(n))
				who = resolve_it(c, n);
			/* "the hospital operator" opening a paragraph, or "it"
			 * with no company named in the sentences before: the
			 * company the story is about */
			if (!who && (the || tok_ieq(text, tk, "it")))
				who = story_company(c);

			if (who &&
			    !(i + 1 < last && expletive_it(text, t, i, last) &&
			        !n->subject) &&
			    !it_idiom(text, t, i, last)) {
				int poss = tok_ieq(text, tk, "its");

				if (tok_ieq(text, tk, "the")) {
					i += the_company(text, t, i, last) - 1;
					end = t[i].end;
				}
				/* (a descriptor names the subject only
				 * where it opens the sentence: "Najd ... is
				 * no stranger to the group: it") */
				n->descriptor = the;
				rc = emit_ph(n, c->a, 'P', tk->start, end, NULL,
				    who);
				n->descriptor = 0;
				if (rc == DW_OK && poss)
					rc = emit(n, "'s", 2, tk->start,
					    tk->end);
				if (rc == DW_OK &&
				    (tok_ieq(text, tk, "it'll") ||
				        tok_ieq(text, tk, "it\xe2\x80\x99ll")))
					rc = emit(n, "will", 4, tk->start,
					    tk->end);
				if (rc != DW_OK)
					return rc;
				continue;
			}
		}
		if ((the || (c0 == 'b' && tok_ieq(text, tk, "both"))) &&
		    i + 1 < last && c->nrecent >= 2) {
			size_t k = i + 1;

			if (tok_ieq(text, &t[k], "two"))
				k++;
			if (k < last &&
			    (tok_ieq(text, &t[k], "companies") ||
			        tok_ieq(text, &t[k], "firms") ||
			        tok_ieq(text, &t[k], "groups") ||
			        tok_ieq(text, &t[k], "co-operatives") ||
			        tok_ieq(text, &t[k], "cooperatives") ||
			        tok_ieq(text, &t[k], "banks") ||
			        tok_ieq(text, &t[k], "carriers") ||
			        tok_ieq(text, &t[k], "sides"))) {
				const char *x = c->recent[c->nrecent - 1];
				const char *y = c->recent[c->nrecent - 2];

				rc = emit_ph(n, c->a, 'P', tk->start, t[k].end,
				    NULL, y);
				if (rc == DW_OK)
					rc = emit(n, "and", 3, tk->start,
					    t[k].end);
				if (rc == DW_OK)
					rc = emit_ph(n, c->a, 'P', tk->start,
					    t[k].end, NULL, x);
				if (rc != DW_OK)
					return rc;
				i = k;
				continue;
			}
		}
		/* "Seoul-based Hanbit Forge": where a company is, said
		 * before its name, tells the rules nothing */
		if (tk->kind == TK_WORD && text.p[tk->end - 1] == 'd' &&
		    tk->end - tk->start > 6 &&
		    memcmp(text.p + tk->end - 6, "-based", 6) == 0 &&
		    name_at(text, t, i + 1, last))
			continue;
		/* "Bermuda - based": a place in a compound */
		if (tok_capitalized(text, tk) && i + 2 < last &&
		    tok_is(text, &t[i + 1], "-") && t[i + 2].kind == TK_WORD &&
		    text.p[t[i + 2].start] >= 'a' &&
		    text.p[t[i + 2].start] <= 'z') {
			rc = emit_word(n, text, tk);
			if (rc != DW_OK)
				return rc;
			continue;
		}
		/* "Germany's Baltic Carriers", "South Korea's Hanbit": a
		 * place's possessive before a name is left out */
		if (i + 2 < last && t[i + 1].kind == TK_POSS &&
		    tok_capitalized(text, tk) &&
		    tok_capitalized(text, &t[i + 2]) &&
		    is_stop(text, tk, WL_PLACE)) {
			i++;
			continue;
		}
		if (i + 3 < last && t[i + 2].kind == TK_POSS &&
		    tok_capitalized(text, tk) &&
		    tok_capitalized(text, &t[i + 1]) &&
		    tok_capitalized(text, &t[i + 3]) &&
		    is_stop(text, &t[i + 1], WL_PLACE) &&
		    (tok_is(text, tk, "South") || tok_is(text, tk, "North") ||
		        tok_is(text, tk, "New") || tok_is(text, tk, "Saudi") ||
		        tok_is(text, tk, "Hong"))) {
			i += 2;
			continue;
		}
		/* "bought Italian bearing maker Cuscinetti": a place's word,
		 * then what the company is, before its name */
		if (tk->kind == TK_WORD && tok_capitalized(text, tk) &&
		    i + 2 < last && t[i + 1].kind == TK_WORD) {
			size_t k = 0;

			if (!tok_capitalized(text, &t[i + 1])) {
				/* (also "to buy Velmouth terminal operator
				 * X": a word before what X is, after a verb
				 * of buying, is where X is) */
				if (i == s->first ||
				    is_stop(text, tk, WL_PLACE) ||
				    (i > s->first && buy_verb(text, &t[i - 1])))
					k = descriptor_end(text, t, i, last, es,
					    1);
			} else if (i + 3 < last && t[i + 2].kind == TK_WORD &&
			    !tok_capitalized(text, &t[i + 2]) &&
			    is_stop(text, tk, WL_PLACE) &&
			    is_stop(text, &t[i + 1], WL_PLACE)) {
				/* "Western Australian lithium explorer X",
				 * "Abu Dhabi investment firm Y": a place of
				 * two words */
				k = descriptor_end(text, t, i + 1, last, es, 1);
			}
			if (k) {
				i = k - 1;
				continue;
			}
		}
		/* a capitalized name not on the list (not "B" of "Series B",
		 * nor "GPUs") */
		if (tok_upper(text, tk) && tk->end - tk->start > 1 &&
		    !acronym_plural(text, tk) && !product_code(text, tk) &&
		    !lower_compound(text, tk, i, c->hyph) &&
		    (!is_stop(text, tk, WL_CAPS) ||
		        /* "Bank Cendana Nusantara", not "Bank of ..." */
		        (tok_is(text, tk, "Bank") && !title &&
		            name_at(text, t, i + 1, last))) &&
		    !contraction(text, tk) &&
		    !(title && title_lower(text, t, i, last))) {
			size_t j = i, lastcap = i, place = 0;
			int person;

			/* "TOKYO, May 2 (Reuters) -", "NEW YORK -": a
			 * dateline's city */
			if (i == s->first && all_caps_word(text, tk)) {
				size_t d = i;

				while (d + 1 < last &&
				    all_caps_word(text, &t[d + 1]))
					d++;
				if (d + 1 < last &&
				    (tok_is(text, &t[d + 1], ",") ||
				        tok_is(text, &t[d + 1], "(") ||
				        tok_is(text, &t[d + 1], "-") ||
				        tok_is(text, &t[d + 1],
				            "\xe2\x80\x94") ||
				        tok_is(text, &t[d + 1],
				            "\xe2\x80\x93"))) {
					rc = emit_words(n, text, t, i, d);
					if (rc != DW_OK)
						return rc;
					i = d;
					continue;
				}
			}

			while (j + 1 < last && j - i < 5) {
				const struct tok *u = &t[j + 1];

				/* "San Francisco-based": a place */
				if (lower_compound(text, u, j + 1, c->hyph)) {
					place = j + 1;
					break;
				}
				if (tok_upper(text, u) &&
				    (!is_stop(text, u, WL_INNER) ||
				        /* "Thanh An Commercial Bank" */
				        (!title && tok_is(text, u, "An") &&
				            j + 2 < last &&
				            tok_capitalized(text,
				                &t[j + 2]))) &&
				    !(xi < ne && ev[xi].start < u->end) &&
				    !(title &&
				        title_lower(text, t, j + 1, last))) {
					j++;
					lastcap = j;
					continue;
				}
				/* "Lumera Bio": a listed company's one-word name
				 * ending an unknown one is part of it */
				if (xi < ne && ev[xi].type == ENT_PARTY &&
				    ev[xi].start == u->start &&
				    ev[xi].end == u->end &&
				    !(j + 2 < last &&
				        tok_capitalized(text, &t[j + 2]))) {
					j++;
					lastcap = j;
					xi++;
					ent_bounds(ev, ne, xi, &es, &ee);
					break;
				}
				/* "Margie's Travel Capital", "Schering -
				 * Plough" (not a dateline's dash: "PARIS -
				 * Kering") */
				if ((tok_is(text, u, "&") ||
				        (tok_is(text, u, "of") &&
				            !of_place(text, t, i, j, last)) ||
				        name_particle(text, u) ||
				        /* "St. Brigid Health System" */
				        (tok_is(text, u, ".") &&
				            u->start == t[j].end &&
				            (tok_is(text, &t[j], "St") ||
				                tok_is(text, &t[j], "Mt"))) ||
				        (tok_is(text, u, "-") &&
				            !all_caps_word(text, &t[j])) ||
				        (u->kind == TK_POSS &&
				            u->start == t[j].end &&
				            j + 2 < last &&
				            !region_word(text, &t[j + 2]) &&
				            !title &&
				            poss_goes_on(text, t, j + 2,
				                last)) ||
				        /* "Lakeshore Teachers' Pension Plan" */
				        ((tok_is(text, u, "'") ||
				             tok_is(text, u, "\xe2\x80\x99")) &&
				            u->start == t[j].end &&
				            text.p[u->start - 1] == 's')) &&
				    j + 2 < last &&
				    tok_capitalized(text, &t[j + 2])) {
					j++;
					continue;
				}
				break;
			}
			j = place ? place : lastcap;
			/* "Danish", "Germany", "Western Australian": a place
			 * alone; "Low Water" in quotes: a title */
			if ((j <= i + 1 && !place &&
			        is_stop(text, tk, WL_PLACE) &&
			        (j == i || is_stop(text, &t[j], WL_PLACE))) ||
			    quoted(text, t, i, j, s->first, last)) {
				rc = emit_words(n, text, t, i, j);
				if (rc != DW_OK)
					return rc;
				i = j;
				continue;
			}
			/* "Trainium chips": a product, not a company; "chief
			 * executive Rohan Bhatnagar": a person */
			person = !place &&
			    person_name(text, t, i, j, s->first, last);
			if (person)
				person_add(c, text, t, i, j);
			if (place || person ||
			    (j == i &&
			        (place_before_kind(c, text, t, i, s->first,
			             last) ||
			            place_after_site(text, t, i, s->first))) ||
			    (person_words(c, text, t, i, j) &&
			        !full_name(c, text.p + tk->start,
			            t[j].end - tk->start)) ||
			    parties_is_product(c->p,
			        (struct span){ text.p + tk->start,
			            t[j].end - tk->start }) ||
			    (j + 1 < last &&
			        is_stop(text, &t[j + 1], WL_PRODUCT)) ||
			    (j + 3 < last &&
			        (tok_is(text, &t[j + 1], "and") ||
			            tok_is(text, &t[j + 1], "or")) &&
			        tok_capitalized(text, &t[j + 2]) &&
			        is_stop(text, &t[j + 3], WL_PRODUCT))) {
				rc = emit_words(n, text, t, i, j);
				if (rc != DW_OK)
					return rc;
				i = j;
				continue;
			}
			/* one word opening a sentence is a name only when it
			 * does not look like a verb, adverb or plural
			 * ("Opening", "Shares"), or the article named a
			 * company by it and more ("Corvalis Therapeutics",
			 * then "Corvalis shares jumped") */
			if (!(j == i && opens_sentence(text, t, i, s->first) &&
			        !singular_subject(text, t, i, last) &&
			        (looks_inflected(text, tk) ||
			            adjective_before_noun(text, t, i, last) ||
			            discourse_word(text, t, i, last)) &&
			        !full_name(c, text.p + tk->start,
			            tk->end - tk->start) &&
			        !(ends_ly(text, tk) && j + 1 < last &&
			            (subject_verb(text, &t[j + 1]) ||
			                named_inside(text, tk) ||
			                (j + 2 < last &&
			                    tok_is(text, &t[j + 1], "also") &&
			                    tok_capitalized(text, &t[j + 2]) ==
			                        0 &&
			                    t[j + 2].kind == TK_WORD))))) {
				const char *nm = full_name(c,
				    text.p + tk->start, t[j].end - tk->start);

				if (!nm)
					nm = name_dup(c, text.p + tk->start,
					    t[j].end - tk->start);

				if (!nm)
					return DW_ETOOBIG;
				rc = emit_ph(n, c->a, 'N', tk->start, t[j].end,
				    NULL, nm);
				recent_add(c, nm, j == i);
				if (rc != DW_OK)
					return rc;
				i = j;
				continue;
			}
		}
		/* "We" and "Our" opening a sentence of an interview */
		if (tk->kind == TK_WORD && tk->end - tk->start <= 3 &&
		    (text.p[tk->start] == 'W' || text.p[tk->start] == 'O') &&
		    we_us_our(c, text, tk)) {
			rc = emit_we(c, n, text, tk);
		} else {
			rc = emit_word(n, text, tk);
		}
		if (rc != DW_OK)
			return rc;
	}
	*ei = xi;
	return DW_OK;
}

/* Is normalized token k a party placeholder ("@P3", "@N4")? */
static inline int
ntok_is_party(const struct norm *n, size_t k)
{
	const char *w = n->s.data + n->noff[k];

	return w[0] == '@' && (w[1] == 'P' || w[1] == 'N');
}

/* Does normalized token k start with w ("a ", ", ")? */
static int
ntok_is(const struct norm *n, size_t k, const char *w)
{
	return k < n->ntok && has_prefix(n->s.data + n->noff[k], w);
}

/* The company of placeholder token k, else NULL. */
static const char *
ntok_party(const struct norm *n, size_t k)
{
	char kind = 0;
	long idx;

	if (k >= n->ntok || n->s.data[n->noff[k]] != '@')
		return NULL;
	idx = ph_index(n->s.data + n->noff[k], n->s.len - n->noff[k], &kind);
	return idx >= 0 && (size_t)idx < n->nph && (kind == 'P' || kind == 'N')
	    ? n->ph[idx].name
	    : NULL;
}

/* "RNESL", "SWREL", "CTPL": an abbreviation */
static int
all_capitals(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return 0;
	return n >= 2 && n <= 10;
}

/* "Reliance New Energy Solar Ltd (RNESL), a unit of ...": a company's
 * alias in brackets right after it (its own name again, or capitals) is
 * left out of n, so that the rules and the apposition reading see
 * "@P0 , a unit of". n's placeholders keep their numbers; their tokens
 * are no longer known (ph_tok). */
static void
drop_aliases(struct norm *n)
{
	size_t w = 0, dropped = 0;

	/* (most sentences have no bracket) */
	if (!n->s.len || !memchr(n->s.data, '(', n->s.len))
		return;

	for (size_t k = 0; k < n->ntok; k++) {
		const char *who =
		    n->s.data[n->noff[k]] == '@' ? ntok_party(n, k) : NULL;
		size_t len =
		    (k + 1 < n->ntok ? n->noff[k + 1] : n->s.len) - n->noff[k];

		/* (token k moves to w, its bytes down by the dropped ones) */
		if (w != k) {
			memmove(n->s.data + n->noff[k] - dropped,
			    n->s.data + n->noff[k], len);
			n->tstart[w] = n->tstart[k];
			n->tend[w] = n->tend[k];
		}
		n->noff[w] = n->noff[k] - dropped;
		w++;
		if (who && k + 3 < n->ntok && ntok_is(n, k + 1, "( ") &&
		    ntok_is(n, k + 3, ") ")) {
			const char *al = ntok_party(n, k + 2);

			if (al && (strcmp(al, who) == 0 || all_capitals(al))) {
				size_t to =
				    k + 4 < n->ntok ? n->noff[k + 4] : n->s.len;

				dropped += to - n->noff[k + 1];
				k += 3;
				n->nparty--;
				n->ph_tok = 0;
			}
		}
	}
	n->ntok = w;
	n->s.len -= dropped;
	n->s.data[n->s.len] = 0;
}

/* Does token j open an apposition or a relative clause ("a", "maker of",
 * "which")? */
static int
opens_apposition(const struct norm *n, size_t j)
{
	static const char *const open[] = { "a ", "an ", "the ", "one ", "its ",
		"their ", "another ", "longtime ", "long-time ", "which ",
		"who ", "whose ", "in which ", "with whom ", "with which ",
		"of which ", "maker of ", "makers of ", "owner of ",
		"parent of ", "operator of ", "developer of ", "creator of " };

	char c0;

	if (j >= n->ntok)
		return 0;
	c0 = n->s.data[n->noff[j]];
	/* (the first byte tells most words apart) */
	for (size_t q = 0; q < countof(open); q++)
		if (open[q][0] == c0 && ntok_is(n, j, open[q]))
			return 1;
	/* "Britain's sixth-largest grocer": a place's possessive (a
	 * company's would be a placeholder) */
	return c0 >= 'a' && c0 <= 'z' && ntok_is(n, j + 1, "'s ");
}

/* Does normalized token k end in "-based" ("california-based")? */
static int
ntok_based(const struct norm *n, size_t k)
{
	const char *w;
	size_t len;

	if (k >= n->ntok)
		return 0;
	w = n->s.data + n->noff[k];
	len = (k + 1 < n->ntok ? n->noff[k + 1] : n->s.len) - n->noff[k];
	/* (the token's bytes end in a space) */
	return len > 7 && memcmp(w + len - 7, "-based ", 7) == 0;
}

/*
 * An apposition after the company at token k: ", a maker of chips,",
 * ", OpenAI's longtime partner,", ", the ChatGPT maker,". The token of
 * its closing comma, else 0.
 */
static size_t
apposition_end(const struct norm *n, size_t k)
{
	size_t j = k + 2, m;
	const char *who;

	if (!ntok_is(n, k + 1, ", "))
		return 0;
	who = ntok_party(n, j);
	if (who) {
		if (ntok_is(n, j + 1, ", ") &&
		    strcmp(who, ntok_party(n, k)) == 0)
			m = j + 1;
		else if (ntok_is(n, j + 1, "'s "))
			m = j + 2;
		else if (ntok_is(n, j + 1, "of ") &&
		    strcmp(who, ntok_party(n, k)) == 0)
			/* ("X, the Oslo-based operator of server halls,":
			 * a descriptor of X, said of it) */
			m = j + 1;
		else
			return 0;
	} else {
		if (!opens_apposition(n, j))
			return 0;
		m = j + 1;
	}
	for (; m < n->ntok && m <= j + 18; m++) {
		char ch = n->s.data[n->noff[m]];

		/* (the tests below want one of these first) */
		if (ch != '.' && ch != ';' && ch != ':' && ch != '(' &&
		    ch != ',')
			continue;
		if (ntok_is(n, m, ". ") || ntok_is(n, m, "; ") ||
		    ntok_is(n, m, ": ") || ntok_is(n, m, "( "))
			return 0;
		if (!ntok_is(n, m, ", "))
			continue;
		/* a list goes on after it ("X, a chipmaker, Y and Z"), or
		 * inside it ("X, maker of A, B and C, will") */
		if (m + 1 >= n->ntok || ntok_is(n, m + 1, ". "))
			return 0;
		/* (but not ", and Y, a sovereign fund,": Y has its own,
		 * and is the company's peer) */
		if ((ntok_is(n, m + 1, "and ") || ntok_is(n, m + 1, "or ")) &&
		    ntok_party(n, m + 2) && ntok_is(n, m + 3, ", ") &&
		    opens_apposition(n, m + 4))
			return m;
		if (ntok_party(n, m + 1) || ntok_is(n, m + 1, "and ") ||
		    ntok_is(n, m + 1, "or "))
			continue;
		/* "which said it would sell its implants business, Corvane
		 * Ortho, to Y": a name between commas goes on */
		if (m >= j + 3 && ntok_party(n, m - 1) &&
		    ntok_is(n, m - 2, ", "))
			continue;
		/* "a Santa Clara, California-based startup": a place goes
		 * on */
		if (ntok_based(n, m + 1))
			continue;
		return m;
	}
	return 0;
}

/*
 * Is token k inside the apposition of a company before it (", which has
 * invested in Y,") whose closing comma comes before token end, and k has
 * none of its own?
 * (apposition_end looks at most 16 tokens on.)
 */
static int
in_apposition_before(const struct norm *n, size_t k, size_t end)
{
	for (size_t q = 2; q <= 16 && q <= k; q++) {
		size_t p = k - q, m;

		if (n->s.data[n->noff[p + 1]] == ',' && ntok_party(n, p) &&
		    (m = apposition_end(n, p)) > k)
			/* (a comma that opens k's own apposition, "from Y,
			 * one of its investors", is not known to end X's) */
			return m < end &&
			    !(m == k + 1 &&
			        (opens_apposition(n, k + 2) ||
			            ntok_party(n, k + 2)));
	}
	return 0;
}

/*
 * "Under the deal, which needs the approval of Y's shareholders, X would
 * pay": a match that starts inside a relative clause (", which" before
 * token k with no comma between) and runs past the comma that closes
 * it joins two clauses; end: the token after the match.
 */
/* The token that opens the relative clause token k is in (", which"
 * before it with no comma between: the "which"), else 0. */
static size_t
relative_start(const struct norm *n, size_t k)
{
	size_t p = k;

	while (p > 0 && n->s.data[n->noff[p - 1]] != ',')
		p--;
	/* p: the token after the comma before k, if any */
	/* (", with whom", ", of which" too) */
	if (p > 0 && p + 1 < k &&
	    (ntok_is(n, p + 1, "whom ") || ntok_is(n, p + 1, "which ")))
		p++;
	if (p == 0 ||
	    !(ntok_is(n, p, "which ") || ntok_is(n, p, "who ") ||
	        ntok_is(n, p, "whom ") || ntok_is(n, p, "whose ")))
		return 0;
	return p;
}

static int
across_relative_clause(const struct norm *n, size_t k, size_t end)
{
	if (!relative_start(n, k))
		return 0;
	/* (a comma that opens k's own apposition, "buy chips from X, one of
	 * its investors", does not close the clause) */
	for (size_t j = k + 1; j + 1 < end && j < n->ntok; j++) {
		if (n->s.data[n->noff[j]] != ',')
			continue;
		/* (nor does a name between commas: "sell its implants
		 * business, Corvane Ortho, to Y") */
		if (j > k + 1 && j + 2 < n->ntok && ntok_party(n, j + 1) &&
		    n->s.data[n->noff[j + 2]] == ',') {
			j += 2;
			continue;
		}
		return !(j == k + 1 &&
		    (opens_apposition(n, k + 2) || ntok_party(n, k + 2)));
	}
	return 0;
}

/*
 * "Y received $350 million from X and used it to buy Z's chips": X, the
 * object of a preposition at token k ("from", "by", "in" ...), is no
 * subject of the verb after the "and" that follows it (before the
 * match's next company): "an option to acquire a stake in X, and a
 * partnership with Z" is no partnership of X.
 */
static int
object_before_and(const struct norm *n, size_t k, size_t end)
{
	static const char *const prep[] = { "from ", "by ", "in ", "of ",
		"with ", "to ", "for ", "at " };
	const char *w;
	size_t i;

	if (k == 0)
		return 0;
	/* (most tokens before a company are none: their first byte) */
	w = n->s.data + n->noff[k - 1];
	if (!strchr("fbiowta", w[0]))
		return 0;
	for (i = 0; i < countof(prep) && !has_prefix(w, prep[i]); i++)
		;
	if (i == countof(prep))
		return 0;
	for (size_t j = k + 1; j < end && j < n->ntok; j++) {
		const char *u = n->s.data + n->noff[j];

		if (u[0] == '@' && (u[1] == 'P' || u[1] == 'N'))
			return 0;
		/* (not "of X and Y": two names) */
		if (u[0] == 'a' && has_prefix(u, "and "))
			return !ntok_is_party(n, j + 1);
	}
	return 0;
}

/*
 * n without its appositions into o ("Microsoft, OpenAI's longtime
 * partner, owns" reads "Microsoft owns"); 0 when it has none. o shares
 * n's placeholders.
 */
static int
strip_appositions(const struct norm *n, struct norm *o, struct arena *a,
    int *rc)
{
	int any = 0;
	size_t k0;

	*rc = DW_OK;
	/* most sentences have none: look before copying (at the party
	 * placeholders only, where n knows their tokens: every '@' token
	 * is a placeholder) */
	if (n->ph_tok) {
		size_t x;

		for (x = 0; x < n->nph; x++) {
			k0 = n->ph[x].tok;
			if ((n->ph[x].kind == 'P' || n->ph[x].kind == 'N') &&
			    k0 + 1 < n->ntok &&
			    n->s.data[n->noff[k0 + 1]] == ',' &&
			    ntok_party(n, k0) && apposition_end(n, k0))
				break;
		}
		if (x == n->nph)
			return 0;
	} else {
		for (k0 = 0; k0 + 1 < n->ntok; k0++)
			if (n->s.data[n->noff[k0 + 1]] == ',' &&
			    n->s.data[n->noff[k0]] == '@' &&
			    ntok_party(n, k0) && apposition_end(n, k0))
				break;
		if (k0 + 1 >= n->ntok)
			return 0;
	}
	buf_reset(&o->s);
	o->ntok = 0;
	o->ph = n->ph;
	o->nph = o->capph = n->nph;
	memcpy(o->cnt, n->cnt, sizeof(o->cnt));
	o->subject = n->subject;
	o->subject_known = n->subject_known;
	o->nparty = 0;
	o->ph_tok = 0;
	for (size_t k = 0; k < n->ntok; k++) {
		size_t len =
		    (k + 1 < n->ntok ? n->noff[k + 1] : n->s.len) - n->noff[k];
		const char *who =
		    n->s.data[n->noff[k]] == '@' ? ntok_party(n, k) : NULL;
		size_t end = who ? apposition_end(n, k) : 0;

		if (norm_reserve(o, a) != DW_OK) {
			*rc = DW_ETOOBIG;
			return 0;
		}
		o->noff[o->ntok] = o->s.len;
		o->tstart[o->ntok] = n->tstart[k];
		o->tend[o->ntok] = n->tend[k];
		o->ntok++;
		buf_add(&o->s, n->s.data + n->noff[k], len);
		if (who)
			o->nparty++;
		if (end) {
			k = end;
			any = 1;
		}
	}
	if (buf_error(&o->s))
		*rc = DW_ETOOBIG;
	return any && *rc == DW_OK;
}

static int
supplier_like(const struct ctx *c, const char *name)
{
	static const char *const sect[] = { "chips", "cloud", "datacenter",
		"energy", "hardware" };
	unsigned bits = 0, have = parties_sectors(c->p, name);

	for (size_t i = 0; i < countof(sect); i++)
		bits |= parties_sector_bit(c->p, sect[i]);
	return (have & bits) != 0;
}

static int
supply_words(const char *s, size_t n)
{
	static const char *const w[] = { "cloud", "chip", "gpu", "compute",
		"computing", "data cent", "datacent", "supply", "capacity",
		"hosting", "infrastructure", "processor", "semiconductor",
		"server", "accelerator", "power", "energy", "services ",
		"launch", "licens", "lng", "fuel", "co-packing",
		"manufacturing" };

	for (size_t i = 0; i < countof(w); i++) {
		size_t l = strlen(w[i]);

		for (size_t k = 0; k + l <= n; k++)
			if (memcmp(s + k, w[i], l) == 0)
				return 1;
	}
	return 0;
}

/* Into bits (cleared first) the word groups of normalized tokens
 * [k0, k1) of n. */
static void
word_groups(const struct ctx *c, const struct norm *n, size_t k0, size_t k1,
    uint64_t *bits)
{
	const struct wordtab *wt = &c->d->words;

	memset(bits, 0, wt->nwords * sizeof(*bits));
	for (size_t k = k0; k < k1; k++) {
		size_t o = n->noff[k];
		size_t len =
		    (k + 1 < n->ntok ? n->noff[k + 1] : n->s.len) - o - 1;

		if (len >= 3 && wordtab_maybe(wt, n->s.data + o))
			(void)wordtab_hits_inline(wt, n->s.data + o,
			    MIN(len, 64), n->s.len - o, bits);
	}
}

/* Status from the cue words around the match [ms, me) in n. */
static int
status_of(struct ctx *c, const struct norm *n, size_t mtok0, size_t mtok1,
    int fallback)
{
	size_t t0 = mtok0 > 4 ? mtok0 - 4 : 0;
	size_t t1 = MIN(n->ntok, mtok1 + 3);
	size_t o0, o1, m;
	int got_win = 0, got_pre = 0;

	/* a deal told inside X's relative clause ("X, which last year
	 * bought Y, is weighing a bid for Z") takes no cue from after it */
	if (ntok_party(n, mtok0) && ntok_is(n, mtok0 + 1, ", ") &&
	    (m = apposition_end(n, mtok0)) != 0 && mtok1 <= m + 1 && m < t1)
		t1 = m;
	o0 = n->noff[t0];
	o1 = t1 < n->ntok ? n->noff[t1] : n->s.len;

	c->cue_hit = 0;
	for (size_t i = 0; i < c->d->ncues; i++) {
		/* a denial anywhere before the deal in its sentence */
		size_t a0 = c->d->cues[i].status < 0 ? 0 : o0;
		uint32_t need = (uint32_t)c->d->cues[i].need;
		int rc;

		/* a cue whose words the sentence lacks cannot match here:
		 * most cues are skipped so, without PCRE2; nor can one whose
		 * words start no token of the part of it looked at (the
		 * word groups of tokens t0 to t1, and of those before t0
		 * for a denial, found once) */
		if (c->d->cues[i].need >= 0) {
			if (!bit_is(c->have, need))
				continue;
			if (!got_win) {
				word_groups(c, n, t0, t1, c->win);
				got_win = 1;
			}
			if (!bit_is(c->win, need)) {
				if (a0 == o0)
					continue;
				if (!got_pre) {
					word_groups(c, n, 0, t0, c->pre);
					got_pre = 1;
				}
				if (!bit_is(c->pre, need))
					continue;
			}
		}
		rc =
		    rx_match(dealrules_jit(c->d, c->d->n + i), c->d->cues[i].re,
		        n->s.data + a0, o1 - a0, 0, c->cue_md, c->d->mctx);

		if (rc >= 0) {
			c->cue_hit = 1;
			return c->d->cues[i].status;
		}
		if (rc == PCRE2_ERROR_MATCHLIMIT ||
		    rc == PCRE2_ERROR_DEPTHLIMIT)
			c->limit_hit = 1;
	}
	return fallback ? fallback : ST_ANNOUNCED;
}

static size_t
tok_at(const struct norm *n, size_t off)
{
	size_t lo = 0, hi = n->ntok;

	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;

		if (n->noff[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Is the date at placeholder k no event date ("until 2032", "since
 * 2019", "expected to close in March")? */
static int
date_excluded(const struct norm *n, size_t tokk)
{
	static const char *const prev[] = { "until ", "since ", "through ",
		"by ", "before ", "from ", "till " };

	if (tokk == 0)
		return 0;
	for (size_t i = 0; i < countof(prev); i++) {
		size_t o = n->noff[tokk - 1];

		if (has_prefix(n->s.data + o, prev[i]))
			return 1;
	}
	if (tokk >= 3 && has_prefix(n->s.data + n->noff[tokk - 2], "close "))
		return 1;
	/* "its closing price on Friday", "shares rose on Monday": the
	 * market's day, no deal's */
	if (tokk >= 3 && has_prefix(n->s.data + n->noff[tokk - 1], "on ") &&
	    (has_prefix(n->s.data + n->noff[tokk - 2], "price ") ||
	        has_prefix(n->s.data + n->noff[tokk - 2], "close ") ||
	        has_prefix(n->s.data + n->noff[tokk - 2], "trading ")))
		return 1;
	return 0;
}

/* "then sold it four years later": counted from another event the
 * text tells of, not from the day it was published (the recognizer's
 * reading); no deal date. */
static int
anchor_relative(struct span text, const struct ph *ph)
{
	const char *p = text.p + ph->start;
	size_t n = ph->end - ph->start;

	return (n > 6 && memcmp(p + n - 6, " later", 6) == 0) ||
	    (n > 8 && memcmp(p + n - 8, " earlier", 8) == 0);
}

/* The last date entity before byte pos in the paragraph of sentence si. */
static const struct entity *
date_before(const struct ctx *c, size_t si, size_t pos)
{
	const struct sentence *s = &c->sents->v[si];
	size_t pstart = s->start;
	const struct entity *best = NULL;

	for (size_t k = si; k-- > 0;) {
		if (c->sents->v[k].para != s->para)
			break;
		pstart = c->sents->v[k].start;
	}
	for (size_t i = 0; i < c->ents->n; i++) {
		const struct entity *e = &c->ents->v[i];

		if (e->start >= pos)
			break;
		if (e->type == ENT_DATE && e->start >= pstart &&
		    e->date.value[0])
			best = e;
	}
	return best;
}

/*
 * A weekday the reporting verb says is past ("the companies said on
 * Monday") but that resolved after the publication date goes back a week.
 */
static void
fix_said_weekday(struct ctx *c, struct deal *d)
{
	struct span text = c->text;
	int y, m, dd, py, pm, pd;
	size_t i = d->date_text.start;
	int64_t z;

	/* the publication date, checked once an article */
	if (!c->pub_done) {
		c->pub_done = 1;
		c->pub_ok = c->published &&
		    date_parse_ymd(c->published, &py, &pm, &pd) == DW_OK;
	}
	/* two dates that parse (YYYY-MM-DD, no other form) sort as their
	 * bytes: one not after the publication date is told so without
	 * parsing it */
	if (!c->pub_ok || strlen(d->date.value) != 10 ||
	    strcmp(d->date.value, c->published) <= 0 ||
	    date_parse_ymd(d->date.value, &y, &m, &dd) != DW_OK)
		return;
	{
		/* the three words before the weekday */
		size_t lo = i, words = 0;
		static const char *const past[] = { "said", "announced",
			"reported", "disclosed", "told", "unveiled",
			"confirmed", "revealed" };
		int hit = 0;

		while (lo > 0 && words < 3) {
			while (lo > 0 && text.p[lo - 1] == ' ')
				lo--;
			while (lo > 0 && text.p[lo - 1] != ' ')
				lo--;
			words++;
		}
		for (size_t k = 0; k < countof(past) && !hit; k++) {
			size_t pl = strlen(past[k]);

			for (size_t q = lo; q + pl <= i && !hit; q++)
				if (memcmp(text.p + q, past[k], pl) == 0)
					hit = 1;
		}
		if (!hit)
			return;
	}
	z = days_from_civil(y, (unsigned)m, (unsigned)dd) - 7;
	{
		unsigned um, ud;

		civil_from_days(z, &y, &um, &ud);
		snprintf(d->date.value, sizeof(d->date.value), "%04d-%02u-%02u",
		    y, um, ud);
	}
}

static void
set_date(struct deal *d, const struct entity *e)
{
	memcpy(d->date.value, e->date.value, sizeof(d->date.value));
	d->date_text.start = e->start;
	d->date_text.end = e->end;
}

static int
add_found(struct ctx *c, const struct deal *d, size_t si)
{
	if (c->nf == MAX_DEALS)
		return DW_OK;
	if (c->nf == c->capf) {
		size_t nc = c->capf ? c->capf * 2 : 4;
		struct found *nf = NEW(c->a, struct found, nc);

		if (!nf)
			return DW_ETOOBIG;
		if (c->nf)
			memcpy(nf, c->f, c->nf * sizeof(*nf));
		c->f = nf;
		c->capf = nc;
	}
	c->f[c->nf].d = *d;
	c->f[c->nf].sent = si;
	c->f[c->nf].para = c->sents->v[si].para;
	c->f[c->nf].order = c->nf;
	c->f[c->nf].from_context = NULL;
	c->f[c->nf].denied = 0;
	c->f[c->nf].match = c->nmatch;
	c->nf++;
	return DW_OK;
}

static void
set_amount(struct amount *dst, struct textref *ref, const struct ph *ph)
{
	*dst = ph->e->money;
	ref->start = ph->start;
	ref->end = ph->end;
}

/* A valuation found in sentence si, kept for the end. */
static int
note_valuation(struct ctx *c, size_t si, const struct ph *val,
    const char *target)
{
	if (c->nval == c->capval) {
		size_t nc = c->capval ? c->capval * 2 : 8;
		struct valmention *nv = NEW(c->a, struct valmention, nc);

		if (!nv)
			return DW_ETOOBIG;
		if (c->nval)
			memcpy(nv, c->val, c->nval * sizeof(*nv));
		c->val = nv;
		c->capval = nc;
	}
	c->val[c->nval].sent = si;
	c->val[c->nval].target = target;
	c->val[c->nval].a = val->e->money;
	c->val[c->nval].ref.start = val->start;
	c->val[c->nval].ref.end = val->end;
	c->nval++;
	return DW_OK;
}

/* Does d still have a party whose role the rules left to the text
 * ("side")? */
static int
has_side(const struct deal *d)
{
	for (size_t i = 0; i < d->nparties; i++)
		if (d->parties[i].role == SR_SIDE)
			return 1;
	return 0;
}

/*
 * "Talks between X and Y on an investment of up to $10 billion" names
 * no direction; "the financing would value Y at $500 billion" does: the
 * side a valuation in the article names (the nearest) is the target, the
 * other the investor. With none, the deal stays undecided and is dropped.
 */
static void
investment_sides(struct ctx *c)
{
	for (size_t k = 0; k < c->nf; k++) {
		struct deal *d = &c->f[k].d;
		size_t best = (size_t)-1, bestd = (size_t)-1;

		if (d->type != DEAL_INVESTMENT || !has_side(d) ||
		    d->nparties != 2)
			continue;
		for (size_t v = 0; v < c->nval; v++) {
			const struct valmention *m = &c->val[v];
			size_t dist = m->sent > c->f[k].sent
			    ? m->sent - c->f[k].sent
			    : c->f[k].sent - m->sent;

			if (!m->target || dist >= bestd)
				continue;
			for (size_t i = 0; i < 2; i++)
				if (strcmp(m->target, d->parties[i].name) ==
				    0) {
					best = i;
					bestd = dist;
				}
		}
		if (best == (size_t)-1)
			continue;
		d->parties[best].role = ROLE_TARGET;
		d->parties[1 - best].role = ROLE_INVESTOR;
	}
}

/*
 * Give each deal that takes one (investment, stake, acquisition) the
 * valuation of its own sentence, else the nearest one that names its
 * target.
 */
static void
give_valuations(struct ctx *c)
{
	for (size_t k = 0; k < c->nf; k++) {
		struct deal *d = &c->f[k].d;
		const char *tg = NULL;
		const struct valmention *best = NULL;
		size_t bestd = (size_t)-1;

		if (d->has_valuation ||
		    (d->type != DEAL_INVESTMENT && d->type != DEAL_STAKE &&
		        d->type != DEAL_ACQUISITION))
			continue;
		for (size_t i = 0; i < d->nparties; i++)
			if (d->parties[i].role == ROLE_TARGET)
				tg = d->parties[i].name;
		for (size_t v = 0; v < c->nval; v++) {
			const struct valmention *m = &c->val[v];
			size_t dist = m->sent > c->f[k].sent
			    ? m->sent - c->f[k].sent
			    : c->f[k].sent - m->sent;

			if (m->target && (!tg || strcmp(m->target, tg) != 0))
				continue;
			if (!m->target && dist > 1)
				continue;
			/* a valuation said later about the same target comes
			 * second to one said before */
			dist = dist * 2 + (m->sent > c->f[k].sent);
			if (dist < bestd) {
				best = m;
				bestd = dist;
			}
		}
		if (best) {
			d->has_valuation = 1;
			d->valuation = best->a;
			d->valuation_text = best->ref;
		}
	}
}

/* "The investment will total $10 billion": the amount of the last deal
 * of that kind in the four sentences before that has none ("the deal":
 * of any kind, in the two before). */
static void
attach_amount(struct ctx *c, size_t si, const struct deal *src,
    const char *target, int want)
{
	for (size_t k = c->nf; k-- > 0;) {
		struct deal *d = &c->f[k].d;
		const char *tg = NULL;

		/* a noun that names the kind reaches further back (past
		 * deals of later sentences, found first) */
		if (c->f[k].sent > si)
			continue;
		if (c->f[k].sent + (want ? 4 : 2) < si)
			break;
		if (d->has_amount || (want && d->type != want))
			continue;
		for (size_t i = 0; i < d->nparties; i++)
			if (d->parties[i].role == ROLE_TARGET)
				tg = d->parties[i].name;
		if (target && (!tg || strcmp(tg, target) != 0))
			continue;
		d->has_amount = 1;
		d->amount = src->amount;
		d->amount_text = src->amount_text;
		if (d->nevidence < DEAL_MAX_EVIDENCE) {
			d->evidence[d->nevidence].start = c->sents->v[si].start;
			d->evidence[d->nevidence].end = c->sents->v[si].end;
			d->nevidence++;
		}
		return;
	}
}

/* Does the role give money (investor, acquirer, holder, customer)? */
static int
giving_role(int role)
{
	return role == ROLE_INVESTOR || role == ROLE_ACQUIRER ||
	    role == ROLE_HOLDER || role == ROLE_CUSTOMER;
}

/* Is normalized token k one of the words w (each with its space)? */
static int
ntok_any(const struct norm *n, size_t k, const char *const *w, size_t nw)
{
	for (size_t i = 0; i < nw; i++)
		if (ntok_is(n, k, w[i]))
			return 1;
	return 0;
}

/* Do the words around the sum at normalized token t tie it to a deal:
 * "worth $X", "for $X", "valued at $X", "a deal of $X", "a $X bid",
 * "$31.50 a share, or $X in total"? */
static int
deal_money_cue(const struct norm *n, size_t t)
{
	static const char *const before[] = { "worth ", "for ", "totaling ",
		"totalling ", "totals ", "totaled ", "totalled ", "spending ",
		"paying ", "paid ", "pay ", "pays ", "costing " };
	static const char *const noun[] = { "deal ", "deals ", "contract ",
		"agreement ", "order ", "package ", "offer ", "bid ", "buyout ",
		"takeover ", "acquisition ", "purchase ", "transaction ",
		"pursuit ", "investment ", "round ", "pact ", "commitment ",
		"value ", "price ", "tag ", "sum " };

	if (t > 0 && ntok_any(n, t - 1, before, countof(before)))
		return 1;
	if (t > 1 && ntok_is(n, t - 1, "at ") &&
	    (ntok_is(n, t - 2, "valued ") || ntok_is(n, t - 2, "priced ")))
		return 1;
	if (t > 1 && ntok_is(n, t - 1, "of ") &&
	    ntok_any(n, t - 2, noun, countof(noun)))
		return 1;
	if (t > 0 && ntok_is(n, t - 1, "or ") && ntok_is(n, t + 1, "in ") &&
	    (ntok_is(n, t + 2, "total ") || ntok_is(n, t + 2, "all ")))
		return 1;
	/* "a $4.6 billion bid", "a $5.3 billion all-cash buyout" */
	return ntok_any(n, t + 1, noun, countof(noun)) ||
	    (t + 2 < n->ntok && n->s.data[n->noff[t + 1]] != '@' &&
	        ntok_any(n, t + 2, noun, countof(noun)) &&
	        !ntok_is(n, t + 1, "of ") && !ntok_is(n, t + 1, "in "));
}

static int same_parties(const struct deal *a, const struct deal *b);

/* Do x and y tell one deal with several buyers or backers: one type and
 * the same receiving party? */
static int
same_receiver(const struct deal *x, const struct deal *y)
{
	const char *a = NULL, *b = NULL;

	if (x->type != y->type)
		return 0;
	for (size_t i = 0; i < x->nparties; i++)
		if (!giving_role(x->parties[i].role))
			a = x->parties[i].name;
	for (size_t i = 0; i < y->nparties; i++)
		if (!giving_role(y->parties[i].role))
			b = y->parties[i].name;
	return a && b && strcmp(a, b) == 0;
}

/*
 * "a package worth about $140 million", "a deal first announced in
 * September for $28 billion", "Stanmore's $4.6 billion bid": the deals
 * the rules found in sentence si (normalized as n) without a sum take
 * the one sum of the sentence the words tie to a deal, that no deal of
 * the sentence has and no rule read as a valuation. Several deals take
 * it only when they are one with several buyers or backers; two such
 * sums, and none is taken.
 */
static void
sentence_amount(struct ctx *c, const struct norm *n, size_t si)
{
	const struct ph *pick = NULL;
	size_t first = (size_t)-1;

	for (size_t k = 0; k < c->nf; k++) {
		const struct deal *d = &c->f[k].d;

		if (c->f[k].sent != si || d->has_amount ||
		    d->type == DEAL_STAKE || d->type == DEAL_MERGER)
			continue;
		if (first == (size_t)-1)
			first = k;
		else if (!same_parties(d, &c->f[first].d) &&
		    !(c->f[k].match == c->f[first].match &&
		        same_receiver(d, &c->f[first].d)))
			return;
	}
	if (first == (size_t)-1)
		return;
	for (size_t t = 0; t < n->ntok; t++) {
		char kind = 0;
		long idx;
		const struct ph *ph;
		int used = 0;

		if (n->s.data[n->noff[t]] != '@')
			continue;
		idx = ph_index(n->s.data + n->noff[t], n->s.len - n->noff[t],
		    &kind);
		if (kind != 'M' || idx < 0 || (size_t)idx >= n->nph)
			continue;
		ph = &n->ph[idx];
		/* (no deal is worth "445p": a price a share) */
		if (ph->e->money.value < 1000)
			continue;
		for (size_t k = 0; k < c->nf && !used; k++)
			used = c->f[k].sent == si &&
			    ((c->f[k].d.has_amount &&
			         c->f[k].d.amount_text.start == ph->start) ||
			        (c->f[k].d.has_valuation &&
			            c->f[k].d.valuation_text.start ==
			                ph->start));
		for (size_t v = 0; v < c->nval && !used; v++)
			used = c->val[v].sent == si &&
			    c->val[v].ref.start == ph->start;
		if (used || !deal_money_cue(n, t))
			continue;
		if (pick)
			return;
		pick = ph;
	}
	if (!pick)
		return;
	for (size_t k = first; k < c->nf; k++) {
		struct deal *d = &c->f[k].d;

		if (c->f[k].sent != si || d->has_amount ||
		    d->type == DEAL_STAKE || d->type == DEAL_MERGER)
			continue;
		d->has_amount = 1;
		set_amount(&d->amount, &d->amount_text, pick);
	}
}

/* "A deal valuing Y at about £6.1bn": buying all of a company, the sum
 * is what it is valued at. */
static void
acquisition_amounts(struct ctx *c)
{
	for (size_t k = 0; k < c->nf; k++) {
		struct deal *d = &c->f[k].d;

		if (d->type == DEAL_ACQUISITION && !d->has_amount &&
		    d->has_valuation && !d->has_stake) {
			d->has_amount = 1;
			d->amount = d->valuation;
			d->amount_text = d->valuation_text;
		}
	}
}

/* At byte p of n: up to four words in lower case, a word of a unit
 * ("arm", "business"), a comma and a name, then a comma: that name
 * ("life insurance arm, Valmont Vie,"), else NULL; *unnamed set when
 * the unit's word has no name after it. */
static const char *
unit_in_apposition(const struct norm *n, size_t p, int *unnamed)
{
	static const char *const unit[] = { "arm ", "unit ", "business ",
		"division ", "subsidiary ", "operations " };
	const char *s = n->s.data + p, *e = n->s.data + n->s.len;

	for (int w = 0; w < 5 && s < e && *s >= 'a' && *s <= 'z'; w++) {
		for (size_t q = 0; q < countof(unit); q++) {
			const char *x = s + strlen(unit[q]);
			char kind = 0;
			long idx;

			if (!has_prefix(s, unit[q]))
				continue;
			/* "buy Y's life insurance arm for ...": no name */
			if (!has_prefix(x, ", @")) {
				*unnamed = 1;
				return NULL;
			}
			idx = ph_index(x + 2, (size_t)(e - x - 2), &kind);
			if (idx < 0 || (size_t)idx >= n->nph ||
			    (kind != 'P' && kind != 'N'))
				return NULL;
			x = strchr(x + 2, ' ');
			return x && has_prefix(x + 1, ", ") ? n->ph[idx].name
			                                    : NULL;
		}
		s = strchr(s, ' ');
		if (!s)
			return NULL;
		s++;
	}
	return NULL;
}

/* "buy Alcon stake": the word after an acquisition's target says a
 * stake, not the company, changes hands (1); "buy Nvidia chips": goods
 * (2). */
static int
target_then_stake(const struct norm *n, const PCRE2_SIZE *ov,
    const struct dealrule *r, const char **in)
{
	static const char *const goods[] = { "chips ", "chip ", "gpus ", "gpu ",
		"processors ", "servers ", "products ", "systems ", "hardware ",
		"accelerators ", "semiconductors ", "equipment ", "devices ",
		"software ", "services ", "capacity ", "power ", "electricity ",
		"energy ", "compute " };

	for (size_t k = 0; k < r->nslots; k++) {
		PCRE2_SIZE b;
		const char *p;

		if (r->slots[k].role != ROLE_TARGET ||
		    ov[2 * r->slots[k].group] == PCRE2_UNSET)
			continue;
		b = ov[2 * r->slots[k].group + 1];
		/* "Nvidia chips", "Nvidia's latest GPUs" */
		p = n->s.data + b + 1;
		if (b + 4 < n->s.len && has_prefix(p, "'s "))
			p += 3;
		for (int w = 0; w < 3 && p < n->s.data + n->s.len; w++) {
			/* (most words start with none of goods[]'s first
			 * bytes, a bit each here) */
			unsigned off = (unsigned)(unsigned char)*p - 'a';
			int maybe = off < 26 &&
			    ((1u << ('c' - 'a') | 1u << ('g' - 'a') |
			         1u << ('p' - 'a') | 1u << ('s' - 'a') |
			         1u << ('h' - 'a') | 1u << ('a' - 'a') |
			         1u << ('e' - 'a') | 1u << ('d' - 'a')) >>
			        off) &
			        1;

			for (size_t q = 0; maybe && q < countof(goods); q++)
				if (has_prefix(p, goods[q]))
					return 2;
			if (*p == '@' || *p == ',' || *p == '.')
				break;
			p = strchr(p, ' ');
			if (!p)
				break;
			p++;
		}
		/* "buy Y's life insurance arm, Valmont Vie, for ...": the
		 * unit named */
		if (in && b + 4 < n->s.len &&
		    has_prefix(n->s.data + b + 1, "'s ")) {
			int unnamed = 0;
			const char *u = unit_in_apposition(n, b + 4, &unnamed);

			if (u) {
				*in = u;
				return 3;
			}
			/* a unit that the sentence does not name is no
			 * company of the deal (the owner sells it) */
			if (unnamed)
				return 2;
		}
		/* "a tender offer for all of Y's shares" buys Y */
		if (ov[2 * r->slots[k].group] >= 7 &&
		    memcmp(n->s.data + ov[2 * r->slots[k].group] - 7, "all of ",
		        7) == 0)
			continue;
		for (int w = 0; w < 4 && b < n->s.len; w++) {
			static const char *const own[] = { "stake ", "stakes ",
				"shares ", "stock ", "equity " };

			p = n->s.data + b;
			for (size_t q = 0;
			     (*p == 's' || *p == 'e') && q < countof(own); q++)
				if (has_prefix(p, own[q])) {
					/* "buy Y's 7.2% stake in Z": Z */
					const char *x = p + strlen(own[q]);
					char kind = 0;
					long idx;

					if (in && has_prefix(x, "in @") &&
					    (idx = ph_index(x + 3,
					         n->s.len -
					             (size_t)(x + 3 -
					                 n->s.data),
					         &kind)) >= 0 &&
					    (size_t)idx < n->nph &&
					    (kind == 'P' || kind == 'N'))
						*in = n->ph[idx].name;
					return 1;
				}
			while (b < n->s.len && n->s.data[b] != ' ')
				b++;
			b++;
		}
	}
	return 0;
}

/* The party a CONTEXT slot stands for: for a target, the target of the
 * last deal found in the three sentences before; else the subject of the
 * sentence before. */
static int
name_in(const char *name, const char **have, size_t nhave)
{
	for (size_t k = 0; k < nhave; k++)
		if (strcmp(have[k], name) == 0)
			return 1;
	return 0;
}

/* Does sentence si say name raised money: "Pennyfold closed a £42m
 * Series B", "Kobo has raised $5m"? */
static int
raised_before(const struct ctx *c, size_t si, const char *name)
{
	static const char *const verbs[] = { "raised ", "has raised ",
		"closed a ", "closed its ", "secured ", "has secured " };
	const struct sentence *b = &c->sents->v[si];
	const char *s = c->text.p + b->start, *e = c->text.p + b->end;
	size_t nl = strlen(name);

	for (const char *p = s; (size_t)(e - p) > nl; p++) {
		const char *w = p + nl;

		if (*p != name[0] || memcmp(p, name, nl) != 0)
			continue;

		if (w < e && *w == ' ')
			w++;
		for (size_t k = 0; k < countof(verbs); k++)
			if ((size_t)(e - w) > strlen(verbs[k]) &&
			    memcmp(w, verbs[k], strlen(verbs[k])) == 0)
				return 1;
	}
	return 0;
}

static const char *
context_party(const struct ctx *c, size_t si, int role, const char **have,
    size_t nhave)
{
	if (giving_role(role)) {
		/* the investor or buyer of the last deal, else the subject
		 * of the sentence before */
		for (size_t k = c->nf; k-- > 0;) {
			const struct deal *d = &c->f[k].d;

			if (c->f[k].sent + 3 < si)
				break;
			for (size_t i = 0; i < d->nparties; i++)
				if (giving_role(d->parties[i].role) &&
				    !name_in(d->parties[i].name, have, nhave))
					return d->parties[i].name;
		}
		if (c->subjects[0] && !name_in(c->subjects[0], have, nhave))
			return c->subjects[0];
	}
	if (role == ROLE_TARGET) {
		/* "Pennyfold closed a £42m Series B. The round was co-led
		 * by X": the company the sentence before says raised it */
		if (si > 0 && c->subjects[0] &&
		    !name_in(c->subjects[0], have, nhave) &&
		    raised_before(c, si - 1, c->subjects[0]))
			return c->subjects[0];
		for (size_t k = c->nf; k-- > 0;) {
			const struct deal *d = &c->f[k].d;

			if (c->f[k].sent + 3 < si)
				break;
			for (size_t i = 0; i < d->nparties; i++)
				if (d->parties[i].role == ROLE_TARGET &&
				    !name_in(d->parties[i].name, have, nhave))
					return d->parties[i].name;
		}
		/* else the company the story is about ("X has closed a
		 * round. Y led the round") */
		{
			const char *st = story_company(c);

			if (st && !name_in(st, have, nhave))
				return st;
		}
	}
	/* else the newest company named that is not in the deal yet */
	for (size_t i = c->nrecent; i-- > 0;) {
		size_t k;

		for (k = 0; k < nhave; k++)
			if (strcmp(have[k], c->recent[i]) == 0)
				break;
		if (k == nhave)
			return c->recent[i];
	}
	return NULL;
}

/* "20% of OpenAI's revenue": a stake "of" a target followed by a
 * possessive of anything but its shares is no stake in it. */
static int
share_of_other(const struct norm *n, const PCRE2_SIZE *ov,
    const struct dealrule *r)
{
	static const char *const equity[] = { "shares ", "stock ", "equity ",
		"common ", "outstanding ", "capital ", "voting ", "class ",
		"ordinary " };

	int of = 0;
	PCRE2_SIZE stake_end = 0;

	for (size_t k = 0; k < r->nslots; k++)
		if (r->slots[k].role == SR_STAKE &&
		    ov[2 * r->slots[k].group] != PCRE2_UNSET &&
		    has_prefix(n->s.data + ov[2 * r->slots[k].group + 1],
		        " of ")) {
			of = 1;
			stake_end = ov[2 * r->slots[k].group + 1];
		}
	for (size_t k = 0; k < r->nslots && of; k++) {
		const char *p;

		/* (the target after the stake: "Y's largest shareholder
		 * with 14% of the shares" is no share of Y's something) */
		if (r->slots[k].role != ROLE_TARGET ||
		    ov[2 * r->slots[k].group] == PCRE2_UNSET ||
		    ov[2 * r->slots[k].group] < stake_end)
			continue;
		p = n->s.data + ov[2 * r->slots[k].group + 1];
		if (*p == ' ')
			p++;
		if (!has_prefix(p, "'s "))
			return 0;
		p += 3;
		for (size_t q = 0; q < countof(equity); q++)
			if (has_prefix(p, equity[q]))
				return 0;
		return 1;
	}
	return 0;
}

/* "rent Nvidia GPUs from Oracle": the maker named before the goods is
 * not the supplier when a "from" names one after them. */
static int
maker_not_seller(const struct norm *n, const PCRE2_SIZE *ov,
    const struct dealrule *r)
{
	for (size_t k = 0; k < r->nslots; k++) {
		size_t t;

		if (r->slots[k].role != ROLE_SUPPLIER ||
		    ov[2 * r->slots[k].group] == PCRE2_UNSET)
			continue;
		t = tok_at(n, ov[2 * r->slots[k].group]) + 1;
		for (size_t w = t; w < t + 5 && w + 1 < n->ntok; w++) {
			if (ntok_is(n, w, ", ") || ntok_is(n, w, ". ") ||
			    (w > t && ntok_party(n, w)))
				break;
			if ((ntok_is(n, w, "from ") ||
			        ntok_is(n, w, "through ") ||
			        ntok_is(n, w, "via ")) &&
			    ntok_party(n, w + 1))
				return 1;
		}
	}
	return 0;
}

/* Is w somewhere in the n bytes at s? */
static int
has_text(const char *s, size_t n, const char *w)
{
	return has_text_by(s, n, w, 0);
}

/* The same, memchr() looking for w[a] (a byte rarer than its first: 'x'
 * of "edited excerpt" stops it less often than 'e') */
static int
has_text_by(const char *s, size_t n, const char *w, size_t a)
{
	size_t l = strlen(w);
	const char *e = s + n, *p;

	if (n < l)
		return 0;
	for (p = s + a; (size_t)(e - p) >= l - a &&
	     (p = memchr(p, w[a], (size_t)(e - p) - (l - a) + 1)) != NULL;
	     p++)
		if (memcmp(p - a, w, l) == 0)
			return 1;
	return 0;
}

/* Does the sentence s end, at the byte at, with "a stake in " or "its
 * investment in "? Then "X valued at $Y" after it values the holding,
 * not X. */
static int
holding_in_before(const char *s, size_t at)
{
	static const char *const w[] = { "stake in ", "investment in ",
		"holding in ", "interest in ", "shares in ",
		"shareholding in " };

	for (size_t i = 0; i < countof(w); i++) {
		size_t l = strlen(w[i]);

		if (at >= l + 1 && s[at - l - 1] == ' ' &&
		    memcmp(s + at - l, w[i], l) == 0)
			return 1;
	}
	return 0;
}

/* Do the words say something was bought (not held)? */
static int
bought_words(const char *s, size_t n)
{
	static const char *const w[] = { " buy", " bought", " acquir",
		" purchas", " take ", " takes ", " took ", " taking ",
		" taken " };

	for (size_t i = 0; i < countof(w); i++)
		if (has_text(s, n, w[i]))
			return 1;
	return 0;
}

/* Is the sum placeholder that starts at byte start of the text followed
 * in n, at once or after one word, by one of the nouns w? */
static int
sum_before(const struct norm *n, size_t start, const char *const *w, size_t nw)
{
	for (size_t k = 0; k < n->nph; k++) {
		size_t t;

		if (n->ph[k].kind != 'M' || n->ph[k].start != start)
			continue;
		for (t = 0; t < n->ntok && n->tstart[t] != start; t++)
			;
		return ntok_any(n, t + 1, w, nw) ||
		    (t + 2 < n->ntok && n->s.data[n->noff[t + 1]] != '@' &&
		        ntok_any(n, t + 2, w, nw));
	}
	return 0;
}

/* A contract's noun after the sum ("a $3.2bn contract", "a $90m
 * five-year order")? */
static int
contract_after(const struct norm *n, size_t start)
{
	static const char *const w[] = { "contract ", "contracts ", "order ",
		"orders ", "deal ", "deals " };

	return sum_before(n, start, w, countof(w));
}

/* A takeover's noun after it ("accepts a $3.4bn offer from X")? */
static int
offer_after(const struct norm *n, size_t start)
{
	static const char *const w[] = { "offer ", "bid ", "takeover ",
		"buyout " };

	return sum_before(n, start, w, countof(w));
}

/* d as a deal of type: the party in role from takes role to, the other
 * role other (an investment's investor and target, a stake's holder and
 * target). */
static void
retype(struct deal *d, int type, int from, int to, int other)
{
	d->type = type;
	for (size_t q = 0; q < d->nparties; q++)
		d->parties[q].role = d->parties[q].role == from ? to : other;
}

/* Is token k inside a relative clause closed by a comma (", who opened
 * the first shop in 2009,") that the match of tokens m0 to m1 (not
 * included) does not reach into? */
static int
in_relative_clause(const struct norm *n, size_t k, size_t m0, size_t m1)
{
	size_t p = relative_start(n, k);

	if (!p)
		return 0;
	for (size_t q = k + 1; q < n->ntok; q++)
		if (ntok_is(n, q, ", "))
			return !(m0 < q && m1 > p);
	return 0;
}

/* "Westland shareholders will own 58% of the merged group": the
 * holder's owners hold it, not the holder. */
static int
owners_not_holder(const struct norm *n, const PCRE2_SIZE *ov,
    const struct dealrule *r)
{
	for (size_t k = 0; k < r->nslots; k++) {
		PCRE2_SIZE b;

		if (r->slots[k].role != ROLE_HOLDER ||
		    ov[2 * r->slots[k].group] == PCRE2_UNSET)
			continue;
		b = ov[2 * r->slots[k].group + 1];
		if (b + 1 < n->s.len &&
		    (has_prefix(n->s.data + b + 1, "shareholders ") ||
		        has_prefix(n->s.data + b + 1, "stockholders ") ||
		        has_prefix(n->s.data + b + 1, "investors ")))
			return 1;
	}
	return 0;
}

/* The target of d becomes name, unless name is a party of d already
 * ("X agreed to buy Y's stake in X"). */
static void
retarget(struct deal *d, const char *name)
{
	for (size_t q = 0; q < d->nparties; q++)
		if (strcmp(d->parties[q].name, name) == 0)
			return;
	for (size_t q = 0; q < d->nparties; q++)
		if (d->parties[q].role == ROLE_TARGET)
			d->parties[q].name = name;
}

/* One match of rule r over n: the deals it gives. */
static int
take_match(struct ctx *c, const struct dealrule *r, const struct norm *n,
    size_t si, PCRE2_SIZE *ov)
{
	struct deal base;
	const char *names[RULE_MAX_SLOTS * 4];
	int nroles[RULE_MAX_SLOTS * 4];
	size_t nn = 0, mtok0, mtok1;
	const struct ph *val = NULL;
	const char *vtarget = NULL;
	/* the roles of up to two lists ("X and Y agreed to buy A and B"):
	 * one deal for each member of one with each of the other */
	int multi[2] = { -1, -1 };
	size_t n2;
	int has_date = 0;
	const struct sentence *s = &c->sents->v[si];
	const char *from_context = NULL;
	int denied;

	c->nmatch++;
	memset(&base, 0, sizeof(base));
	base.type = r->type;
	mtok0 = tok_at(n, ov[0]);
	mtok1 = tok_at(n, ov[1] ? ov[1] - 1 : 0) + 1;
	/* "X, maker of A, B and C, will buy Y": C ends a list, it is no
	 * subject */
	if (mtok0 > 0 && ntok_party(n, mtok0) &&
	    (ntok_is(n, mtok0 - 1, "and ") || ntok_is(n, mtok0 - 1, "or ")) &&
	    ntok_is(n, mtok0 + 1, ", ") && !ntok_party(n, mtok0 + 2) &&
	    !opens_apposition(n, mtok0 + 2))
		return DW_OK;
	/* "X, which has invested in Y, would supply Z": Y, inside X's
	 * relative clause, is no subject of what follows the clause (the
	 * pass without appositions reads "X would supply Z") */
	if (ntok_party(n, mtok0) && in_apposition_before(n, mtok0, mtok1))
		return DW_OK;
	if (ntok_party(n, mtok0) && object_before_and(n, mtok0, mtok1))
		return DW_OK;
	if (ntok_party(n, mtok0) && across_relative_clause(n, mtok0, mtok1))
		return DW_OK;
	/* "the unit that X sold to Y": X, after "that", sold the unit, not
	 * itself */
	if (r->party_first && r->nslots && r->slots[0].role == ROLE_TARGET &&
	    mtok0 > 0 &&
	    (ntok_is(n, mtok0 - 1, "that ") ||
	        ntok_is(n, mtok0 - 1, "which ")) &&
	    (ntok_is(n, mtok0 + 1, "sold ") ||
	        ntok_is(n, mtok0 + 1, "sells ") ||
	        ntok_is(n, mtok0 + 1, "had sold ")))
		return DW_OK;
	for (size_t k = 0; k < r->nslots; k++) {
		const struct rule_slot *sl = &r->slots[k];
		PCRE2_SIZE a = ov[2 * sl->group], b = ov[2 * sl->group + 1];
		size_t o = a;

		if (a == PCRE2_UNSET)
			continue;
		if (sl->kind == SK_CONTEXT) {
			const char *who =
			    context_party(c, si, sl->role, names, nn);

			if (who && nn < countof(names)) {
				names[nn] = who;
				from_context = who;
				nroles[nn] = sl->role;
				nn++;
			}
			continue;
		}
		while (o < b) {
			char kind = 0;
			long idx = ph_index(n->s.data + o, b - o, &kind);
			size_t e = o;

			while (e < b && n->s.data[e] != ' ')
				e++;
			if (idx >= 0 && (size_t)idx < n->nph) {
				const struct ph *ph = &n->ph[idx];

				switch (sl->role) {
				case SR_AMOUNT:
					if (ph->kind == 'M' &&
					    !base.has_amount) {
						base.has_amount = 1;
						set_amount(&base.amount,
						    &base.amount_text, ph);
					}
					break;
				case SR_VALUATION:
					if (ph->kind == 'M') {
						val = ph;
						base.has_valuation = 1;
						set_amount(&base.valuation,
						    &base.valuation_text, ph);
					}
					break;
				case SR_STAKE:
					base.has_stake = 1;
					base.stake = ph->e->percent;
					base.stake_text.start = ph->start;
					base.stake_text.end = ph->end;
					{
						/* "a 10% stake": the text */
						size_t t = tok_at(n, o);

						if (t > 0 &&
						    (has_prefix(n->s.data +
						             n->noff[t - 1],
						         "a ") ||
						        has_prefix(n->s.data +
						                n->noff[t - 1],
						            "an ")))
							base.stake_text.start =
							    n->tstart[t - 1];
						if (t + 1 < n->ntok &&
						    has_prefix(n->s.data +
						            n->noff[t + 1],
						        "stake "))
							base.stake_text.end =
							    n->tend[t + 1];
					}
					break;
				case SR_DATE:
					if (!date_excluded(n, tok_at(n, o)) &&
					    !anchor_relative(c->text, ph)) {
						set_date(&base, ph->e);
						has_date = 1;
					}
					break;
				default:
					if ((ph->kind == 'P' ||
					        ph->kind == 'N') &&
					    nn < countof(names)) {
						if (sl->kind == SK_PARTIES &&
						    sl->role != ROLE_PARTY) {
							if (multi[0] < 0)
								multi[0] =
								    sl->role;
							else if (multi[1] < 0 &&
							    sl->role !=
							        multi[0])
								multi[1] =
								    sl->role;
						}
						names[nn] = ph->name;
						nroles[nn] = sl->role;
						nn++;
						if (r->type == RULE_VALUATION ||
						    r->type == RULE_AMOUNT)
							vtarget = ph->name;
					}
				}
			}
			o = e + 1;
		}
	}
	if (r->type == RULE_VALUATION) {
		if (holding_in_before(n->s.data, ov[0]))
			return DW_OK;
		if (val && note_valuation(c, si, val, vtarget) != DW_OK)
			return DW_ETOOBIG;
		return DW_OK;
	}
	if (r->type == RULE_AMOUNT) {
		/* "the investment will total": the last investment */
		const char *m = n->s.data + ov[0];
		size_t ml = ov[1] - ov[0];
		int want =
		    has_text(m, ml, "investment") || has_text(m, ml, "funding")
		    ? DEAL_INVESTMENT
		    : has_text(m, ml, "acquisition") ||
		        has_text(m, ml, "takeover")
		    ? DEAL_ACQUISITION
		    : 0;

		if (base.has_amount)
			attach_amount(c, si, &base, vtarget, want);
		return DW_OK;
	}
	/* the date: from the clause, else the nearest in the sentence, else
	 * the last one before it in the paragraph */
	if (!has_date) {
		const struct ph *best = NULL;
		size_t bestd = (size_t)-1;

		for (size_t k = 0; k < n->nph; k++) {
			const struct ph *ph = &n->ph[k];
			size_t tk, dist;

			if (ph->kind != 'D' || !ph->e->date.value[0])
				continue;
			for (tk = 0; tk < n->ntok; tk++)
				if (n->tstart[tk] == ph->start)
					break;
			/* (none from an apposition this reading left out) */
			if (tk == n->ntok || date_excluded(n, tk) ||
			    anchor_relative(c->text, ph))
				continue;
			dist = tk < mtok0 ? mtok0 - tk
			    : tk >= mtok1 ? tk - mtok1 + 1
			                  : 0;
			/* "announced on Friday, follows a $4 billion
			 * investment completed earlier this year": a date
			 * across a comma is further than one in the clause */
			for (size_t q = tk < mtok0 ? tk + 1 : mtok1,
			            e = tk < mtok0 ? mtok0 : tk;
			     q < e; q++)
				if (ntok_is(n, q, ",") || ntok_is(n, q, ";"))
					dist += 3;
			/* "X, who opened the first shop in 2009, has agreed
			 * to sell": a relative clause's date is another's */
			if (in_relative_clause(n, tk, mtok0, mtok1))
				dist += 20;
			if (dist < bestd) {
				best = ph;
				bestd = dist;
			}
		}
		if (best) {
			set_date(&base, best->e);
		} else {
			const struct entity *e = date_before(c, si, s->start);

			if (e)
				set_date(&base, e);
		}
	}
	if (base.date.value[0])
		fix_said_weekday(c, &base);
	base.status = status_of(c, n, mtok0, mtok1, r->status);
	if (base.status == ST_ANNOUNCED && !r->status && !c->cue_hit &&
	    base.date.value[0] && c->published &&
	    strncmp(base.date.value, c->published, 4) < 0)
		base.status = ST_COMPLETED; /* done in a year gone by */
	/* the words deny it: kept apart, to drop the rumour the article
	 * told of it as well */
	denied = base.status < 0;
	if (denied)
		base.status = ST_TALKS;
	base.evidence[0].start = s->start;
	base.evidence[0].end = s->end;
	base.nevidence = 1;
	/* one deal per investor of a round (member m of the first list,
	 * m2 of the second); all parties of a merger */
	n2 = multi[1] < 0 ? 1 : nn;
	for (size_t mm = 0; mm < nn * n2; mm++) {
		size_t m = mm / n2, m2 = mm % n2;
		struct deal d = base;
		int ok = 1, goods = 0;
		const char *stake_in = NULL;

		if (multi[0] < 0 ? m > 0 : nroles[m] != multi[0])
			continue;
		if (multi[1] < 0 ? m2 > 0 : nroles[m2] != multi[1])
			continue;
		for (size_t k = 0; k < nn; k++) {
			size_t dup = 0;

			if ((k != m && nroles[k] == multi[0]) ||
			    (k != m2 && nroles[k] == multi[1]))
				continue;
			for (size_t q = 0; q < d.nparties; q++)
				if (strcmp(d.parties[q].name, names[k]) == 0)
					dup = 1;
			if (dup) {
				if (r->type != DEAL_MERGER &&
				    r->type != DEAL_PARTNERSHIP)
					ok = 0;
				continue;
			}
			if (d.nparties == DEAL_MAX_PARTIES)
				break;
			d.parties[d.nparties].role = nroles[k];
			d.parties[d.nparties].name = names[k];
			d.nparties++;
		}
		if (!ok || d.nparties < 2)
			continue;
		if (d.type == DEAL_ACQUISITION &&
		    (goods = target_then_stake(n, ov, r, &stake_in)) == 2)
			continue;
		/* a unit bought, named after its owner's possessive */
		if (d.type == DEAL_ACQUISITION && goods == 3)
			retarget(&d, stake_in);
		/* shares bought: an investment (in the company whose shares
		 * they are, not in the seller) */
		if (d.type == DEAL_ACQUISITION && goods == 1) {
			retype(&d, DEAL_INVESTMENT, ROLE_ACQUIRER,
			    ROLE_INVESTOR, ROLE_TARGET);
			if (stake_in)
				retarget(&d, stake_in);
		}
		if (d.type == DEAL_STAKE && share_of_other(n, ov, r))
			continue;
		if (d.type == DEAL_STAKE && owners_not_holder(n, ov, r))
			continue;
		if (d.type == DEAL_SUPPLY && maker_not_seller(n, ov, r))
			continue;
		/* "X and Y agreed to combine their deposits into a single
		 * joint venture": a partnership, not a merger */
		if (d.type == DEAL_MERGER && ov[1] + 14 <= n->s.len &&
		    has_text(n->s.data + ov[1], n->s.len - ov[1],
		        "joint venture"))
			d.type = DEAL_PARTNERSHIP;
		/* "took a controlling interest in Y for $310 million": a
		 * sum for a stake buys control (an acquisition), or shares
		 * (an investment) */
		if (d.type == DEAL_STAKE && d.has_amount && !d.has_stake) {
			const char *mt = n->s.data + ov[0];
			size_t ml = ov[1] - ov[0];

			if (has_text(mt, ml, "controlling ") ||
			    has_text(mt, ml, "majority "))
				retype(&d, DEAL_ACQUISITION, ROLE_HOLDER,
				    ROLE_ACQUIRER, ROLE_TARGET);
			else
				retype(&d, DEAL_INVESTMENT, ROLE_HOLDER,
				    ROLE_INVESTOR, ROLE_TARGET);
		}
		/* a stake with no sum tied to it is a stake (CONTRACT.md),
		 * "Y would have sold a 30% stake to X" */
		if (d.type == DEAL_INVESTMENT && d.has_stake && !d.has_amount &&
		    d.stake <= 50)
			retype(&d, DEAL_STAKE, ROLE_INVESTOR, ROLE_HOLDER,
			    ROLE_TARGET);
		/* buying more than half of a company takes it over */
		if (d.type == DEAL_STAKE && d.has_stake && d.stake > 50 &&
		    bought_words(n->s.data + ov[0], ov[1] - ov[0]))
			retype(&d, DEAL_ACQUISITION, ROLE_HOLDER, ROLE_ACQUIRER,
			    ROLE_TARGET);
		/* "X won a £3.2bn contract from Y": a sum for a contract
		 * buys X's goods (Y pays, as an investor would) */
		if (d.type == DEAL_INVESTMENT && d.has_amount &&
		    contract_after(n, d.amount_text.start))
			retype(&d, DEAL_SUPPLY, ROLE_INVESTOR, ROLE_CUSTOMER,
			    ROLE_SUPPLIER);
		/* "Y accepts a $3.4bn offer from X": X would buy Y */
		if (d.type == DEAL_INVESTMENT && d.has_amount && !d.has_stake &&
		    offer_after(n, d.amount_text.start))
			retype(&d, DEAL_ACQUISITION, ROLE_INVESTOR,
			    ROLE_ACQUIRER, ROLE_TARGET);
		/* a sum paid for more than half of a company buys it
		 * (CONTRACT.md: an acquisition when it gives control) */
		if (d.type == DEAL_INVESTMENT && d.has_stake && d.stake > 50)
			retype(&d, DEAL_ACQUISITION, ROLE_INVESTOR,
			    ROLE_ACQUIRER, ROLE_TARGET);
		/* roles the sectors decide: the supplier-like one supplies */
		if (d.type == DEAL_SUPPLY) {
			size_t a = (size_t)-1, b = (size_t)-1;

			for (size_t q = 0; q < d.nparties; q++) {
				if (d.parties[q].role != SR_SIDE)
					continue;
				if (a == (size_t)-1)
					a = q;
				else
					b = q;
			}
			if (a != (size_t)-1 && b != (size_t)-1) {
				int sa = supplier_like(c, d.parties[a].name);
				int sb = supplier_like(c, d.parties[b].name);

				d.parties[a].role = ROLE_CUSTOMER;
				d.parties[b].role = ROLE_SUPPLIER;
				if (sa && !sb) {
					d.parties[a].role = ROLE_SUPPLIER;
					d.parties[b].role = ROLE_CUSTOMER;
				}
				/* with no sector to tell, only words of supply
				 * make it a supply deal */
				if (!sa && !sb &&
				    !supply_words(n->s.data + ov[0],
				        ov[1] - ov[0]))
					ok = 0;
			}
			for (size_t q = 0; q < d.nparties; q++)
				if (d.parties[q].role == SR_SIDE)
					ok = 0;
		}
		if (ok) {
			size_t had = c->nf;

			if (add_found(c, &d, si) != DW_OK)
				return DW_ETOOBIG;
			if (c->nf > had) {
				c->f[had].from_context = from_context;
				c->f[had].denied = denied;
			}
		}
	}
	return DW_OK;
}

static int
has_needs(const struct ctx *c, const struct dealrule *r)
{
	for (size_t i = 0; i < r->nneed; i++)
		if (!bit_is(c->have, r->need[i]))
			return 0;
	return 1;
}

/* Is normalized token k one of words (dealrule.adj: each its length
 * and its bytes, 0 ends them; bloom: their adj_bit()s)? */
static inline __attribute__((always_inline)) int
ntok_in(const struct norm *n, size_t k, const char *words, uint64_t bloom)
{
	const char *w = n->s.data + n->noff[k];
	size_t len =
	    (k + 1 < n->ntok ? n->noff[k + 1] : n->s.len) - n->noff[k] - 1;

	if (!((bloom >> adj_bit(len, w[0])) & 1))
		return 0;
	for (size_t l; (l = (unsigned char)*words) != 0; words += l + 1)
		if (l == len && words[1] == w[0] &&
		    memcmp(words + 1, w, len) == 0)
			return 1;
	return 0;
}

/* Has n the words r needs right next to its placeholders (r->adj)? */
static int
has_adjacent(const struct norm *n, const struct dealrule *r)
{
	for (size_t q = 0; q < r->nadj; q++) {
		char cls = r->adj[q].cls;
		int found = 0;

		/* where n knows its placeholders' tokens, only those */
		for (size_t x = 0; n->ph_tok && x < n->nph && !found; x++) {
			char kind = n->ph[x].kind;
			size_t k = n->ph[x].tok;

			if (!(kind == cls || (cls == 'P' && kind == 'N')))
				continue;
			if (r->adj[q].after ? k + 1 < n->ntok : k > 0)
				found =
				    ntok_in(n, r->adj[q].after ? k + 1 : k - 1,
				        r->adj[q].words, r->adj[q].bloom);
		}
		for (size_t k = 0; !n->ph_tok && k < n->ntok && !found; k++) {
			const char *w = n->s.data + n->noff[k];

			if (w[0] != '@' ||
			    !(w[1] == cls || (cls == 'P' && w[1] == 'N')))
				continue;
			if (r->adj[q].after ? k + 1 < n->ntok : k > 0)
				found =
				    ntok_in(n, r->adj[q].after ? k + 1 : k - 1,
				        r->adj[q].words, r->adj[q].bloom);
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* Has n the words r needs one right after the other (r->ww)? */
static int
has_word_pairs(const struct norm *n, const struct dealrule *r)
{
	for (size_t q = 0; q < r->nww; q++) {
		int found = 0;

		for (size_t k = 0; k + 1 < n->ntok && !found; k++)
			found = ntok_in(n, k, r->ww[q].a, r->ww[q].abloom) &&
			    ntok_in(n, k + 1, r->ww[q].b, r->ww[q].bbloom);
		if (!found)
			return 0;
	}
	return 1;
}

/* Has n a word of r->wp[].a with a party in the five tokens after it
 * and nothing the short gap stops at before the party? */
static int
has_word_gap_party(const struct ctx *c, const struct norm *n,
    const struct dealrule *r)
{
	for (size_t q = 0; q < r->nwp; q++) {
		int found = 0;

		for (size_t k = 0; k + 1 < n->ntok && !found; k++) {
			if (!ntok_in(n, k, r->wp[q].a, r->wp[q].abloom))
				continue;
			for (size_t j = k + 1; j < n->ntok && j <= k + 6; j++) {
				const char *w = n->s.data + n->noff[j];

				if (w[0] == '@' &&
				    (w[1] == 'P' || w[1] == 'N')) {
					found = 1;
					break;
				}
				if ((w[0] == '@' &&
				        (w[1] == 'M' || w[1] == 'C')) ||
				    ntok_in(n, j, c->d->gap_stop,
				        c->d->gap_bloom))
					break;
			}
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* The word groups of the normalized tokens of n from token k to its
 * end (nwords words), found once for each n, si and k; NULL past the
 * arena's limit. */
static const uint64_t *
groups_from(struct ctx *c, const struct norm *n, size_t si, size_t k)
{
	const struct wordtab *wt = &c->d->words;

	if (c->suf && c->suf_n == n && c->suf_si == si && c->suf_k == k)
		return c->suf;
	if (!c->suf) {
		c->suf = NEW_UNINIT(c->a, uint64_t, wt->nwords + 1);
		if (!c->suf)
			return NULL;
	}
	memset(c->suf, 0, wt->nwords * sizeof(*c->suf));
	for (size_t q = k; q < n->ntok; q++) {
		size_t o = n->noff[q];
		size_t len =
		    (q + 1 < n->ntok ? n->noff[q + 1] : n->s.len) - o - 1;

		if (len >= 3 && wordtab_maybe(wt, n->s.data + o))
			(void)wordtab_hits_inline(wt, n->s.data + o,
			    MIN(len, 64), n->s.len - o, c->suf);
	}
	c->suf_n = n;
	c->suf_si = si;
	c->suf_k = k;
	return c->suf;
}

/* Do the words of n from token k on have every word group rule r needs?
 * (1 when they are not known.) */
static int
needs_from(struct ctx *c, const struct dealrule *r, const struct norm *n,
    size_t si, size_t k)
{
	const uint64_t *suf = groups_from(c, n, si, k);

	if (!suf)
		return 1;
	for (size_t i = 0; i < r->nneed; i++)
		if (!bit_is(suf, r->need[i]))
			return 0;
	return 1;
}

/* May rule r match n at a token that starts at or after byte start?
 * 0 when it cannot: a match lies in the tokens from there (from the
 * first party there for a rule that opens with one), and those have
 * too few parties for its slots or no word of one of its need groups
 * (what has_needs() asks of the whole sentence). */
static int
may_match_from(struct ctx *c, const struct dealrule *r, const struct norm *n,
    size_t si, size_t start)
{
	size_t k = tok_at(n, start), parties = 0;

	if (n->noff[k] < start)
		k++;
	while (r->party_first && k < n->ntok && !ntok_is_party(n, k))
		k++;
	if (k >= n->ntok)
		return 0;
	for (size_t q = k; q < n->ntok; q++)
		parties += ntok_is_party(n, q);
	if (parties < r->min[PH_PARTY])
		return 0;
	return needs_from(c, r, n, si, k);
}

/* may_match_from(c, r, n, si, 0) without the count of parties, which
 * from the first party on are all of n's (run_rules() counted them). */
static int
needs_from_first_party(struct ctx *c, const struct dealrule *r,
    const struct norm *n, size_t si)
{
	size_t k = 0;

	while (k < n->ntok && !ntok_is_party(n, k))
		k++;
	if (k >= n->ntok)
		return 0;
	return needs_from(c, r, n, si, k);
}

/* Into cand (rwords words) the rules the word groups raw trigger, and
 * those with no trigger words (tried everywhere). */
static void
triggered_rules(const struct dealrules *d, const uint64_t *raw, uint64_t *cand)
{
	/* (rwords is a multiple of four: four words a turn) */
	memcpy(cand, d->untrig, d->rwords * sizeof(*cand));
	for (size_t w = 0; w < d->words.nwords; w++)
		for (uint64_t b = raw[w] & d->trigs[w]; b; b &= b - 1) {
			size_t g = w * 64 + (size_t)__builtin_ctzll(b);
			const uint64_t *row = d->by_trig + g * d->rwords;

			for (size_t q = 0; q < d->rwords; q += 4) {
				cand[q] |= row[q];
				cand[q + 1] |= row[q + 1];
				cand[q + 2] |= row[q + 2];
				cand[q + 3] |= row[q + 3];
			}
		}
}

/* Rule r over n, at each place it matches. run_rules() tries only the
 * rules n has parties for, and placeholders enough of each kind unless
 * recount (it has four or more of a kind, and some rule needs more). */
static int
try_rule(struct ctx *c, const struct dealrule *r, const struct norm *n,
    size_t si, const unsigned *cnt, int recount)
{
	PCRE2_SIZE start = 0;
	int jit;

	if ((recount &&
	        (cnt[PH_PARTY] < r->min[PH_PARTY] ||
	            cnt[PH_MONEY] < r->min[PH_MONEY] ||
	            cnt[PH_PERCENT] < r->min[PH_PERCENT] ||
	            cnt[PH_DATE] < r->min[PH_DATE])) ||
	    !has_needs(c, r))
		return DW_OK;
	c->may_try = 1;
	if (!has_adjacent(n, r))
		return DW_OK;
	/* a rule that opens with a party matches from a party on: where
	 * words come before the first, those after it must have what it
	 * needs (as where it is tried again after a match, below; its
	 * parties are all from there) */
	if (r->party_first && n->ntok && !ntok_is_party(n, 0) &&
	    !needs_from_first_party(c, r, n, si))
		return DW_OK;
	/* nor where two words it has one right after the other are not
	 * so in n */
	if (r->nww && !has_word_pairs(n, r))
		return DW_OK;
	/* nor where no party follows its word before the gap stops */
	if (r->nwp && !has_word_gap_party(c, n, r))
		return DW_OK;
	jit = dealrules_jit(c->d, (size_t)(r - c->d->v));
	while (start < n->s.len) {
		int rc = rx_match(jit, r->re, n->s.data, n->s.len, start, c->md,
		    c->d->mctx);
		PCRE2_SIZE *ov;
		size_t next;

		if (rc == PCRE2_ERROR_MATCHLIMIT ||
		    rc == PCRE2_ERROR_DEPTHLIMIT) {
			if (!c->limit_hit)
				buf_setf(c->err,
				    "warning: rule %s "
				    "passed its match limit on bytes "
				    "%zu-%zu; skipped there",
				    r->where, c->sents->v[si].start,
				    c->sents->v[si].end);
			c->limit_hit = 1;
			break;
		}
		if (rc < 0)
			break;
		ov = pcre2_get_ovector_pointer(c->md);
		if (c->explain)
			buf_addf(c->explain, "  %s matched: %.*s\n", r->where,
			    (int)(ov[1] - ov[0]), n->s.data + ov[0]);
		if (take_match(c, r, n, si, ov) != DW_OK)
			return DW_ETOOBIG;
		/* go on after the first token of this match, where it can
		 * match again */
		next = ov[0];
		while (next < n->s.len && n->s.data[next] != ' ')
			next++;
		start = next + 1;
		if (start < n->s.len && !may_match_from(c, r, n, si, start))
			break;
	}
	return DW_OK;
}

static int
run_rules(struct ctx *c, const struct norm *n, size_t si)
{
	const struct dealrules *d = c->d;
	uint64_t *cand = c->cand;
	const unsigned *cnt = n->cnt;
	int recount = 0;

	/* one party or none, and too few placeholders of some kind for
	 * every rule that needs no two: no rule to try */
	if (n->nparty < 2)
		for (size_t ph = 0; ph < 4; ph++)
			if (cnt[ph] < d->one_min[ph])
				return DW_OK;
	/* the rules whose trigger words the sentence has (c->raw), in order;
	 * of those, the ones whose other words (c->have) and placeholders
	 * (cnt) are there too: a rule that cannot match is not tried */
	triggered_rules(d, c->raw, cand);
	/* the rules that need more placeholders than n has: out at once
	 * (try_rule() counts again only past what fewer[] knows) */
	for (size_t ph = 0; ph < 4; ph++) {
		if (cnt[ph] < 4) {
			const uint64_t *f = d->fewer[ph * 4 + cnt[ph]];

			for (size_t q = 0; q < d->rwords; q += 4) {
				cand[q] &= ~f[q];
				cand[q + 1] &= ~f[q + 1];
				cand[q + 2] &= ~f[q + 2];
				cand[q + 3] &= ~f[q + 3];
			}
		} else if (cnt[ph] < d->max_min[ph]) {
			recount = 1;
		}
	}
	if (n->nparty < 2)
		for (size_t q = 0; q < d->rwords; q++)
			cand[q] &= ~d->two_parties[q];
	for (size_t w = 0; w < d->rwords; w++)
		for (uint64_t b = cand[w]; b; b &= b - 1) {
			size_t k = w * 64 + (size_t)__builtin_ctzll(b);

			if (k < d->n) {
				int rc =
				    try_rule(c, &d->v[k], n, si, cnt, recount);

				if (rc != DW_OK)
					return rc;
			}
		}
	return DW_OK;
}

static int
same_parties(const struct deal *a, const struct deal *b)
{
	if (a->type != b->type || a->nparties != b->nparties)
		return 0;
	for (size_t i = 0; i < a->nparties; i++) {
		size_t j;

		for (j = 0; j < b->nparties; j++)
			if (a->parties[i].role == b->parties[j].role &&
			    strcmp(a->parties[i].name, b->parties[j].name) == 0)
				break;
		if (j == b->nparties)
			return 0;
	}
	return 1;
}

static int
amounts_agree(const struct deal *a, const struct deal *b)
{
	double x, y;

	if (!a->has_amount || !b->has_amount)
		return 1;
	x = a->amount.value;
	y = b->amount.value;
	return x - y <= 0.01 * MAX(x, y) && y - x <= 0.01 * MAX(x, y);
}

static int
dates_agree(const struct deal *a, const struct deal *b)
{
	if (!a->date.value[0] || !b->date.value[0])
		return 1;
	return strcmp(a->date.value, b->date.value) == 0;
}

/* May a and b be mentions of one deal: amounts and dates that do not
 * disagree? (A stake said by one of them only is no disagreement.) */
static int
figures_agree(const struct deal *a, const struct deal *b)
{
	return amounts_agree(a, b) && dates_agree(a, b);
}

static void
merge_into(struct deal *dst, const struct deal *src)
{
	/* the mention with a sum or a date says more of the deal's state
	 * than a passing one before it */
	if (!dst->has_amount && !dst->date.value[0] &&
	    (src->has_amount || src->date.value[0]) && src->status)
		dst->status = src->status;
	/* a bid told, then called off: it ended */
	else if (src->status == ST_TERMINATED &&
	    (dst->status == ST_TALKS || dst->status == ST_ANNOUNCED))
		dst->status = ST_TERMINATED;
	if (!dst->has_amount && src->has_amount) {
		dst->has_amount = 1;
		dst->amount = src->amount;
		dst->amount_text = src->amount_text;
	}
	if (!dst->has_stake && src->has_stake) {
		dst->has_stake = 1;
		dst->stake = src->stake;
		dst->stake_text = src->stake_text;
	}
	if (!dst->has_valuation && src->has_valuation) {
		dst->has_valuation = 1;
		dst->valuation = src->valuation;
		dst->valuation_text = src->valuation_text;
	}
	if (!dst->date.value[0] && src->date.value[0]) {
		dst->date = src->date;
		dst->date_text = src->date_text;
	}
	for (size_t i = 0; i < src->nevidence; i++) {
		size_t j;

		for (j = 0; j < dst->nevidence; j++)
			if (dst->evidence[j].start == src->evidence[i].start)
				break;
		if (j == dst->nevidence && dst->nevidence < DEAL_MAX_EVIDENCE)
			dst->evidence[dst->nevidence++] = src->evidence[i];
	}
}

/* d's parties in the order of CONTRACT.md: investor, acquirer, holder
 * or customer first, then target or supplier (parties keep theirs). */
static void
order_roles(struct deal *d)
{
	for (size_t i = 1; i < d->nparties; i++) {
		struct party p = d->parties[i];
		int second = p.role == ROLE_TARGET || p.role == ROLE_SUPPLIER;
		size_t j = i;

		/* (stable: a first-place role moves before second-place ones) */
		while (!second && j > 0 &&
		    (d->parties[j - 1].role == ROLE_TARGET ||
		        d->parties[j - 1].role == ROLE_SUPPLIER)) {
			d->parties[j] = d->parties[j - 1];
			j--;
		}
		d->parties[j] = p;
	}
}

/* "Microsoft Azure" where the article says "Microsoft" too: a unit
 * named by its company's name and more words. */
static int
unit_name(const char *company, const char *unit)
{
	size_t n = strlen(company);

	return strncmp(unit, company, n) == 0 && unit[n] == ' ';
}

/* Does the word w end companies' names ("Industries", "Group")? */
static int
name_end(const char *w)
{
	for (size_t k = 0; k < countof(name_ends); k++)
		if (strcmp(w, name_ends[k]) == 0)
			return 1;
	return 0;
}

/* Is the longer name, the company's name and one more word, its full
 * name ("Caldera Savings Bank" for "Caldera Savings", "Norrvik Group"),
 * not a unit's ("Microsoft Azure")? */
static int
full_form(const char *company, const char *longer)
{
	static const char *const ends[] = { "Bank", "Group", "Holdings",
		"Holding", "Capital", "Partners", "Inc", "Corp", "Corporation",
		"Company", "Co", "Ltd", "Limited", "Plc", "PLC", "LLC", "SA",
		"AG", "NV", "SE", "ASA", "AB", "Oyj", "GmbH" };
	const char *w = longer + strlen(company) + 1;

	for (size_t k = 0; k < countof(ends); k++)
		if (strcmp(w, ends[k]) == 0)
			return 1;
	return 0;
}

/* a and b name the same parties in the same roles, one of them (at
 * least once) by a unit's name where the other has its company's. */
static int
same_but_units(const struct deal *a, const struct deal *b)
{
	int unit = 0;

	if (a->type != b->type || a->nparties != b->nparties)
		return 0;
	for (size_t i = 0; i < a->nparties; i++) {
		const char *x = a->parties[i].name;
		size_t j;

		for (j = 0; j < b->nparties; j++) {
			const char *y = b->parties[j].name;

			if (a->parties[i].role != b->parties[j].role)
				continue;
			if (strcmp(x, y) == 0)
				break;
			if (unit_name(x, y) || unit_name(y, x)) {
				unit = 1;
				break;
			}
		}
		if (j == b->nparties)
			return 0;
	}
	return unit;
}

/* "Microsoft reached a deal with OpenAI", then "OpenAI will purchase
 * $250 billion of Microsoft Azure services": one deal, under the
 * company's name. */
static void
merge_units(struct deal_list *out)
{
	size_t k = 0;

	for (size_t i = 0; i < out->n; i++) {
		struct deal *x = &out->v[i];
		size_t j;

		/* (not "Nationale Borg, Nationale Borg Reinsurance and ...":
		 * a sentence names two companies so) */
		for (j = 0; j < k; j++)
			if (out->v[j].evidence[0].start !=
			        x->evidence[0].start &&
			    same_but_units(&out->v[j], x) &&
			    figures_agree(&out->v[j], x))
				break;
		if (j == k) {
			out->v[k++] = *x;
			continue;
		}
		merge_into(&out->v[j], x);
		for (size_t q = 0; q < out->v[j].nparties; q++)
			for (size_t r = 0; r < x->nparties; r++) {
				const char **have = &out->v[j].parties[q].name;
				const char *nm = x->parties[r].name;

				if (unit_name(nm, *have)
				        ? !full_form(nm, *have)
				        : unit_name(*have, nm) &&
				            full_form(*have, nm))
					*have = nm;
			}
	}
	out->n = k;
}

/* Has some rule a sentence with the word groups raw could start all
 * the words it needs (as has_needs() asks once it is normalized, when
 * the normalizer's own words, c->syn, may be there too)? */
static int
rule_may_match(const struct ctx *c, size_t si, const uint64_t *raw)
{
	const struct dealrules *d = c->d;
	const struct sentence *s = &c->sents->v[si];
	uint64_t *cand = c->cand, *have = c->have;
	size_t nw = d->words.nwords;
	unsigned ph_max[4] = { 0, 0, 0, 0 };

	if (c->ph_known) {
		const struct entity_list *el = c->gate_ents;

		for (size_t k = c->gate_ri;
		     k < el->n && el->v[k].start < s->end; k++)
			if (el->v[k].type == ENT_MONEY)
				ph_max[PH_MONEY]++;
			else if (el->v[k].type == ENT_DATE)
				ph_max[PH_DATE]++;
			else if (el->v[k].type == ENT_PERCENT)
				ph_max[PH_PERCENT]++;
	}

	triggered_rules(d, raw, cand);
	/* the stakes in words normalize() reads ("a fifth of") count too:
	 * looked for only where a rule would go for want of them */
	if (c->ph_known && ph_max[PH_PERCENT] < 4) {
		const uint64_t *f =
		    d->fewer[PH_PERCENT * 4 + ph_max[PH_PERCENT]];
		uint64_t want = 0;

		for (size_t q = 0; q < d->rwords; q++)
			want |= cand[q] & f[q];
		/* (and only where one of their nouns is) */
		if (!bit_is(raw, d->frac_group))
			want = 0;
		for (size_t i = s->first;
		     want && i < s->last && ph_max[PH_PERCENT] < 4; i++) {
			size_t fl = 0;

			if (c->toks->v[i].kind == TK_WORD &&
			    fraction_maybe(c->text, &c->toks->v[i]) &&
			    fraction_at(c->text, c->toks->v, i, s->last, &fl))
				ph_max[PH_PERCENT]++;
		}
	}
	/* nor those that need more sums, percentages or dates than the
	 * sentence has (each such placeholder is a recognizer's entity or
	 * a stake in words: c->ph_max, where known) */
	for (size_t ph = PH_MONEY; ph <= PH_DATE && c->ph_known; ph++)
		if (ph_max[ph] < 4) {
			const uint64_t *f = d->fewer[ph * 4 + ph_max[ph]];

			for (size_t q = 0; q < d->rwords; q++)
				cand[q] &= ~f[q];
		}
	for (size_t w = 0; w < nw; w++)
		have[w] = raw[w] | c->syn[w];
	for (size_t w = 0; w < d->rwords; w++)
		for (uint64_t b = cand[w]; b; b &= b - 1) {
			size_t k = w * 64 + (size_t)__builtin_ctzll(b), i;
			const uint64_t *m = d->needmask + k * nw;

			if (k >= d->n)
				continue;
			for (i = 0; i < nw && !(m[i] & ~have[i]); i++)
				;
			if (i == nw)
				return 1;
		}
	return 0;
}

/* Mark the rules that sentence si can start (the word groups it has,
 * into raw, nwords words: written when it returns nonzero); 0 when
 * none. *anyhit: some rule's trigger word is there. */
static int
sentence_triggers(struct ctx *c, size_t si, int *anyhit, uint64_t *raw)
{
	const struct sentence *s = &c->sents->v[si];
	int any = 0;
	size_t names = 0;

	/* two companies at least, or names that may be: capitalized words,
	 * "xAI", or "it", "its", "the" and "companies" (coreference) */
	for (size_t i = s->first; i < s->last && names < 2; i++) {
		const struct tok *t = &c->toks->v[i];
		unsigned char ch = (unsigned char)c->text.p[t->start];

		if (t->kind != TK_WORD)
			continue;
		if (tok_is(c->text, t, "companies") ||
		    tok_is(c->text, t, "firms"))
			names += 2;
		if ((ch >= 'A' && ch <= 'Z') ||
		    (ch >= 0xc3 && tok_upper(c->text, t)) ||
		    (t->end - t->start > 1 && c->text.p[t->start + 1] >= 'A' &&
		        c->text.p[t->start + 1] <= 'Z') ||
		    (ch == 'i' && t->end - t->start >= 2 &&
		        t->end - t->start <= 4 &&
		        c->text.p[t->start + 1] == 't') ||
		    (ch == 't' && t->end - t->start == 3 &&
		        c->text.p[t->start + 1] == 'h'))
			names++;
	}
	*anyhit = 0;
	if (names < 2)
		return 0;
	memset(raw, 0, c->d->words.nwords * sizeof(*raw));
	{
		/* in locals: wordtab_hits() is a call, after which the
		 * compiler would read c's fields again */
		const struct wordtab *wt = &c->d->words;
		const struct tok *tv = c->toks->v;
		const char *tp = c->text.p;
		size_t tl = c->text.len;

		/*
		 * In batches: the cache slots of a batch's words are
		 * fetched from memory all at once, then read (one at a time,
		 * each would wait for memory in turn).
		 */
		struct {
			const uint64_t *ce; /* its cache slot, or NULL */
			uint64_t x0, x1;
			size_t tok, len;
		} bt[32];

		for (size_t i = s->first, e = s->last; i < e;) {
			size_t nb = 0;

			for (; i < e && nb < countof(bt); i++) {
				/* the first 64 bytes of a word */
				size_t len = MIN(tv[i].end - tv[i].start, 64);
				const char *w = tp + tv[i].start;

				if (tv[i].kind != TK_WORD || len < 3 ||
				    !wordtab_maybe(wt, w))
					continue;
				bt[nb].tok = i;
				bt[nb].len = len;
				bt[nb].ce = NULL;
				if (len <= 16 && tl - tv[i].start >= 16 &&
				    wt->nb) {
					wordtab_bytes(w, len, 16, &bt[nb].x0,
					    &bt[nb].x1);
					bt[nb].ce = wt->cache +
					    wordtab_slot(bt[nb].x0, bt[nb].x1,
					        len) *
					        (3 + wt->nwords);
					__builtin_prefetch(bt[nb].ce);
				}
				nb++;
			}
			for (size_t k = 0; k < nb; k++) {
				const uint64_t *ce = bt[k].ce;

				if (ce && ce[0] == bt[k].x0 &&
				    ce[1] == bt[k].x1 &&
				    (ce[2] & 0xff) == bt[k].len) {
					/* (a word of no group has no bits) */
					if (ce[2] >> 8)
						for (size_t w = 0;
						     w < wt->nwords; w++)
							raw[w] |= ce[3 + w];
					continue;
				}
				(void)wordtab_hits(wt, tp + tv[bt[k].tok].start,
				    bt[k].len, tl - tv[bt[k].tok].start, raw);
			}
		}
	}
	for (size_t w = 0; w < c->d->words.nwords; w++)
		if (raw[w] & c->d->trigs[w])
			*anyhit = any = 1;
	/* a rule without trigger words is tried everywhere */
	for (size_t q = 0; q < c->d->rwords && !any; q++)
		any = c->d->untrig[q] != 0;
	/* none whose other words are here too (or the normalizer may
	 * add: c->syn): no rule can match (run_rules() asks the same
	 * of the normalized sentence, after the work of making it) */
	if (any && c->syn && !rule_may_match(c, si, raw))
		*anyhit = any = 0;
	return any;
}

/* A bit per token of toks with a '-' after its first byte ("US-based"),
 * found from the few '-' in the text; NULL past the arena's limit. */
static uint64_t *
hyphens(struct span text, const struct tok_list *toks, struct arena *a)
{
	uint64_t *bits = NEW(a, uint64_t, toks->n / 64 + 1);
	const char *p = text.p, *end = text.p + text.len;
	size_t k = 0;

	if (!bits)
		return NULL;
	while (p < end && (p = memchr(p, '-', (size_t)(end - p))) != NULL) {
		size_t q = (size_t)(p - text.p), lo = k, hi = toks->n;

		/* the last token that starts before q (tokens are sorted,
		 * and so are the '-') */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (toks->v[mid].start < q)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && toks->v[lo - 1].end > q) {
			k = lo - 1;
			bits[k >> 6] |= (uint64_t)1 << (k & 63);
		}
		p++;
	}
	return bits;
}

/* A sentence no rule can match: only its companies, for coreference. */
/* Is the name at token i the object of a preposition that makes it no
 * subject, as after_agent_preposition() tells ("pressure from
 * Elliott")? */
static int
skim_object(struct span text, const struct tok *t, size_t i,
    const struct sentence *s)
{
	static const char *const preps[] = { "by", "from", "with", "across",
		"into", "toward", "towards" };

	if (i == s->first)
		return 0;
	for (size_t k = 0; k < countof(preps); k++)
		if (tok_ieq(text, &t[i - 1], preps[k]))
			return 1;
	return 0;
}

static void
skim(struct ctx *c, size_t si, size_t *ei, struct norm *n)
{
	const struct sentence *s = &c->sents->v[si];
	const struct tok *t = c->toks->v;
	struct span text = c->text;
	size_t last = MIN(s->last, s->first + MAX_SENT_TOKENS);

	n->subject = NULL;
	n->subject_known = 0;
	while (*ei < c->ents->n && c->ents->v[*ei].start < s->start)
		(*ei)++;
	/* its companies, and the names not on the list as normalize()
	 * reads them in the simple case (a run of capitalized words),
	 * in the order of the text: "Brightmoor makes actuators." then
	 * "the manufacturer" is Brightmoor */
	for (size_t i = s->first; i < last; i++) {
		const struct tok *tk = &t[i];
		size_t j = i;
		const char *nm;
		int person;

		if (*ei < c->ents->n && c->ents->v[*ei].start < tk->end) {
			const struct entity *e = &c->ents->v[*ei];

			if (e->type == ENT_PARTY) {
				if (!n->subject && !skim_object(text, t, i, s))
					n->subject = e->name;
				n->subject_known = 1;
				recent_add(c, e->name, 0);
			}
			while (i + 1 < last && t[i + 1].start < e->end)
				i++;
			(*ei)++;
			continue;
		}
		if (si >= c->names_until || !tok_upper(text, tk) ||
		    tk->end - tk->start < 2 || is_stop(text, tk, WL_CAPS) ||
		    acronym_plural(text, tk) || product_code(text, tk) ||
		    contraction(text, tk) ||
		    lower_compound(text, tk, i, c->hyph) ||
		    (i + 1 < last && tok_is(text, &t[i + 1], "-")))
			continue;
		while (j + 1 < last && j - i < 5 &&
		    tok_upper(text, &t[j + 1]) &&
		    t[j + 1].start == t[j].end + 1 &&
		    !is_stop(text, &t[j + 1], WL_INNER) &&
		    !lower_compound(text, &t[j + 1], j + 1, c->hyph) &&
		    !(*ei < c->ents->n && c->ents->v[*ei].start < t[j + 1].end))
			j++;
		person = person_name(text, t, i, j, s->first, last);
		if (person)
			person_add(c, text, t, i, j);
		if (person ||
		    (j <= i + 1 && is_stop(text, tk, WL_PLACE) &&
		        (j == i || is_stop(text, &t[j], WL_PLACE))) ||
		    (j == i && opens_sentence(text, t, i, s->first) &&
		        (looks_inflected(text, tk) ||
		            adjective_before_noun(text, t, i, last) ||
		            discourse_word(text, t, i, last)) &&
		        !full_name(c, text.p + tk->start,
		            tk->end - tk->start)) ||
		    (j == i &&
		        (place_before_kind(c, text, t, i, s->first, last) ||
		            place_after_site(text, t, i, s->first))) ||
		    (person_words(c, text, t, i, j) &&
		        !full_name(c, text.p + tk->start,
		            t[j].end - tk->start)) ||
		    (j + 1 < last && is_stop(text, &t[j + 1], WL_PRODUCT))) {
			i = j;
			continue;
		}
		nm = full_name(c, text.p + tk->start, t[j].end - tk->start);
		if (!nm)
			nm = name_dup(c, text.p + tk->start,
			    t[j].end - tk->start);
		if (!nm)
			return;
		if (!n->subject && !skim_object(text, t, i, s))
			n->subject = nm;
		recent_add(c, nm, j == i);
		i = j;
	}
	while (*ei < c->ents->n && c->ents->v[*ei].start < s->end)
		(*ei)++;
}

/* A merger or partnership whose parties are all in a larger one of the
 * same type and sentence is the same deal, seen in part. */
static void
drop_subsets(struct deal_list *out)
{
	size_t k = 0;

	for (size_t i = 0; i < out->n; i++) {
		const struct deal *x = &out->v[i];
		int sub = 0;

		for (size_t j = 0; j < out->n && !sub; j++) {
			const struct deal *y = &out->v[j];
			size_t have = 0;

			if (j == i || y->type != x->type ||
			    (x->type != DEAL_MERGER &&
			        x->type != DEAL_PARTNERSHIP) ||
			    y->nparties <= x->nparties ||
			    y->evidence[0].start != x->evidence[0].start)
				continue;
			for (size_t a = 0; a < x->nparties; a++)
				for (size_t b = 0; b < y->nparties; b++)
					if (strcmp(x->parties[a].name,
					        y->parties[b].name) == 0) {
						have++;
						break;
					}
			sub = have == x->nparties;
		}
		if (!sub)
			out->v[k++] = *x;
	}
	out->n = k;
}

/* The name in role r of d, else NULL. */
static const char *
party_in(const struct deal *d, int role)
{
	for (size_t i = 0; i < d->nparties; i++)
		if (d->parties[i].role == role)
			return d->parties[i].name;
	return NULL;
}

/* "X bought a 20% stake in Y for $450 million" is one investment with
 * its stake: a stake of the same sentence, holder and target as an
 * investment or acquisition with that stake is dropped; so is one sold
 * in its sentence, the same share of the same target to another. */
static void
drop_bought_stakes(struct deal_list *out, struct span text)
{
	size_t k = 0;

	/* "X agreed to buy $40 million of new Y shares, leaving it with
	 * 6.5% of the biotech": the share the purchase leaves is the
	 * investment's, when its sentence gave it none (not "X has put
	 * $13 billion into Y and owns 27% of it": two deals) */
	for (size_t i = 0; i < out->n; i++) {
		const struct deal *x = &out->v[i];
		const char *h = party_in(x, ROLE_HOLDER);
		const char *tg = party_in(x, ROLE_TARGET);
		size_t from, n;
		const char *b;

		if (x->type != DEAL_STAKE || !x->has_stake || x->has_amount ||
		    !h || !tg || x->stake_text.start > text.len)
			continue;
		from = x->stake_text.start > 48 ? x->stake_text.start - 48 : 0;
		b = text.p + from;
		n = x->stake_text.start - from;
		if (!has_text(b, n, "leaving ") && !has_text(b, n, "giving ") &&
		    !has_text(b, n, "bringing ") && !has_text(b, n, "lifting "))
			continue;
		for (size_t j = 0; j < out->n; j++) {
			struct deal *y = &out->v[j];
			const char *g = party_in(y, ROLE_INVESTOR);
			const char *yt = party_in(y, ROLE_TARGET);

			if (y->type == DEAL_INVESTMENT && y->has_amount &&
			    !y->has_stake && g && yt && strcmp(g, h) == 0 &&
			    strcmp(yt, tg) == 0 &&
			    y->evidence[0].start == x->evidence[0].start) {
				y->has_stake = 1;
				y->stake = x->stake;
				y->stake_text = x->stake_text;
				break;
			}
		}
	}

	for (size_t i = 0; i < out->n; i++) {
		const struct deal *x = &out->v[i];
		const char *h = party_in(x, ROLE_HOLDER);
		const char *tg = party_in(x, ROLE_TARGET);
		int bought = 0;

		for (size_t j = 0;
		     j < out->n && x->type == DEAL_STAKE && h && tg && !bought;
		     j++) {
			const struct deal *y = &out->v[j];
			const char *g = party_in(y,
			    y->type == DEAL_INVESTMENT ? ROLE_INVESTOR
			                               : ROLE_ACQUIRER);
			const char *yt = party_in(y, ROLE_TARGET);

			/* (or sold: "the sale of X's 45% holding in Y to Z",
			 * the same stake, another buyer) */
			bought = (y->type == DEAL_INVESTMENT ||
			             y->type == DEAL_ACQUISITION) &&
			    y->has_stake && g && yt && strcmp(yt, tg) == 0 &&
			    y->evidence[0].start == x->evidence[0].start &&
			    ((y->has_amount && strcmp(g, h) == 0 &&
			         (!x->has_stake || x->stake == y->stake)) ||
			        (strcmp(g, h) != 0 && x->has_stake &&
			            x->stake == y->stake));
		}
		if (!bought)
			out->v[k++] = *x;
	}
	out->n = k;

	/* "Y's biggest shareholder, X, owns 19% of it": a stake, and no
	 * investment beside it that says nothing more */
	k = 0;
	for (size_t i = 0; i < out->n; i++) {
		const struct deal *y = &out->v[i];
		const char *g = party_in(y, ROLE_INVESTOR);
		const char *yt = party_in(y, ROLE_TARGET);
		int same = 0;

		for (size_t j = 0; j < out->n && y->type == DEAL_INVESTMENT &&
		     !y->has_amount && !y->has_stake && !y->has_valuation &&
		     g && yt && !same;
		     j++) {
			const struct deal *x = &out->v[j];
			const char *h = party_in(x, ROLE_HOLDER);
			const char *tg = party_in(x, ROLE_TARGET);

			same = x->type == DEAL_STAKE && x->has_stake && h &&
			    tg && strcmp(g, h) == 0 && strcmp(yt, tg) == 0 &&
			    y->evidence[0].start == x->evidence[0].start &&
			    y->evidence[0].end <= text.len &&
			    has_text(text.p + y->evidence[0].start,
			        y->evidence[0].end - y->evidence[0].start,
			        "shareholder");
		}
		if (!same)
			out->v[k++] = *y;
	}
	out->n = k;
}

/*
 * With only the recognizers' entities in ents: find the companies of the
 * sentences a rule can match and of the three before each (coreference
 * looks back that far), and merge them in. Other sentences keep their
 * money and dates only: finding names there would find nothing to use.
 * trig gets, per sentence, the groups of d->trig it has (nwords words
 * each), and any[] 1 when some are there.
 */
static int
parties_where_needed(struct ctx *c, const struct entity_list *recog,
    uint64_t *trig, unsigned char *any, struct entity_list *out)
{
	const struct sentence_list *sl = c->sents;
	unsigned char *need = NEW(c->a, unsigned char, sl->n + 1);
	struct entity *v;
	size_t cap = recog->n + 16, n = 0, ri = 0;

	if (!need)
		return DW_ETOOBIG;
	for (size_t si = 0, rj = 0; si < sl->n; si++) {
		int anyhit, ok;

		/* (the first of the recognizers' entities in it, for
		 * rule_may_match()) */
		while (rj < recog->n && recog->v[rj].start < sl->v[si].start)
			rj++;
		c->gate_ents = recog;
		c->gate_ri = rj;
		c->ph_known = 1;
		ok = sentence_triggers(c, si, &anyhit,
		    trig + si * c->d->words.nwords);
		c->ph_known = 0;
		if (!ok)
			continue;
		any[si] = (unsigned char)anyhit;
		for (size_t k = si >= 3 ? si - 3 : 0; k <= si; k++)
			need[k] = 1 | (k == si ? 2 : need[k]);
	}
	/* copies of entities, each written before it is read */
	v = NEW_UNINIT(c->a, struct entity, cap);
	if (!v)
		return DW_ETOOBIG;
	for (size_t si = 0; si < sl->n; si++) {
		const struct sentence *s = &sl->v[si];
		struct entity_list ps = { NULL, 0 };
		struct tok_list sub = { c->toks->v + s->first,
			s->last - s->first, NULL, 0 };
		size_t pi = 0;

		if (need[si] &&
		    parties_scan_tokens(&ps, c->p, c->text, &sub, c->a,
		        c->err) != DW_OK)
			return DW_ETOOBIG;
		if (n + ps.n + recog->n - ri + 1 > cap) {
			size_t nc = (n + ps.n + recog->n - ri + 1) * 2;
			struct entity *nv = NEW_UNINIT(c->a, struct entity, nc);

			if (!nv)
				return DW_ETOOBIG;
			memcpy(nv, v, n * sizeof(*v));
			v = nv;
			cap = nc;
		}
		/* the recognizers' entities up to the sentence's end, merged
		 * by start with its companies */
		while ((ri < recog->n && recog->v[ri].start < s->end) ||
		    pi < ps.n) {
			if (pi >= ps.n ||
			    (ri < recog->n && recog->v[ri].start < s->end &&
			        recog->v[ri].start <= ps.v[pi].start))
				v[n++] = recog->v[ri++];
			else
				v[n++] = ps.v[pi++];
		}
	}
	while (ri < recog->n) {
		if (n == cap) {
			struct entity *nv =
			    NEW_UNINIT(c->a, struct entity, cap * 2);

			if (!nv)
				return DW_ETOOBIG;
			memcpy(nv, v, n * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		v[n++] = recog->v[ri++];
	}
	out->v = v;
	out->n = n;
	return DW_OK;
}

/* Is the date entity e no date of an event the sentence tells ("until
 * 2032", "since 2019", "expected to close in March")? The words before
 * it in the text. */
static int
date_not_event(struct span text, const struct entity *e)
{
	static const char *const prev[] = { "until ", "since ", "through ",
		"by ", "before ", "from ", "till ", "close in ", "closes in ",
		"complete in ", "completed in ", "expire in ", "expires in " };
	size_t back = e->start < 16 ? e->start : 16;
	const char *b = text.p + e->start - back;

	for (size_t q = 0; q < countof(prev); q++) {
		size_t l = strlen(prev[q]);

		if (back >= l && memcmp(b + back - l, prev[q], l) == 0)
			return 1;
	}
	return 0;
}

/* Is name a the name b, or its first words ("Aldermatt", "Aldermatt
 * Versicherungen")? */
static int
same_or_first_words(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return strcmp(a, b) == 0 ||
	    (la < lb && memcmp(a, b, la) == 0 && b[la] == ' ') ||
	    (lb < la && memcmp(a, b, lb) == 0 && a[lb] == ' ');
}

/* Does a rule find deal i again after the headline (the same type and
 * parties in the same roles, by name or its first words)? */
static int
told_again(const struct ctx *c, size_t i)
{
	const struct deal *d = &c->f[i].d;

	for (size_t j = 0; j < c->nf; j++) {
		const struct deal *e = &c->f[j].d;
		size_t q;

		if (j == i || c->f[j].sent == 0 || e->type != d->type ||
		    e->nparties != d->nparties)
			continue;
		for (q = 0; q < d->nparties; q++)
			if (d->parties[q].role != e->parties[q].role ||
			    !same_or_first_words(d->parties[q].name,
			        e->parties[q].name))
				break;
		if (q == d->nparties)
			return 1;
	}
	return 0;
}

/* A deal the headline alone tells ("X and Y agree all-share merger")
 * takes its evidence, and its date when it has none, from the first
 * sentence of the next four that names all its parties ("X Estates and
 * Y Trust announced on Monday that they had agreed an all-share
 * merger"): the story's lead tells it again. */
static void
headline_support(struct ctx *c)
{
	const struct sentence *v = c->sents->v;
	size_t ns = c->sents->n;

	if (ns < 2 || v[1].para == v[0].para)
		return;
	for (size_t i = 0; i < c->nf; i++) {
		struct deal *d = &c->f[i].d;

		if (c->f[i].sent != 0 || d->nevidence != 1 || told_again(c, i))
			continue;
		for (size_t k = 1; k < ns && k <= 4; k++) {
			const char *sp = c->text.p + v[k].start;
			size_t sl = v[k].end - v[k].start, q;

			for (q = 0; q < d->nparties; q++)
				if (!has_text(sp, sl, d->parties[q].name))
					break;
			if (q < d->nparties)
				continue;
			d->evidence[d->nevidence].start = v[k].start;
			d->evidence[d->nevidence].end = v[k].end;
			d->nevidence++;
			for (size_t x = 0; !d->date.value[0] && x < c->ents->n;
			     x++) {
				const struct entity *e = &c->ents->v[x];

				if (e->start >= v[k].end)
					break;
				if (e->type == ENT_DATE &&
				    e->start >= v[k].start &&
				    e->date.value[0] &&
				    !date_not_event(c->text, e)) {
					set_date(d, e);
					fix_said_weekday(c, d);
				}
			}
			break;
		}
	}
}

static int
apply(struct deal_list *out, const struct dealrules *d, const struct parties *p,
    struct span text, const struct tok_list *given,
    const struct entity_list *ents, int lazy, const char *published,
    struct arena *a, struct buf *explain, struct buf *err)
{
	struct ctx c;
	struct tok_list toks;
	struct sentence_list sents;
	struct norm n, n2;
	struct entity_list merged;
	uint64_t *trig = NULL;
	unsigned char *any = NULL;
	size_t ei = 0, k = 0;
	int rc = DW_OK, anyhit;

	out->v = NULL;
	out->n = 0;
	memset(&c, 0, sizeof(c));
	memset(&n, 0, sizeof(n));
	memset(&n2, 0, sizeof(n2));
	/* the buffers of the article before, and its match data */
	n.s = d->scratch->s;
	n2.s = d->scratch->s2;
	c.md = d->scratch->md;
	c.cue_md = d->scratch->cue_md;
	c.d = d;
	c.p = p;
	c.desc2 = parties_desc2_bits(p);
	c.text = text;
	c.ents = ents;
	c.a = a;
	c.err = err;
	c.explain = explain;
	c.published = published;
	if (given)
		toks = *given;
	if ((!given && text_tokens(&toks, text, a) != DW_OK) ||
	    text_sentences(&sents, text, &toks, a) != DW_OK) {
		rc = DW_ETOOBIG;
		goto out;
	}
	c.toks = &toks;
	c.sents = &sents;
	c.hyph = hyphens(text, &toks, a);
	stop_init();
	n.wt = &d->words;
	{
		/* the article's bitsets, taken at once: raw, have, synth, win
		 * and pre (nwords + 1 words each), then cand */
		size_t nw = d->words.nwords + 1;
		uint64_t *bs = NEW(a, uint64_t, 6 * nw + d->rwords + 1);

		if (!bs || !c.hyph) {
			rc = DW_ETOOBIG;
			goto out;
		}
		c.raw = bs;
		c.have = bs + nw;
		n.synth = bs + 2 * nw;
		c.win = bs + 3 * nw;
		c.pre = bs + 4 * nw;
		c.cand = bs + 6 * nw;
		c.syn = bs + 5 * nw;
		/* (the words normalize() may add: emit()'s) */
		(void)wordtab_hits(&d->words, "'s", 2, 2, c.syn);
		(void)wordtab_hits(&d->words, "and", 3, 3, c.syn);
		(void)wordtab_hits(&d->words, "will", 4, 4, c.syn);
	}
	if (lazy) {
		/* a sentence's row is read only where any[] says it was
		 * written */
		trig = NEW_UNINIT(a, uint64_t,
		    (sents.n + 1) * d->words.nwords + 1);
		any = NEW(a, unsigned char, sents.n + 1);
		if (!trig || !any ||
		    parties_where_needed(&c, ents, trig, any, &merged) !=
		        DW_OK) {
			rc = DW_ETOOBIG;
			goto out;
		}
		c.ents = &merged;
		/* past the last sentence a rule reads, the names of those
		 * skimmed serve no coreference */
		c.names_until = 0;
		for (size_t si = 0; si < sents.n; si++)
			if (any[si])
				c.names_until = si + 1;
	} else {
		c.names_until = sents.n;
	}
	for (size_t si = 0; si < sents.n; si++) {
		if (si > 0 && sents.v[si].para != sents.v[si - 1].para &&
		    sents.v[si].para != c.last_para) {
			/* a new paragraph: "it" reaches one sentence back */
			memset(c.subjects + 1, 0,
			    sizeof(c.subjects) - sizeof(c.subjects[0]));
		}
		c.last_para = sents.v[si].para;
		if (lazy) {
			if (!any[si]) {
				skim(&c, si, &ei, &n);
				goto next;
			}
			/* (its row, read only) */
			c.raw = trig + si * d->words.nwords;
		} else if (!sentence_triggers(&c, si, &anyhit, c.raw) &&
		    !explain) {
			/* no rule can match: keep only what coreference needs */
			skim(&c, si, &ei, &n);
			goto next;
		}
		rc = normalize(&c, si, &ei, &n);
		if (rc != DW_OK)
			goto out;
		drop_aliases(&n);
		/* the word groups the rules may find in it */
		for (size_t w = 0; w < d->words.nwords; w++)
			c.have[w] = c.raw[w] | n.synth[w];
		if (explain) {
			buf_addf(explain, "sentence %zu [%zu-%zu]: %s\n", si,
			    sents.v[si].start, sents.v[si].end, n.s.data);
			for (size_t q = 0; q < n.nph; q++) {
				buf_addf(explain, "%s@%c%zu=", q ? " " : "  ",
				    n.ph[q].kind, q);
				if (n.ph[q].name)
					buf_adds(explain, n.ph[q].name);
				else
					buf_add(explain, text.p + n.ph[q].start,
					    n.ph[q].end - n.ph[q].start);
			}
			if (n.nph)
				buf_addch(explain, '\n');
		}
		c.may_try = 0;
		rc = run_rules(&c, &n, si);
		if (rc != DW_OK)
			goto out;
		/* once more without its appositions, where a rule may be
		 * tried on that */
		if ((c.may_try || explain) &&
		    strip_appositions(&n, &n2, a, &rc)) {
			if (explain)
				buf_addf(explain, "  without appositions: %s\n",
				    n2.s.data);
			rc = run_rules(&c, &n2, si);
		}
		if (rc != DW_OK)
			goto out;
		sentence_amount(&c, &n, si);
	next:
		denial_after(&c, si);
		for (size_t q = countof(c.subjects) - 1; q > 0; q--)
			c.subjects[q] = c.subjects[q - 1];
		c.subjects[0] = n.subject;
	}
	drop_denied(&c);
	headline_support(&c);
	/* "Woodgrove" in a headline, "Woodgrove Group" later: one company
	 * (every name looked up before any changes: two rules' deals on
	 * one headline are renamed alike) */
	if (c.nf) {
		const char **full =
		    NEW(a, const char *, c.nf *DEAL_MAX_PARTIES);

		if (!full) {
			rc = DW_ETOOBIG;
			goto out;
		}
		for (size_t i = 0; i < c.nf; i++)
			for (size_t q = 0; q < c.f[i].d.nparties; q++) {
				const char *nm = c.f[i].d.parties[q].name;
				/* ("Haenam Heavy", then "Haenam Heavy
				 * Industries": a name of two words or more
				 * only with a word that ends names) */
				const char *l = parties_lookup(p, span_cstr(nm))
				    ? NULL
				    : full_name(&c, nm, strlen(nm));

				if (l && strchr(nm, ' ') &&
				    !(strchr(l + strlen(nm) + 1, ' ') == NULL &&
				        name_end(l + strlen(nm) + 1)))
					l = NULL;

				if (l &&
				    (named_in_sentence(&c, c.f[i].sent, l) ||
				        place_unit(l, strlen(nm)) ||
				        alone_first(&c, c.f[i].sent, nm, l)))
					l = NULL;
				full[i * DEAL_MAX_PARTIES + q] = l;
			}
		for (size_t i = 0; i < c.nf; i++)
			for (size_t q = 0; q < c.f[i].d.nparties; q++)
				if (full[i * DEAL_MAX_PARTIES + q])
					c.f[i].d.parties[q].name =
					    full[i * DEAL_MAX_PARTIES + q];
	}
	investment_sides(&c);
	give_valuations(&c);
	acquisition_amounts(&c);
	/* merge repeats: the same parties in the same roles, amounts and
	 * dates that agree */
	out->v = NEW(a, struct deal, c.nf ? c.nf : 1);
	if (!out->v) {
		rc = DW_ETOOBIG;
		goto out;
	}
	for (size_t i = 0; i < c.nf; i++) {
		struct deal *x = &c.f[i].d;
		size_t j;

		if (context_overruled(&c, i) || has_side(x))
			continue;
		for (j = 0; j < k; j++)
			if (same_parties(&out->v[j], x) &&
			    figures_agree(&out->v[j], x))
				break;
		if (j < k)
			merge_into(&out->v[j], x);
		else
			out->v[k++] = *x;
	}
	out->n = k;
	for (size_t i = 0; i < k; i++)
		order_roles(&out->v[i]);
	merge_units(out);
	drop_subsets(out);
	drop_bought_stakes(out, text);
out:
	d->scratch->s = n.s;
	d->scratch->s2 = n2.s;
	if (rc == DW_ETOOBIG)
		buf_setf(err, "article needs more memory than its limit");
	return rc;
}

int
dealrules_apply(struct deal_list *out, const struct dealrules *d,
    const struct parties *p, struct span text, const struct entity_list *ents,
    const char *published, struct arena *a, struct buf *err)
{
	return apply(out, d, p, text, NULL, ents, 0, published, a, NULL, err);
}

int
dealrules_apply_tokens(struct deal_list *out, const struct dealrules *d,
    const struct parties *p, struct span text, const struct tok_list *toks,
    const struct entity_list *ents, const char *published, struct arena *a,
    struct buf *err)
{
	return apply(out, d, p, text, toks, ents, 1, published, a, NULL, err);
}

int
dealrules_explain(struct buf *out, const struct dealrules *d,
    const struct parties *p, struct span text, const struct entity_list *ents,
    const char *published, struct arena *a, struct buf *err)
{
	struct deal_list deals;

	return apply(&deals, d, p, text, NULL, ents, 0, published, a, out, err);
}
