/* Benchmark corpus generator: deterministic, wire-news-shaped articles (JSON
 * Lines or one text file per article) built from templates and word lists
 * written for this project. Prints the exact sentence count on stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define TEXT_MAX (64 * 1024) /* one article; 40 long sentences fit easily */
#define SENT_MAX 1024        /* one sentence */

/* ------------------------------------------------------------- randomness */

/* splitmix64: tiny, fast, and the same on every platform. */
static uint64_t rng_state;

static uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). The modulo bias is irrelevant for a benchmark. */
static unsigned rnd(unsigned n) { return n ? (unsigned)(rng_next() % n) : 0; }
static int chance(unsigned pct) { return rnd(100) < pct; }
#define PICK(a) ((a)[rnd(NELEM(a))])

/* ------------------------------------------------------------- word lists */

/* A state: its name, adjective, capital, a head of state or government and
 * a foreign minister (either may be NULL). */
typedef struct {
    const char *name, *adj, *capital, *dateline;
    const char *leader_title, *leader;
    const char *fm_title, *fm;
} country;

static const country COUNTRIES[] = {
    {"Russia", "Russian", "Moscow", "MOSCOW", "President", "Vladimir Putin",
     "Foreign Minister", "Sergei Lavrov"},
    {"China", "Chinese", "Beijing", "BEIJING", "President", "Xi Jinping",
     "Foreign Minister", "Wang Yi"},
    {"the United States", "American", "Washington", "WASHINGTON", "President", "Joe Biden",
     "Secretary of State", "Antony Blinken"},
    {"Afghanistan", "Afghan", "Kabul", "KABUL", "President", "Ashraf Ghani", NULL, NULL},
    {"Pakistan", "Pakistani", "Islamabad", "ISLAMABAD", "Prime Minister", "Imran Khan",
     "Foreign Minister", "Shah Mehmood Qureshi"},
    {"India", "Indian", "New Delhi", "NEW DELHI", "Prime Minister", "Narendra Modi",
     "Foreign Minister", "Subrahmanyam Jaishankar"},
    {"Iran", "Iranian", "Tehran", "TEHRAN", "President", "Ebrahim Raisi",
     "Foreign Minister", "Hossein Amirabdollahian"},
    {"Turkey", "Turkish", "Ankara", "ANKARA", "President", "Tayyip Erdogan",
     "Foreign Minister", "Mevlut Cavusoglu"},
    {"Germany", "German", "Berlin", "BERLIN", "Chancellor", "Olaf Scholz",
     "Foreign Minister", "Annalena Baerbock"},
    {"France", "French", "Paris", "PARIS", "President", "Emmanuel Macron",
     "Foreign Minister", "Catherine Colonna"},
    {"Britain", "British", "London", "LONDON", "Prime Minister", "Boris Johnson",
     "Foreign Secretary", "Liz Truss"},
    {"Japan", "Japanese", "Tokyo", "TOKYO", "Prime Minister", "Fumio Kishida",
     "Foreign Minister", "Yoshimasa Hayashi"},
    {"Ukraine", "Ukrainian", "Kyiv", "KYIV", "President", "Volodymyr Zelenskiy",
     "Foreign Minister", "Dmytro Kuleba"},
    {"Israel", "Israeli", "Jerusalem", "JERUSALEM", "Prime Minister", "Naftali Bennett",
     "Foreign Minister", "Yair Lapid"},
    {"Egypt", "Egyptian", "Cairo", "CAIRO", "President", "Abdel Fattah al-Sisi",
     "Foreign Minister", "Sameh Shoukry"},
    {"Saudi Arabia", "Saudi", "Riyadh", "RIYADH", "Crown Prince", "Mohammed bin Salman",
     NULL, NULL},
    {"Syria", "Syrian", "Damascus", "DAMASCUS", "President", "Bashar al-Assad", NULL, NULL},
    {"Iraq", "Iraqi", "Baghdad", "BAGHDAD", "Prime Minister", "Mustafa al-Kadhimi", NULL,
     NULL},
    {"North Korea", "North Korean", "Pyongyang", "PYONGYANG", "leader", "Kim Jong Un", NULL,
     NULL},
    {"South Korea", "South Korean", "Seoul", "SEOUL", "President", "Moon Jae-in", NULL, NULL},
    {"Qatar", "Qatari", "Doha", "DOHA", "Emir", "Sheikh Tamim bin Hamad al-Thani", NULL, NULL},
    {"Uzbekistan", "Uzbek", "Tashkent", "TASHKENT", "President", "Shavkat Mirziyoyev", NULL,
     NULL},
    {"Kazakhstan", "Kazakh", "Astana", "ASTANA", "President", "Kassym-Jomart Tokayev", NULL,
     NULL},
    {"Brazil", "Brazilian", "Brasilia", "BRASILIA", "President", "Jair Bolsonaro", NULL, NULL},
    {"Poland", "Polish", "Warsaw", "WARSAW", "President", "Andrzej Duda", NULL, NULL},
    {"Belarus", "Belarusian", "Minsk", "MINSK", "President", "Alexander Lukashenko", NULL,
     NULL},
    {"Nigeria", "Nigerian", "Abuja", "ABUJA", "President", "Muhammadu Buhari", NULL, NULL},
    {"Indonesia", "Indonesian", "Jakarta", "JAKARTA", "President", "Joko Widodo", NULL, NULL},
};

/* Bodies that are not states; "the" is part of the name where English uses it. */
static const char *const ORGS[] = {
    "the United Nations", "NATO", "the European Union", "the Taliban",
    "the World Health Organization", "the African Union", "the Red Cross",
    "the International Monetary Fund", "the World Bank", "the UN Security Council",
    "Hamas", "Hezbollah", "the Islamic State group",
};

/* Agents: who inside a state acts. Plural nouns take "Russian ...". */
static const char *const AGENTS[] = {
    "officials", "troops", "police", "protesters", "diplomats", "lawmakers",
    "security forces", "soldiers", "rebels", "militants", "opposition leaders",
    "border guards", "prosecutors", "authorities", "ministers", "students",
};

static const char *const BODIES[] = {
    "government", "Foreign Ministry", "Defence Ministry", "military", "parliament",
    "embassy", "central bank", "navy", "Interior Ministry",
};

static const char *const DAYS[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};

static const char *const MONTHS_LONG[] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
};

/* Wire-style short months in datelines ("Aug 25", "Sept 3"). */
static const char *const MONTHS_SHORT[] = {
    "Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec",
};

static const char *const TOPICS[] = {
    "the situation in Afghanistan", "regional security", "trade and investment",
    "energy supplies", "the nuclear programme", "border security", "counter-terrorism",
    "the war in Ukraine", "food security", "climate change", "arms control",
    "the refugee crisis", "bilateral relations", "the grain corridor", "gas prices",
    "a possible ceasefire", "the release of prisoners", "maritime security",
    "visa rules", "vaccine deliveries",
};

static const char *const CHARGES[] = {
    "interfering in its internal affairs", "violating the ceasefire",
    "supporting terrorist groups", "spreading disinformation",
    "massing troops near the border", "breaking international law",
    "provoking tensions in the region", "harbouring militants",
    "carrying out cyberattacks", "mistreating minorities",
};

static const char *const DEMANDS[] = {
    "withdraw its troops", "release the detained journalists", "stop the shelling",
    "reopen the border crossing", "return to the negotiating table",
    "hand over the suspects", "respect the ceasefire", "lift the blockade",
    "explain the incident", "pay compensation",
};

static const char *const AIDS[] = {
    "humanitarian aid", "military aid", "food aid", "medical supplies",
    "emergency funding", "fuel shipments", "vaccines", "winter tents",
};

static const char *const PLACES[] = {
    "the border", "a checkpoint", "the airport", "a military base", "the port",
    "a village", "the main road", "a market", "the capital", "an army post",
};

static const char *const SPEECH[] = {
    "said", "told reporters", "said in a statement", "told a news conference",
    "wrote on social media", "said in a televised address", "told parliament",
};

static const char *const QUOTES[] = {
    "We are ready to work with all sides to restore stability",
    "This is a clear violation of international law",
    "Our position has not changed",
    "The talks were constructive and frank",
    "We will not accept any threats",
    "There is no military solution to this conflict",
    "We expect concrete steps, not words",
    "Both sides agreed to keep in close contact",
    "We call on everyone to show restraint",
    "Nobody wants a new war in the region",
    "The door to dialogue remains open",
    "We will respond if our interests are attacked",
};

static const char *const FILLER[] = {
    "The ministry did not give further details.",
    "The report could not be independently verified.",
    "Officials did not respond to a request for comment.",
    "The two countries have been at odds for years over the issue.",
    "Trading in the capital was calm.",
    "Heavy rain is expected later in the week.",
    "It was not immediately clear how many people were involved.",
    "The statement gave no timeline.",
    "Markets will be closed on Friday for a public holiday.",
    "Analysts said the move was largely symbolic.",
    "The talks are due to resume next month.",
    "Prices of bread and fuel have risen sharply this year.",
    "The city has a population of about two million.",
    "Local media showed long queues outside banks.",
    "The decision is expected to be announced by the end of the year.",
    "A spokesman declined to comment.",
    "The meeting lasted about two hours.",
    "Flights resumed after a short delay.",
    "No casualties were reported.",
    "Details of the plan were not made public.",
};

/* Short follow-on clauses that make long sentences longer. */
static const char *const TAILS[] = {
    ", according to a statement released after the meeting",
    ", the first such contact since the start of the year",
    ", amid growing tension in the region",
    ", in a sign of warming ties between the two countries",
    ", despite objections from several neighbouring states",
    ", two sources familiar with the matter said",
    ", state media reported",
    ", weeks after a similar incident near the border",
};

/* ------------------------------------------------------------ text buffer */

typedef struct {
    char *p;
    size_t n, cap;
    int full; /* sticky: set once an append did not fit */
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->full || b->n + n + 1 > b->cap) {
        b->full = 1;
        return;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_cat(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_printf(sbuf *b, const char *fmt, ...) {
    char tmp[SENT_MAX];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= sizeof tmp) {
        b->full = 1;
        return;
    }
    sb_put(b, tmp, (size_t)k);
}

/* ---------------------------------------------------------------- actors */

/* The article's two main states; most actors come from them. */
static const country *focus_a, *focus_b;

static const country *pick_country(void) {
    unsigned r = rnd(100);
    if (r < 45) return focus_a;
    if (r < 80) return focus_b;
    return &PICK(COUNTRIES);
}

/* Renders an actor phrase in one of several forms into out (size n).
 * as_subject only changes capitalization of a leading "the". */
static void actor(char *out, size_t n, const country *c, int as_subject) {
    char tmp[256];
    unsigned form = rnd(100);
    if (form < 8) {
        snprintf(tmp, sizeof tmp, "%s", PICK(ORGS));
    } else if (form < 28) {
        snprintf(tmp, sizeof tmp, "%s", c->name);
    } else if (form < 45 && c->leader) {
        snprintf(tmp, sizeof tmp, "%s %s %s", c->adj, c->leader_title, c->leader);
    } else if (form < 52 && c->leader) {
        snprintf(tmp, sizeof tmp, "%s", c->leader);
    } else if (form < 62 && c->fm) {
        snprintf(tmp, sizeof tmp, "%s %s %s", c->adj, c->fm_title, c->fm);
    } else if (form < 80) {
        snprintf(tmp, sizeof tmp, "%s %s", c->adj, PICK(AGENTS));
    } else if (form < 92) {
        snprintf(tmp, sizeof tmp, "the %s %s", c->adj, PICK(BODIES));
    } else {
        snprintf(tmp, sizeof tmp, "%s", c->capital);
    }
    if (as_subject && tmp[0] == 't' && tmp[1] == 'h' && tmp[2] == 'e' && tmp[3] == ' ')
        tmp[0] = 'T';
    snprintf(out, n, "%s", tmp);
}

/* A second actor distinct from the first country when possible. */
static const country *other_country(const country *c) {
    const country *o = pick_country();
    for (int i = 0; i < 4 && o == c; i++) o = pick_country();
    if (o == c) o = (c == focus_a) ? focus_b : focus_a;
    return o;
}

/* "12", "dozens of", "two": numbers as wire copy writes them. */
static void number(char *out, size_t n) {
    static const char *const WORDS[] = {"two", "three", "four", "five", "six", "seven",
                                        "eight", "nine", "dozens of", "hundreds of"};
    if (chance(50))
        snprintf(out, n, "%s", PICK(WORDS));
    else
        snprintf(out, n, "%u", 10 + rnd(490));
}

/* ------------------------------------------------------------- sentences */

static const char *when(void) {
    static char w[64];
    unsigned r = rnd(100);
    if (r < 45)
        snprintf(w, sizeof w, " on %s", PICK(DAYS));
    else if (r < 60)
        snprintf(w, sizeof w, " on %s %u", PICK(MONTHS_LONG), 1 + rnd(28));
    else if (r < 68)
        snprintf(w, sizeof w, " last week");
    else
        w[0] = '\0';
    return w;
}

static const char *tail(void) { return chance(30) ? PICK(TAILS) : ""; }

/* One event sentence: subject, verb phrase, object. Writes into b. */
static void event_sentence(sbuf *b) {
    const country *cs = pick_country(), *co = other_country(cs);
    char s[256], o[256], num[32];
    actor(s, sizeof s, cs, 1);
    actor(o, sizeof o, co, 0);
    number(num, sizeof num);
    switch (rnd(30)) {
    case 0: sb_printf(b, "%s met %s in %s%s%s.", s, o, cs->capital, when(), tail()); break;
    case 1: sb_printf(b, "%s held talks with %s%s on %s%s.", s, o, when(), PICK(TOPICS), tail()); break;
    case 2: sb_printf(b, "%s discussed %s with %s in a phone call%s.", s, PICK(TOPICS), o, when()); break;
    case 3: sb_printf(b, "%s accused %s of %s%s.", s, o, PICK(CHARGES), tail()); break;
    case 4: sb_printf(b, "%s criticized %s%s for %s.", s, o, when(), PICK(CHARGES)); break;
    case 5: sb_printf(b, "%s warned %s not to %s.", s, o, PICK(DEMANDS)); break;
    case 6: sb_printf(b, "%s signed an agreement with %s on %s%s%s.", s, o, PICK(TOPICS), when(), tail()); break;
    case 7: sb_printf(b, "%s attacked %s near %s%s, killing %s people.", s, o, PICK(PLACES), when(), num); break;
    case 8: sb_printf(b, "%s police arrested %s %s protesters in %s%s.", cs->adj, num, co->adj, cs->capital, when()); break;
    case 9: sb_printf(b, "%s expressed support for %s%s.", s, o, tail()); break;
    case 10: sb_printf(b, "%s rejected a proposal by %s on %s.", s, o, PICK(TOPICS)); break;
    case 11: sb_printf(b, "%s demanded that %s %s.", s, o, PICK(DEMANDS)); break;
    case 12: sb_printf(b, "%s promised %s to %s%s.", s, PICK(AIDS), o, tail()); break;
    case 13: sb_printf(b, "%s threatened %s with sanctions if it did not %s.", s, o, PICK(DEMANDS)); break;
    case 14: sb_printf(b, "Protesters in %s protested against %s%s.", cs->capital, o, when()); break;
    case 15: sb_printf(b, "%s praised %s for its role in %s.", s, o, PICK(TOPICS)); break;
    case 16: sb_printf(b, "%s visited %s%s for talks on %s%s.", s, co->capital, when(), PICK(TOPICS), tail()); break;
    case 17: sb_printf(b, "%s imposed sanctions on %s%s over %s.", s, o, when(), PICK(CHARGES)); break;
    case 18: sb_printf(b, "%s called on %s to %s.", s, o, PICK(DEMANDS)); break;
    case 19: sb_printf(b, "%s agreed to cooperate with %s on %s.", s, o, PICK(TOPICS)); break;
    case 20: sb_printf(b, "%s expelled %s %s diplomats%s.", cs->name, num, co->adj, when()); break;
    case 21: sb_printf(b, "%s denied accusations by %s that it was %s.", s, o, PICK(CHARGES)); break;
    case 22: sb_printf(b, "%s appealed to %s for %s.", s, o, PICK(AIDS)); break;
    case 23: sb_printf(b, "%s condemned %s%s for %s.", s, o, when(), PICK(CHARGES)); break;
    case 24: sb_printf(b, "%s pledged $%u.%u billion in %s to %s.", s, 1 + rnd(9), rnd(10), PICK(AIDS), o); break;
    case 25: sb_printf(b, "%s %s fired on %s near %s%s.", cs->adj, PICK(AGENTS), o, PICK(PLACES), when()); break;
    case 26: sb_printf(b, "%s hosted %s for %s of talks%s.", s, o, chance(50) ? "two days" : "a round", tail()); break;
    case 27: sb_printf(b, "%s offered to mediate between %s and %s.", s, o, focus_b->name); break;
    case 28: sb_printf(b, "%s said it would reduce its forces near %s%s.", s, co->capital, tail()); break;
    default: sb_printf(b, "%s apologized to %s for the incident%s.", s, o, when()); break;
    }
}

/* A quotation with its attribution, as one sentence. */
static void quote_sentence(sbuf *b) {
    const country *c = pick_country();
    const char *q = PICK(QUOTES);
    switch (rnd(4)) {
    case 0: sb_printf(b, "\"%s,\" %s said.", q, chance(50) ? "he" : "she"); break;
    case 1: sb_printf(b, "\"%s,\" %s %s.", q, c->leader, PICK(SPEECH)); break;
    case 2:
        sb_printf(b, "\"%s,\" %s %s official %s.", q, strchr("AEIOU", c->adj[0]) ? "an" : "a",
                  c->adj, PICK(SPEECH));
        break;
    default: sb_printf(b, "\"%s,\" the %s %s %s, adding that %s.", q, c->adj, PICK(BODIES),
                       PICK(SPEECH), "more talks were planned"); break;
    }
}

/* A reported-speech sentence: attribution without an event verb. */
static void attribution_sentence(sbuf *b) {
    const country *c = pick_country();
    char s[256];
    actor(s, sizeof s, c, 1);
    switch (rnd(3)) {
    case 0: sb_printf(b, "%s said%s that the situation remained difficult.", s, when()); break;
    case 1: sb_printf(b, "According to %s %s, the talks covered %s.", c->adj, PICK(AGENTS), PICK(TOPICS)); break;
    default: sb_printf(b, "%s told reporters that %s was on the agenda.", s, PICK(TOPICS)); break;
    }
}

static void sentence(sbuf *b) {
    size_t start = b->n;
    unsigned r = rnd(100);
    if (r < 55) event_sentence(b);
    else if (r < 70) quote_sentence(b);
    else if (r < 80) attribution_sentence(b);
    else sb_cat(b, PICK(FILLER));
    /* "the United States expelled ..." opens a sentence with a capital. */
    if (!b->full && b->p[start] >= 'a' && b->p[start] <= 'z') b->p[start] -= 'a' - 'A';
}

/* --------------------------------------------------------------- articles */

typedef struct {
    char id[32], date[32], title[256];
    sbuf text;
} article;

static int days_in(int y, int m) {
    static const int D[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return D[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

static void headline(char *out, size_t n) {
    static const char *const VERBS[] = {
        "hold talks with", "accuses", "warns", "signs deal with", "criticizes",
        "pledges aid to", "rejects demands from", "threatens", "meets", "urges",
    };
    snprintf(out, n, "%s %s %s", focus_a->name, PICK(VERBS), focus_b->name);
    if (out[0] == 't') out[0] = 'T'; /* "The United States ..." */
}

/* Builds article number idx with nsent sentences; returns 0 when it fit. */
static int make_article(article *a, unsigned idx, unsigned nsent) {
    int y = 2021 + (int)rnd(5), m = 1 + (int)rnd(12), d = 1 + (int)rnd((unsigned)days_in(y, m));
    focus_a = &PICK(COUNTRIES);
    do focus_b = &PICK(COUNTRIES); while (focus_b == focus_a);
    snprintf(a->id, sizeof a->id, "bench-%06u", idx);
    snprintf(a->date, sizeof a->date, "%04d-%02d-%02d", y, m, d);
    headline(a->title, sizeof a->title);

    sbuf *b = &a->text;
    b->n = 0;
    b->full = 0;
    b->p[0] = '\0';
    const country *place = chance(70) ? focus_a : &PICK(COUNTRIES);
    sb_printf(b, "%s, %s %d (Wire) - ", place->dateline, MONTHS_SHORT[m - 1], d);
    /* Paragraphs of one to three sentences, as wire copy is laid out. */
    unsigned in_par = 0, par_len = 1 + rnd(3);
    for (unsigned i = 0; i < nsent; i++) {
        if (i > 0) {
            if (in_par >= par_len) {
                sb_cat(b, "\n\n");
                in_par = 0;
                par_len = 1 + rnd(3);
            } else {
                sb_cat(b, " ");
            }
        }
        sentence(b);
        in_par++;
    }
    return b->full ? -1 : 0;
}

static void json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c == '\n') fputs("\\n", f);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static void write_jsonl(FILE *f, const article *a) {
    fputs("{\"id\":", f);
    json_string(f, a->id);
    fputs(",\"date\":", f);
    json_string(f, a->date);
    fputs(",\"title\":", f);
    json_string(f, a->title);
    fputs(",\"text\":", f);
    json_string(f, a->text.p);
    fputs(",\"source\":\"Wire\"}\n", f);
}

/* One plain-text file per article, "date YYYY-MM-DD" on its first line. */
static int write_file(const char *dir, const article *a) {
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s.txt", dir, a->id) >= sizeof path) return -1;
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f, "date %s\n%s\n", a->date, a->text.p);
    return fclose(f) == 0 ? 0 : -1;
}

static void usage(FILE *f) {
    fputs("usage: gen [--seed N] [--sentences N] [--format jsonl|dir] [-o PATH]\n"
          "  jsonl (default): one article per line, to PATH or standard output\n"
          "  dir: one PATH/bench-NNNNNN.txt per article (PATH required)\n"
          "  prints the number of sentences and articles on standard error\n",
          f);
}

static int parse_u64(const char *s, unsigned long long *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv) {
    unsigned long long seed = 20210825, target = 120000;
    const char *format = "jsonl", *out = NULL;
    int rc = 1;
    FILE *f = NULL;
    article a;
    memset(&a, 0, sizeof a);

    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            usage(stdout);
            return 0;
        }
        if (!v) goto bad_usage;
        if (!strcmp(o, "--seed")) {
            if (parse_u64(v, &seed)) goto bad_usage;
        } else if (!strcmp(o, "--sentences")) {
            if (parse_u64(v, &target) || target == 0 || target > 100000000ull) goto bad_usage;
        } else if (!strcmp(o, "--format")) {
            format = v;
        } else if (!strcmp(o, "-o") || !strcmp(o, "--out")) {
            out = v;
        } else {
            goto bad_usage;
        }
        i++;
    }
    int dir = !strcmp(format, "dir");
    if (!dir && strcmp(format, "jsonl")) goto bad_usage;
    if (dir && !out) goto bad_usage;

    rng_state = seed;
    a.text.cap = TEXT_MAX;
    a.text.p = malloc(a.text.cap);
    if (!a.text.p) goto fail;
    if (dir) {
        if (mkdir(out, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "gen: cannot create %s: %s\n", out, strerror(errno));
            goto fail;
        }
    } else {
        f = out ? fopen(out, "w") : stdout;
        if (!f) {
            fprintf(stderr, "gen: cannot open %s: %s\n", out, strerror(errno));
            goto fail;
        }
    }

    /* Articles of 10-40 sentences; the last one is cut to hit the target. */
    unsigned long long done_n = 0;
    unsigned idx = 0;
    while (done_n < target) {
        unsigned n = 10 + rnd(31);
        if (n > target - done_n) n = (unsigned)(target - done_n);
        if (make_article(&a, ++idx, n) != 0) {
            fprintf(stderr, "gen: article %u too long\n", idx);
            goto fail;
        }
        if (dir) {
            if (write_file(out, &a) != 0) {
                fprintf(stderr, "gen: cannot write %s/%s.txt\n", out, a.id);
                goto fail;
            }
        } else {
            write_jsonl(f, &a);
        }
        done_n += n;
    }
    if (f && f != stdout) {
        FILE *g = f;
        f = NULL;
        if (fclose(g) != 0) goto fail;
    } else if (f && fflush(f) != 0) {
        goto fail;
    }
    fprintf(stderr, "%llu sentences in %u articles\n", done_n, idx);
    rc = 0;
    goto done;

bad_usage:
    usage(stderr);
    return 2;
fail:
    rc = 1;
done:
    if (f && f != stdout) fclose(f);
    free(a.text.p);
    return rc;
}
