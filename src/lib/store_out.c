/* store_out.c: export formats of merged events: JSON Lines and CSV (dyad
 * code's fields plus the event's), the GDELT 2.0 events and mentions tables,
 * and PLOVER JSON records. */
#include "dyad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dyad_store_format_parse(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "jsonl") == 0 || strcmp(name, "json") == 0)
        return DYAD_STORE_FMT_JSONL;
    if (strcmp(name, "csv") == 0)
        return DYAD_STORE_FMT_CSV;
    if (strcmp(name, "gdelt") == 0)
        return DYAD_STORE_FMT_GDELT;
    if (strcmp(name, "plover") == 0)
        return DYAD_STORE_FMT_PLOVER;
    return -1;
}

/* A JSON string; the store holds valid UTF-8 (the coder's output). */
static void json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void csv_str(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A GDELT field: tabs and newlines would break the row. */
static void tsv_str(FILE *f, const char *s)
{
    if (!s)
        return;
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* One of dyad code's lines without its end ("}\n" or "\n"), in a buffer. */
static char *code_line(dyad_format fmt, const dyad_event *e)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);

    if (!m)
        return NULL;
    if (dyad_write_event(m, fmt, e) != DYAD_OK) {
        fclose(m);
        free(buf);
        return NULL;
    }
    fclose(m);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    if (fmt == DYAD_FMT_JSONL && n > 0 && buf[n - 1] == '}')
        buf[--n] = '\0';
    return buf;
}

int dyad_store_write_header(FILE *f, dyad_store_format fmt)
{
    if (fmt == DYAD_STORE_FMT_CSV) {
        char *buf = NULL;
        size_t n = 0;
        FILE *m = open_memstream(&buf, &n);
        if (!m)
            return DYAD_ENOMEM;
        dyad_write_header(m, DYAD_FMT_CSV);
        fclose(m);
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            buf[--n] = '\0';
        fprintf(f, "%s,id,last_date,num_mentions,num_articles,num_sources\n", buf);
        free(buf);
    }
    return ferror(f) ? DYAD_EIO : DYAD_OK;
}

static void write_jsonl(FILE *f, const dyad_store_event *e, const char *line)
{
    size_t i;

    fprintf(f, "%s,\"id\":%lld,\"last_date\":", line, (long long)e->id);
    json_str(f, e->last_date);
    fprintf(f, ",\"num_mentions\":%d,\"num_articles\":%d,\"num_sources\":%d,"
               "\"reciprocal\":%s,\"url\":",
            e->num_mentions, e->num_articles, e->num_sources,
            e->reciprocal ? "true" : "false");
    json_str(f, e->url);
    fputs(",\"mentions\":[", f);
    for (i = 0; i < e->nmentions; i++) {
        const dyad_store_mention *m = &e->mentions[i];
        fputs(i ? ",{\"doc\":" : "{\"doc\":", f);
        json_str(f, m->doc);
        fprintf(f, ",\"sentence\":%d,\"date\":", m->sentence);
        json_str(f, m->date);
        fputs(",\"source\":", f);
        json_str(f, m->source);
        fputs(",\"target\":", f);
        json_str(f, m->target);
        fputs(",\"code\":", f);
        json_str(f, m->code);
        fputs(",\"publisher\":", f);
        json_str(f, m->publisher);
        fputs(",\"text\":", f);
        json_str(f, m->text);
        fputs(",\"pattern\":", f);
        json_str(f, m->pattern);
        fputc('}', f);
    }
    fputs("]}\n", f);
}

/* The actor's role after its country: RUSGOV -> GOV. */
static void sector(const char *code, const char *country, char out[4])
{
    size_t n = country ? strlen(country) : 0;
    out[0] = '\0';
    if (code && country && strncmp(code, country, n) == 0)
        snprintf(out, 4, "%.3s", code + n);
}

static void gdelt_actor(FILE *f, const char *code, const char *name,
                        const char *country)
{
    char sec[4];
    sector(code, country, sec);
    /* Code, Name, CountryCode, KnownGroup, Ethnic, Religion1, Religion2,
     * Type1, Type2, Type3. */
    tsv_str(f, code);
    fputc('\t', f);
    tsv_str(f, name);
    fputc('\t', f);
    tsv_str(f, country);
    fprintf(f, "\t\t\t\t\t%s\t\t\t", sec);
}

static void write_gdelt(FILE *f, const dyad_store_event *e)
{
    const dyad_event *v = &e->ev;
    int y = 0, m = 0, d = 0;
    int dated = v->date && sscanf(v->date, "%d-%d-%d", &y, &m, &d) == 3;
    int g;

    fprintf(f, "%lld\t", (long long)e->id);
    if (dated) /* SQLDATE, MonthYear, Year, FractionDate as GDELT makes it */
        fprintf(f, "%04d%02d%02d\t%04d%02d\t%04d\t%.4f\t", y, m, d, y, m, y,
                y + (m * 30 + d) / 365.0);
    else
        fputs("\t\t\t\t", f);
    gdelt_actor(f, v->source, v->source_name, v->source_country);
    gdelt_actor(f, v->target, v->target_name, v->target_country);
    /* IsRootEvent, EventCode, EventBaseCode, EventRootCode, QuadClass,
     * GoldsteinScale, NumMentions, NumSources, NumArticles, AvgTone. */
    fprintf(f, "%d\t", v->sentence == 0);
    tsv_str(f, v->code);
    fprintf(f, "\t%.3s\t%s\t", v->code ? v->code : "", v->root);
    if (v->quad)
        fprintf(f, "%d", v->quad);
    fputc('\t', f);
    if (v->has_goldstein)
        fprintf(f, "%.1f", v->goldstein);
    fprintf(f, "\t%d\t%d\t%d\t", e->num_mentions, e->num_sources,
            e->num_articles);
    /* AvgTone and the three geographies (8 columns each): no values, but
     * ActionGeo_FullName gets the dateline place. */
    for (g = 0; g < 18; g++) /* AvgTone .. ActionGeo_Type */
        fputc('\t', f);
    tsv_str(f, v->place);
    for (g = 0; g < 8; g++) /* .. ActionGeo_FeatureID, DATEADDED (not kept) */
        fputc('\t', f);
    tsv_str(f, e->url); /* SOURCEURL */
    fputc('\n', f);
}

static void write_plover(FILE *f, const dyad_store_event *e)
{
    const dyad_cameo *c = e->ev.code ? dyad_cameo_lookup(e->ev.code) : NULL;

    fprintf(f, "{\"id\":\"%lld\",\"date\":", (long long)e->id);
    json_str(f, e->ev.date);
    fputs(",\"actor\":", f);
    json_str(f, e->ev.source);
    fputs(",\"recipient\":", f);
    json_str(f, e->ev.target);
    fputs(",\"event\":", f);
    json_str(f, e->ev.plover);
    fputs(",\"mode\":", f);
    json_str(f, c && c->plover_mode && *c->plover_mode ? c->plover_mode : NULL);
    fputs(",\"context\":", f);
    json_str(f, c && c->plover_context && *c->plover_context ? c->plover_context : NULL);
    fputs(",\"text\":", f);
    json_str(f, e->ev.text);
    fputs("}\n", f);
}

int dyad_store_write_event(FILE *f, dyad_store_format fmt,
                           const dyad_store_event *e)
{
    char *line;

    switch (fmt) {
    case DYAD_STORE_FMT_JSONL:
    case DYAD_STORE_FMT_CSV:
        if (!(line = code_line(fmt == DYAD_STORE_FMT_CSV ? DYAD_FMT_CSV
                                                          : DYAD_FMT_JSONL,
                               &e->ev)))
            return DYAD_ENOMEM;
        if (fmt == DYAD_STORE_FMT_JSONL) {
            write_jsonl(f, e, line);
        } else {
            fprintf(f, "%s,%lld,", line, (long long)e->id);
            csv_str(f, e->last_date);
            fprintf(f, ",%d,%d,%d\n", e->num_mentions, e->num_articles,
                    e->num_sources);
        }
        free(line);
        break;
    case DYAD_STORE_FMT_GDELT:
        write_gdelt(f, e);
        break;
    case DYAD_STORE_FMT_PLOVER:
        if (e->ev.plover)
            write_plover(f, e);
        break;
    default:
        return DYAD_EINVAL;
    }
    return ferror(f) ? DYAD_EIO : DYAD_OK;
}

int dyad_store_write_gdelt_mentions(FILE *f, const dyad_store_event *e)
{
    size_t i;
    char ev[16] = "";
    int y, m, d;

    if (e->ev.date && sscanf(e->ev.date, "%d-%d-%d", &y, &m, &d) == 3)
        snprintf(ev, sizeof ev, "%04d%02d%02d000000", y, m, d);
    for (i = 0; i < e->nmentions; i++) {
        const dyad_store_mention *x = &e->mentions[i];
        char mt[16] = "";
        if (x->date && sscanf(x->date, "%d-%d-%d", &y, &m, &d) == 3)
            snprintf(mt, sizeof mt, "%04d%02d%02d000000", y, m, d);
        /* GLOBALEVENTID, EventTimeDate, MentionTimeDate, MentionType (1 web),
         * MentionSourceName, MentionIdentifier, SentenceID (1-based),
         * Actor1/Actor2/Action offsets, InRawText, Confidence, DocLen,
         * DocTone, TranslationInfo, Extras. */
        fprintf(f, "%lld\t%s\t%s\t1\t", (long long)e->id, ev, mt);
        tsv_str(f, x->publisher);
        fputc('\t', f);
        tsv_str(f, x->url ? x->url : x->doc);
        fprintf(f, "\t%d\t\t\t\t1\t\t\t\t\t\n", x->sentence + 1);
    }
    return ferror(f) ? DYAD_EIO : DYAD_OK;
}
