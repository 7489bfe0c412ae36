/* text.c: Unicode normalization, tokenization (Penn Treebank habits) and
 * sentence splitting for the coder. The rules are ours and are listed in
 * docs/internals/text.md; decoding, categories and NFC come from utf8proc. */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "dyad.h"

/* Inputs past this are refused: offsets are 32-bit and normalization may
 * triple the size of non-ASCII text. */
#define TEXT_MAX_IN ((size_t)1 << 30)
/* Code points gathered for one NFC call; a run is cut at a starter after the
 * soft limit, anywhere after the hard one (only pathological mark runs). */
enum { NFC_SOFT = 256, NFC_HARD = 1024 };
enum { MAX_SENT_TOKS = 512 };

/* ------------------------------------------------------- normalization */

/* Our replacement for a code point, or NULL to keep it. */
static const char *map_cp(utf8proc_int32_t cp) {
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
    case 0x2035: case 0x02BC: case 0x00B4: case 0xFF07:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
    case 0x2036: case 0x00AB: case 0x00BB: case 0x2039: case 0x203A:
    case 0xFF02:
        return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212:
    case 0xFE63: case 0xFF0D:
        return "-";
    /* An em dash joins clauses, not words: "Moscow—where" must not become
     * one hyphenated token. */
    case 0x2014: case 0x2015: case 0xFE58:
        return "--";
    case 0x2026:
        return "...";
    case 0x0085: case 0x2028:
        return "\n";
    case 0x2029:
        return "\n\n";
    /* Invisible characters that would split or glue words. */
    case 0x00AD: case 0x200B: case 0x200E: case 0x200F: case 0x2060:
    case 0xFEFF: case 0x202A: case 0x202B: case 0x202C: case 0x202D:
    case 0x202E: case 0x2066: case 0x2067: case 0x2068: case 0x2069:
        return "";
    default:
        break;
    }
    if (cp < 0xA0) return " "; /* C1 controls */
    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS) return " ";
    return NULL;
}

/* Whether a code point is left alone by NFC whatever surrounds it: no
 * canonical decomposition, a starter, not a mark that could compose with
 * what precedes it, not Hangul (composed algorithmically). */
static int nfc_inert(utf8proc_int32_t cp) {
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) ||
        (cp >= 0xAC00 && cp <= 0xD7FF))
        return 0;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->combining_class != 0) return 0;
    if (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0) return 0;
    switch (p->category) {
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return 0;
    default:
        return 1;
    }
}

/* Output buffer of normalize(); cap is an upper bound computed up front. */
typedef struct nout {
    char *p;
    size_t n, cap;
} nout;

static int put_cp(nout *o, utf8proc_int32_t cp) {
    if (o->cap - o->n < 4) return DYAD_ETOOBIG;
    o->n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)o->p + o->n);
    return DYAD_OK;
}

/* Writes cps[0..k) in NFC. The last ASCII byte already written (a possible
 * starter of the first mark) is taken back and composed with them. */
static int put_nfc(nout *o, const utf8proc_int32_t *cps, size_t k, int inert) {
    if (inert) {
        for (size_t j = 0; j < k; j++)
            if (put_cp(o, cps[j])) return DYAD_ETOOBIG;
        return DYAD_OK;
    }
    utf8proc_uint8_t tmp[4 * (NFC_HARD + 2)];
    utf8proc_int32_t dec[4 * (NFC_HARD + 2)];
    size_t tn = 0;
    if (o->n && (unsigned char)o->p[o->n - 1] < 0x80) tmp[tn++] = (utf8proc_uint8_t)o->p[--o->n];
    for (size_t j = 0; j < k; j++) tn += (size_t)utf8proc_encode_char(cps[j], tmp + tn);
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_ssize_t dn = utf8proc_decompose(tmp, (utf8proc_ssize_t)tn, dec,
                                             (utf8proc_ssize_t)(sizeof dec / sizeof dec[0]), opt);
    if (dn < 0 || (size_t)dn > sizeof dec / sizeof dec[0]) {
        /* Cannot happen for valid input; keep the text as it came. */
        if (o->cap - o->n < tn) return DYAD_ETOOBIG;
        memcpy(o->p + o->n, tmp, tn);
        o->n += tn;
        return DYAD_OK;
    }
    dn = utf8proc_normalize_utf32(dec, dn, opt);
    if (dn < 0) return DYAD_EPARSE;
    for (utf8proc_ssize_t j = 0; j < dn; j++)
        if (put_cp(o, dec[j])) return DYAD_ETOOBIG;
    return DYAD_OK;
}

/* Removes an editorial omission that the '>' or ']' about to be written
 * would close: "<...>", "<…>" (the ellipsis is already "..."), "[...]". */
static int closes_omission(const nout *o, char open) {
    return o->n >= 4 && o->p[o->n - 4] == open && memcmp(o->p + o->n - 3, "...", 3) == 0;
}

int dyad__text_normalize(dyad_arena *a, const char *in, size_t n, char **out,
                         size_t *out_n, size_t *n_invalid) {
    const unsigned char *s = (const unsigned char *)in;
    size_t bad = 0, high = 0;
    int rc = DYAD_OK;
    nout o = {NULL, 0, 0};
    if (out) *out = NULL;
    if (out_n) *out_n = 0;
    if (n_invalid) *n_invalid = 0;
    if (!a || !out || (!in && n)) return DYAD_EINVAL;
    if (n > TEXT_MAX_IN) return DYAD_ETOOBIG;
    /* ASCII never grows; a non-ASCII byte gives at most 3 (U+FFFD for one
     * invalid byte; NFC expands a code point at most 3 times). */
    for (size_t i = 0; i < n; i++) high += s[i] >> 7;
    o.cap = n + 2 * high + 8;
    o.p = dyad__arena_alloc(a, o.cap + 1);
    if (!o.p) return DYAD_ENOMEM;

    utf8proc_int32_t cps[NFC_HARD];
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        /* Fast path: printable ASCII but the closers of omissions. */
        if (c >= 0x20 && c < 0x7F && c != '>' && c != ']') {
            o.p[o.n++] = (char)c;
            i++;
            continue;
        }
        if (c < 0x80) {
            i++;
            if (c == '>' || c == ']') {
                if (closes_omission(&o, c == '>' ? '<' : '[')) o.n -= 4;
                else o.p[o.n++] = (char)c;
            } else if (c == '\n' || c == '\t') {
                o.p[o.n++] = (char)c;
            } else if (c == '\r') {
                o.p[o.n++] = '\n';
                if (i < n && s[i] == '\n') i++;
            } else {
                o.p[o.n++] = ' '; /* NUL, other controls, DEL */
            }
            continue;
        }
        /* A run of non-ASCII code points, normalized together. */
        size_t k = 0;
        int inert = 1;
        while (i < n && s[i] >= 0x80 && k < NFC_HARD) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t l = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
            if (l < 1) {
                cp = 0xFFFD;
                l = 1;
                bad++;
            } else if (map_cp(cp)) {
                break;
            }
            if (k >= NFC_SOFT && utf8proc_get_property(cp)->combining_class == 0) break;
            if (inert && !nfc_inert(cp)) inert = 0;
            cps[k++] = cp;
            i += (size_t)l;
        }
        if (k && (rc = put_nfc(&o, cps, k, inert))) goto fail;
        if (k == 0) {
            /* A mapped code point: quotes, dashes, spaces, ellipsis. */
            utf8proc_int32_t cp;
            utf8proc_ssize_t l = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
            const char *m = map_cp(cp);
            size_t ml = strlen(m);
            if (o.cap - o.n < ml) {
                rc = DYAD_ETOOBIG;
                goto fail;
            }
            memcpy(o.p + o.n, m, ml);
            o.n += ml;
            i += (size_t)l;
        }
    }
    o.p[o.n] = '\0';
    *out = o.p;
    if (out_n) *out_n = o.n;
    if (n_invalid) *n_invalid = bad;
    return DYAD_OK;
fail:
    return rc;
}

/* ------------------------------------------------------ character classes */

enum {
    C_LETTER = 1,
    C_UPPER = 2,
    C_LOWER = 4,
    C_DIGIT = 8,
    C_SPACE = 16,
    C_NL = 32,
    C_MARK = 64,
};
#define C_WORD (C_LETTER | C_DIGIT | C_MARK)

/* Classes of the ASCII bytes (the fast path of the tokenizer). */
static const unsigned char ASCII_CLASS[128] = {
    ['\t'] = C_SPACE, ['\n'] = C_SPACE | C_NL, ['\v'] = C_SPACE, ['\f'] = C_SPACE,
    ['\r'] = C_SPACE, [' '] = C_SPACE,
    /* dictionaries join words with '_', and so do some feeds ("Dol_Amroth") */
    ['_'] = C_SPACE,
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
    ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
    ['A'] = C_LETTER | C_UPPER, ['B'] = C_LETTER | C_UPPER, ['C'] = C_LETTER | C_UPPER,
    ['D'] = C_LETTER | C_UPPER, ['E'] = C_LETTER | C_UPPER, ['F'] = C_LETTER | C_UPPER,
    ['G'] = C_LETTER | C_UPPER, ['H'] = C_LETTER | C_UPPER, ['I'] = C_LETTER | C_UPPER,
    ['J'] = C_LETTER | C_UPPER, ['K'] = C_LETTER | C_UPPER, ['L'] = C_LETTER | C_UPPER,
    ['M'] = C_LETTER | C_UPPER, ['N'] = C_LETTER | C_UPPER, ['O'] = C_LETTER | C_UPPER,
    ['P'] = C_LETTER | C_UPPER, ['Q'] = C_LETTER | C_UPPER, ['R'] = C_LETTER | C_UPPER,
    ['S'] = C_LETTER | C_UPPER, ['T'] = C_LETTER | C_UPPER, ['U'] = C_LETTER | C_UPPER,
    ['V'] = C_LETTER | C_UPPER, ['W'] = C_LETTER | C_UPPER, ['X'] = C_LETTER | C_UPPER,
    ['Y'] = C_LETTER | C_UPPER, ['Z'] = C_LETTER | C_UPPER,
    ['a'] = C_LETTER | C_LOWER, ['b'] = C_LETTER | C_LOWER, ['c'] = C_LETTER | C_LOWER,
    ['d'] = C_LETTER | C_LOWER, ['e'] = C_LETTER | C_LOWER, ['f'] = C_LETTER | C_LOWER,
    ['g'] = C_LETTER | C_LOWER, ['h'] = C_LETTER | C_LOWER, ['i'] = C_LETTER | C_LOWER,
    ['j'] = C_LETTER | C_LOWER, ['k'] = C_LETTER | C_LOWER, ['l'] = C_LETTER | C_LOWER,
    ['m'] = C_LETTER | C_LOWER, ['n'] = C_LETTER | C_LOWER, ['o'] = C_LETTER | C_LOWER,
    ['p'] = C_LETTER | C_LOWER, ['q'] = C_LETTER | C_LOWER, ['r'] = C_LETTER | C_LOWER,
    ['s'] = C_LETTER | C_LOWER, ['t'] = C_LETTER | C_LOWER, ['u'] = C_LETTER | C_LOWER,
    ['v'] = C_LETTER | C_LOWER, ['w'] = C_LETTER | C_LOWER, ['x'] = C_LETTER | C_LOWER,
    ['y'] = C_LETTER | C_LOWER, ['z'] = C_LETTER | C_LOWER,
};

static inline unsigned ascii_class(unsigned char c) { return ASCII_CLASS[c & 0x7F]; }

/* Class of the character at s[i] (i < n); *len gets its length in bytes.
 * A byte that is not valid UTF-8 is a one-byte symbol. */
static unsigned uni_class(const unsigned char *s, size_t n, size_t i, size_t *len) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (l < 1) {
        *len = 1;
        return 0;
    }
    *len = (size_t)l;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
        return C_LETTER | C_UPPER;
    case UTF8PROC_CATEGORY_LL:
        return C_LETTER | C_LOWER;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
        return C_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        return C_SPACE | C_NL;
    default:
        return 0;
    }
}

static inline unsigned char_class(const unsigned char *s, size_t n, size_t i, size_t *len) {
    if (s[i] < 0x80) {
        *len = 1;
        return ASCII_CLASS[s[i]];
    }
    return uni_class(s, n, i, len);
}

static unsigned class_at(const unsigned char *s, size_t n, size_t i) {
    size_t l;
    return i < n ? char_class(s, n, i, &l) : C_SPACE; /* the end is a space */
}

/* ---------------------------------------------------------- word lists */

/* Lower-cases a short token into buf; 0 when it does not fit. */
static size_t lower(const char *p, size_t n, char *buf, size_t size) {
    if (n >= size) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    buf[n] = '\0';
    return n;
}

static int in_list(const char *const *list, const char *w) {
    for (; *list; list++)
        if (strcmp(*list, w) == 0) return 1;
    return 0;
}

/* Abbreviations before a name: they never end a sentence. */
static const char *const TITLES[] = {
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Gen", "Col", "Lt", "Sgt", "Cpl", "Capt",
    "Maj", "Adm", "Cmdr", "Brig", "St", "Gov", "Sen", "Rep", "Reps", "Sens",
    "Prof", "Pres", "Rev", "Hon", "Mt", "Ft", "Fr", "vs", "No", "Nos", NULL};
/* Abbreviations that may end a sentence, when a common opener follows. */
static const char *const SOFT_ABBRS[] = {
    "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "Bros", "Dept", "Univ", "Assn",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "etc", "approx", "est", "Ave", "Blvd", NULL};
/* Words that commonly open a sentence after "U.S." and the like. */
static const char *const OPENERS[] = {
    "the", "he", "she", "it", "they", "we", "i", "you", "but", "and", "or", "in",
    "on", "at", "this", "that", "these", "those", "a", "an", "meanwhile",
    "however", "his", "her", "its", "their", "our", "there", "after", "as",
    "when", "while", "if", "for", "some", "many", "several", "both", "all",
    "according", "earlier", "later", "also", "yet", "so", "then", "since",
    "before", "during", "under", "what", "why", "how", "who", "no", "now",
    "today", "although", "though", "because", "despite", "following",
    "moreover", "instead", "indeed", "nevertheless", "thus", "officials",
    "one", "another", "last", "from", "with", "by", NULL};
/* A line ending in one of these goes on in the next line. */
static const char *const FUNCTION_WORDS[] = {
    "of", "the", "a", "an", "and", "or", "nor", "but", "to", "in", "on", "for",
    "with", "by", "at", "from", "as", "into", "about", "than", "that", "its",
    "their", "his", "her", "our", "this", "these", "those", "is", "are", "was",
    "were", "be", "been", "has", "have", "had", "will", "would", "could",
    "should", "may", "might", "can", "who", "which", "over", "after", "before",
    "between", "against", "under", "via", "amid", "per", NULL};

static int word_in(const dyad_tok *t, const char *const *list) {
    char buf[16];
    if (!lower(t->p, t->n, buf, sizeof buf)) return 0;
    return in_list(list, buf);
}

/* ------------------------------------------------------------ tokenizer */

/* Per-token facts used by the splitter only. */
enum {
    I_GAP = 3,      /* newlines before the token: 0, 1, 2 = blank line */
    I_TITLE = 4,    /* Mr., Gen.: never ends a sentence */
    I_SOFT = 8,     /* U.S., W., Aug.: ends one before an opener */
    I_OPEN = 16,    /* opening quote or bracket */
    I_CLOSE = 32,   /* closing quote or bracket */
};

/* Tokens go straight into the arena, sized from an estimate (English runs
 * about one token per 5 bytes); past it they move to an array twice as big
 * (the old one stays in the arena until the document is freed). */
typedef struct tokv {
    dyad_arena *a;
    const char *base;
    dyad_tok *t;
    unsigned char *info; /* I_* per token (malloc: used while splitting) */
    size_t n, cap, limit;
} tokv;

static int grow(tokv *v, size_t cap) {
    if (cap > v->limit) cap = v->limit;
    if (cap <= v->n) return DYAD_ETOOBIG;
    dyad_tok *t = dyad__arena_alloc(v->a, cap * sizeof *t);
    if (!t) return DYAD_ENOMEM;
    if (v->n) memcpy(t, v->t, v->n * sizeof *t);
    v->t = t;
    unsigned char *in = realloc(v->info, cap);
    if (!in) return DYAD_ENOMEM;
    v->info = in;
    v->cap = cap;
    return DYAD_OK;
}

static inline int push(tokv *v, size_t off, size_t len, unsigned flags, unsigned info) {
    if (v->n == v->cap) {
        int rc = grow(v, v->cap * 2);
        if (rc) return rc;
    }
    dyad_tok *t = &v->t[v->n];
    t->p = v->base + off;
    t->n = (uint32_t)len;
    t->off = (uint32_t)off;
    t->flags = (uint16_t)flags;
    v->info[v->n++] = (unsigned char)info;
    return DYAD_OK;
}

/* Whether an opening quote may stand at i: at the start, after a space or
 * after an opening bracket or quote. */
static int opens_at(const unsigned char *s, size_t n, size_t i) {
    if (i == 0) return 1;
    unsigned char p = s[i - 1];
    return (class_at(s, n, i - 1) & C_SPACE) || p == '(' || p == '[' || p == '{' ||
           p == '"' || p == '\'' || p == '-';
}

/* A word from s[*pi], with its clitic and abbreviation period.
 * "didn't" -> did n't; "Gondor's" -> Gondor 's; "U.S." "Mr." "W." keep the
 * period; "1,500" "11.8" "war-torn" "anti-" are one token. */
static int scan_word(tokv *v, const unsigned char *s, size_t n, size_t *pi,
                     unsigned first, unsigned gap, int *squote) {
    size_t st = *pi, i = st, last_apos = (size_t)-1, seg = 0;
    unsigned prev = first;
    int dots = 0;
    while (i < n) {
        size_t len;
        unsigned k = char_class(s, n, i, &len);
        if (k & C_WORD) {
            if (!(k & C_MARK)) seg++;
            prev = k;
            i += len;
            continue;
        }
        unsigned char ch = s[i];
        if (ch >= 0x80 || i + 1 >= n) break;
        unsigned nx = class_at(s, n, i + 1);
        if (ch == '-' && (nx & (C_LETTER | C_DIGIT))) {
            seg = 0;
        } else if (ch == '.' && (prev & C_DIGIT) && (nx & C_DIGIT)) {
            /* 11.8 */
        } else if (ch == '.' && (prev & C_LETTER) && (nx & C_LETTER) && seg == 1) {
            dots++, seg = 0; /* U.S, e.g */
        } else if (ch == '.' && (prev & C_LETTER) && (nx & C_LOWER) && seg >= 2) {
            dots++, seg = 0; /* UrduPoint.com */
        } else if (ch == ',' && (prev & C_DIGIT) && s[i + 1] < 0x80 && (nx & C_DIGIT)) {
            /* 1,500 */
        } else if (ch == '\'' && (nx & C_LETTER)) {
            last_apos = i, seg = 0;
        } else if (ch == '&' && (prev & C_UPPER) && (nx & C_UPPER)) {
            /* AT&T */
        } else if (ch == '/' && (prev & C_DIGIT) && (nx & C_DIGIT)) {
            /* 9/11 */
        } else {
            break;
        }
        i++;
    }
    size_t end = i;
    unsigned flags = DYAD_TOK_WORD;
    if (first & C_DIGIT) flags |= DYAD_TOK_NUM;
    if (first & C_UPPER) flags |= DYAD_TOK_CAP;
    unsigned info = gap, abbr = 0;
    if (i < n && s[i] == '-' && (class_at(s, n, i + 1) & C_SPACE)) {
        end = ++i; /* "anti- Gondor" */
    } else if (i < n && s[i] == '.' && !(i + 1 < n && s[i + 1] == '.')) {
        size_t wl = end - st;
        if (dots && seg == 1 && (prev & C_LETTER)) {
            abbr = I_SOFT;
        } else if (!dots && wl == 1 && (first & C_UPPER)) {
            abbr = I_SOFT; /* an initial: "George W. Bush" */
        } else if (!dots && last_apos == (size_t)-1 && wl <= 6) {
            char w[8];
            memcpy(w, s + st, wl);
            w[wl] = '\0';
            if (in_list(TITLES, w)) abbr = I_TITLE;
            else if (in_list(SOFT_ABBRS, w)) abbr = I_SOFT;
            if (abbr && strcmp(w, "No") == 0) {
                /* "No. 1" but "He said No." */
                size_t j = i + 1;
                while (j < n && (s[j] == ' ' || s[j] == '\t')) j++;
                if (!(j < n && s[j] >= '0' && s[j] <= '9')) abbr = 0;
            }
        }
        if (abbr) {
            end = ++i;
            flags |= DYAD_TOK_ABBR;
            info |= abbr;
        }
    }
    /* Clitics: n't, 's, 're, 'll, 've, 'd, 'm. */
    size_t split = end;
    if (last_apos != (size_t)-1 && !abbr && s[end - 1] != '-') {
        if (last_apos == end - 2 && end - st >= 4 && (s[end - 3] | 32) == 'n' &&
            (s[end - 1] | 32) == 't') {
            split = end - 3;
        } else if (last_apos > st && end - last_apos <= 3) {
            char w[4];
            lower((const char *)s + last_apos + 1, end - last_apos - 1, w, sizeof w);
            static const char *const CL[] = {"s", "re", "ll", "ve", "d", "m", NULL};
            if (in_list(CL, w)) split = last_apos;
        }
    }
    int rc = push(v, st, split - st, flags, info);
    if (!rc && split < end) rc = push(v, split, end - split, DYAD_TOK_WORD | DYAD_TOK_CLITIC, 0);
    /* A bare possessive: "countries'" (but not the close of a 'quote'). */
    if (!rc && end == i && i < n && s[i] == '\'' && !*squote && (s[end - 1] | 32) == 's' &&
        !(class_at(s, n, i + 1) & (C_LETTER | C_DIGIT))) {
        rc = push(v, i, 1, DYAD_TOK_CLITIC, 0);
        i++;
    }
    *pi = i;
    return rc;
}

/* One punctuation token (or a run: "--", "..."); any other symbol is a
 * one-character token. */
static int scan_punct(tokv *v, const unsigned char *s, size_t n, size_t *pi,
                      unsigned gap, int *squote) {
    size_t i = *pi, len = 1;
    unsigned flags = DYAD_TOK_PUNCT, info = gap;
    unsigned char c = s[i];
    switch (c) {
    case '"':
        flags |= DYAD_TOK_QUOTE;
        info |= opens_at(s, n, i) && !(class_at(s, n, i + 1) & C_SPACE) ? I_OPEN : I_CLOSE;
        break;
    case '`': /* `` and '' are TeX-style quotes, as in Treebank text */
        while (i + len < n && s[i + len] == '`') len++;
        flags |= DYAD_TOK_QUOTE;
        info |= I_OPEN;
        break;
    case '\'':
        flags |= DYAD_TOK_QUOTE;
        if (i + 1 < n && s[i + 1] == '\'') {
            len = 2;
            info |= I_CLOSE;
        } else if (opens_at(s, n, i) && (class_at(s, n, i + 1) & C_WORD)) {
            info |= I_OPEN;
            *squote = 1;
        } else {
            info |= I_CLOSE;
            *squote = 0;
        }
        break;
    case '-':
    case '.':
        while (i + len < n && s[i + len] == c) len++;
        break;
    case '(': case '[': case '{':
        info |= I_OPEN;
        break;
    case ')': case ']': case '}':
        info |= I_CLOSE;
        break;
    default:
        if (c >= 0x80) char_class(s, n, i, &len);
        break;
    }
    *pi = i + len;
    return push(v, i, len, flags, info);
}

static int tokenize(tokv *v, const unsigned char *s, size_t n) {
    size_t i = 0;
    unsigned nl = 0;
    int squote = 0, rc = DYAD_OK;
    while (i < n && !rc) {
        unsigned char c = s[i];
        unsigned k;
        size_t len = 1;
        if (c < 0x80) {
            if (c == ' ') { /* most common byte */
                i++;
                continue;
            }
            k = ascii_class(c);
        } else {
            k = char_class(s, n, i, &len);
        }
        if (k & C_SPACE) {
            nl += (k & C_NL) != 0;
            i += len;
            continue;
        }
        unsigned gap = nl >= 2 ? 2 : nl;
        nl = 0;
        if (gap == 2) squote = 0;
        if (k & C_WORD) rc = scan_word(v, s, n, &i, k, gap, &squote);
        else rc = scan_punct(v, s, n, &i, gap, &squote);
    }
    return rc;
}

/* -------------------------------------------------------------- splitter */

static int is_char(const dyad_tok *t, const char *set) {
    return t->n == 1 && (t->flags & DYAD_TOK_PUNCT) && strchr(set, t->p[0]);
}

/* Starts with a lower-case letter. */
static int starts_lower(const dyad_tok *t) {
    return (class_at((const unsigned char *)t->p, t->n, 0) & C_LOWER) != 0;
}

/* The token may end a sentence whatever follows: . ! ? : " ' or an
 * abbreviation's period (the blank-line rule). */
static int ends_final(const dyad_tok *t) {
    return is_char(t, ".!?:") || (t->flags & (DYAD_TOK_QUOTE | DYAD_TOK_ABBR)) ||
           (t->p[0] == '.' && (t->flags & DYAD_TOK_PUNCT));
}

/* Token k can start a sentence: capitalized, a number, an opening quote,
 * an opening parenthesis before a capital. */
static int starts_sentence(const tokv *v, size_t k) {
    const dyad_tok *t = &v->t[k];
    if ((t->flags & (DYAD_TOK_CAP | DYAD_TOK_NUM)) ||
        ((t->flags & DYAD_TOK_QUOTE) && (v->info[k] & I_OPEN)))
        return 1;
    return is_char(t, "([") && k + 1 < v->n && (t[1].flags & DYAD_TOK_CAP);
}

/* The last token of a line that is a headline, not a hard-wrapped line. */
static int headline_end(const dyad_tok *t, unsigned info) {
    if (t->flags & DYAD_TOK_WORD)
        return !(t->flags & DYAD_TOK_ABBR) && !word_in(t, FUNCTION_WORDS);
    return is_char(t, ")]") || ((t->flags & DYAD_TOK_QUOTE) && (info & I_CLOSE));
}

typedef struct sentv {
    dyad_sent *s;
    size_t n, cap;
} sentv;

static int emit(sentv *sv, const dyad_tok *t, size_t first, size_t last, uint32_t para) {
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 64;
        dyad_sent *p = realloc(sv->s, cap * sizeof *p);
        if (!p) return DYAD_ENOMEM;
        sv->s = p;
        sv->cap = cap;
    }
    dyad_sent *s = &sv->s[sv->n++];
    s->start = t[first].off;
    s->end = t[last].off + t[last].n;
    s->tok_first = (uint32_t)first;
    s->tok_count = (uint32_t)(last - first + 1);
    s->para = para;
    return DYAD_OK;
}

static int segment(const tokv *v, sentv *sv) {
    const dyad_tok *t = v->t;
    const unsigned char *info = v->info;
    size_t nt = v->n;
    /* A line break followed by a lower-case word shows hard-wrapped text:
     * then a capital after a line break is a name, not a new sentence. */
    int headlines = 1;
    for (size_t j = 1; j < nt && headlines; j++)
        if ((info[j] & I_GAP) == 1 && !is_char(&t[j - 1], ".!?") && starts_lower(&t[j]))
            headlines = 0;

    size_t first = 0;
    uint32_t para = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t j = i + 1;
        int brk = 0, newpara = 0;
        if (j >= nt || j - first >= MAX_SENT_TOKS) {
            brk = 1;
        } else {
            unsigned gap = info[j] & I_GAP;
            /* 1: ends before a capital; 2: only before a common opener */
            int cand = is_char(&t[i], ".!?") ? 1
                       : ((info[i] & I_SOFT) || (t[i].n > 1 && t[i].p[0] == '.' &&
                                                 (t[i].flags & DYAD_TOK_PUNCT))) ? 2 : 0;
            if (cand) {
                /* Closing quotes and brackets right after belong to it. */
                size_t k = j;
                while (k < nt && (info[k] & I_GAP) == 0 && (info[k] & I_CLOSE) &&
                       k - first < MAX_SENT_TOKS)
                    k++;
                if (k >= nt) {
                    i = nt - 1;
                    brk = 1;
                } else if ((info[k] & I_GAP) == 2) {
                    brk = newpara = 1;
                } else if (cand == 1 ? starts_sentence(v, k)
                                     : ((t[k].flags & DYAD_TOK_CAP) && word_in(&t[k], OPENERS))) {
                    brk = 1;
                }
                if (brk) i = k - 1;
            } else if (gap == 2) {
                /* "...drug trafficking\n\ncoming from" is one sentence. */
                if (ends_final(&t[i]) || !starts_lower(&t[j])) brk = newpara = 1;
            } else if (gap == 1 && headlines && headline_end(&t[i], info[i]) &&
                       (t[j].flags & DYAD_TOK_CAP)) {
                brk = 1;
            }
        }
        if (brk) {
            int rc = emit(sv, t, first, i, para);
            if (rc) return rc;
            para += newpara;
            first = i + 1;
        }
    }
    return DYAD_OK;
}

int dyad__text_split(dyad_arena *a, const char *text, size_t n,
                     dyad_sent **sents, size_t *n_sents, dyad_tok **toks,
                     size_t *n_toks) {
    tokv v = {a, text, NULL, NULL, 0, 0, n + 1};
    sentv sv = {NULL, 0, 0};
    int rc = DYAD_OK;
    if (sents) *sents = NULL;
    if (toks) *toks = NULL;
    if (n_sents) *n_sents = 0;
    if (n_toks) *n_toks = 0;
    if (!a || !sents || !toks || !n_sents || !n_toks || (!text && n)) return DYAD_EINVAL;
    if (n >= UINT32_MAX) return DYAD_ETOOBIG;
    if ((rc = grow(&v, n / 4 + 64))) goto done;
    if ((rc = tokenize(&v, (const unsigned char *)text, n))) goto done;
    if ((rc = segment(&v, &sv))) goto done;
    *sents = dyad__arena_alloc(a, (sv.n ? sv.n : 1) * sizeof **sents);
    if (!*sents) {
        rc = DYAD_ENOMEM;
        goto done;
    }
    if (sv.n) memcpy(*sents, sv.s, sv.n * sizeof **sents);
    *toks = v.t;
    *n_toks = v.n;
    *n_sents = sv.n;
done:
    free(v.info);
    free(sv.s);
    return rc;
}
