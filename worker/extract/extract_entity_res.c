/*  extract_entity_res: the country table of extract_entity (see extract_entity.h):
    country names, aliases and demonyms from the iso-codes JSON and built-in lists,
    folded, in one open-addressing table read by the entity detector. Split from
    extract_entity.c, which keeps detection and linking. */
#include "extract_entity.h"
#include "extract_text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the country table ------------------------------------------------------------ */

typedef struct {
    char *name;               /* folded name or demonym */
    const char *canon;        /* display name of the country */
    bool demonym;
} s_place_t;

struct xres_t {
    s_place_t *slot;          /* open addressing, power-of-two size */
    size_t cap, n;
    char **canon;             /* owned display names */
    size_t n_canon;
};

static void s_res_put(xres_t *r, const char *folded, const char *canon, bool demonym)
{
    if (!folded[0])
        return;
    if ((r->n + 1) * 2 > r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 1024;
        s_place_t *ns = util_calloc(ncap, sizeof *ns);
        for (size_t i = 0; i < r->cap; i++) {
            if (!r->slot[i].name)
                continue;
            size_t h = extract_hash(r->slot[i].name, strlen(r->slot[i].name)) & (ncap - 1);
            while (ns[h].name)
                h = (h + 1) & (ncap - 1);
            ns[h] = r->slot[i];
        }
        free(r->slot);
        r->slot = ns;
        r->cap = ncap;
    }
    size_t h = extract_hash(folded, strlen(folded)) & (r->cap - 1);
    while (r->slot[h].name) {
        if (strcmp(r->slot[h].name, folded) == 0)
            return;   /* first one wins: names before derived demonyms */
        h = (h + 1) & (r->cap - 1);
    }
    r->slot[h].name = util_strdup(folded);
    r->slot[h].canon = canon;
    r->slot[h].demonym = demonym;
    r->n++;
}

const char *extract_entity_country(const xres_t *r, const char *folded, bool *demonym)
{
    if (!r || !r->cap || !folded)
        return NULL;
    return extract_entity_country_hash(r, folded, extract_hash(folded, strlen(folded)), demonym);
}

const char *extract_entity_country_hash(const xres_t *r, const char *folded, uint32_t hash,
                                        bool *demonym)
{
    if (!r || !r->cap || !folded)
        return NULL;
    size_t h = hash & (r->cap - 1);
    while (r->slot[h].name) {
        if (strcmp(r->slot[h].name, folded) == 0) {
            if (demonym)
                *demonym = r->slot[h].demonym;
            return r->slot[h].canon;
        }
        h = (h + 1) & (r->cap - 1);
    }
    return NULL;
}

size_t extract_entity_res_size(const xres_t *r)
{
    return r ? r->n : 0;
}

static const char *s_res_canon(xres_t *r, const char *name)
{
    for (size_t i = 0; i < r->n_canon; i++)
        if (strcmp(r->canon[i], name) == 0)
            return r->canon[i];
    r->canon = util_realloc(r->canon, (r->n_canon + 1) * sizeof *r->canon);
    r->canon[r->n_canon] = util_strdup(name);
    return r->canon[r->n_canon++];
}

static void s_res_name(xres_t *r, const char *name, const char *canon)
{
    char f[160];
    extract_text_fold((const uint8_t *)name, strlen(name), f, sizeof f);
    s_res_put(r, f, canon, false);
}

/* Short names people write that iso-codes spells otherwise, keyed by alpha-2. */
static const struct { const char *a2, *canon, *alias[6]; } s_alias[] = {
    {"TR", "Turkey", {"Turkey", "Türkiye", NULL}},
    {"RU", "Russia", {"Russia", NULL}},
    {"US", "United States", {"United States", "America", "U.S.", "US", "USA", "U.S.A."}},
    {"GB", "United Kingdom", {"Britain", "Great Britain", "UK", "U.K.", "England", NULL}},
    {"KR", "South Korea", {"South Korea", NULL}},
    {"KP", "North Korea", {"North Korea", NULL}},
    {"SY", "Syria", {"Syria", NULL}},
    {"IR", "Iran", {"Iran", NULL}},
    {"VN", "Vietnam", {"Vietnam", NULL}},
    {"CZ", "Czech Republic", {"Czech Republic", NULL}},
    {"AE", "United Arab Emirates", {"UAE", "U.A.E.", NULL}},
    {"PS", "Palestine", {"Palestine", "Palestinian territories", NULL}},
    {"MD", "Moldova", {"Moldova", NULL}},
    {"TZ", "Tanzania", {"Tanzania", NULL}},
    {"LA", "Laos", {"Laos", NULL}},
    {"CD", "Democratic Republic of Congo", {"DR Congo", "DRC", NULL}},
};

/* Demonyms no suffix rule reaches. */
static const struct { const char *dem, *a2; } s_dem_irregular[] = {
    {"turkish", "TR"}, {"french", "FR"}, {"british", "GB"}, {"english", "GB"},
    {"scottish", "GB"}, {"welsh", "GB"}, {"german", "DE"}, {"dutch", "NL"}, {"swiss", "CH"},
    {"greek", "GR"}, {"danish", "DK"}, {"swedish", "SE"}, {"finnish", "FI"},
    {"polish", "PL"}, {"spanish", "ES"}, {"irish", "IE"}, {"afghan", "AF"},
    {"chinese", "CN"}, {"japanese", "JP"}, {"lebanese", "LB"}, {"saudi", "SA"},
    {"emirati", "AE"}, {"american", "US"}, {"filipino", "PH"}, {"thai", "TH"},
    {"czech", "CZ"}, {"portuguese", "PT"}, {"vietnamese", "VN"}, {"norwegian", "NO"},
    {"icelandic", "IS"}, {"uzbek", "UZ"}, {"kazakh", "KZ"}, {"tajik", "TJ"},
    {"kyrgyz", "KG"}, {"turkmen", "TM"}, {"sudanese", "SD"}, {"ukrainian", "UA"},
    {"italian", "IT"}, {"mexican", "MX"}, {"canadian", "CA"}, {"belgian", "BE"},
    {"north korean", "KP"}, {"south korean", "KR"}, {"palestinian", "PS"},
    {"israeli", "IL"}, {"iraqi", "IQ"}, {"kuwaiti", "KW"}, {"qatari", "QA"},
    {"yemeni", "YE"}, {"bahraini", "BH"}, {"omani", "OM"}, {"pakistani", "PK"},
    {"bangladeshi", "BD"}, {"nepalese", "NP"}, {"egyptian", "EG"}, {"peruvian", "PE"},
    {"argentine", "AR"}, {"argentinian", "AR"}, {"colombian", "CO"}, {"venezuelan", "VE"},
    {"brazilian", "BR"}, {"chilean", "CL"}, {"malaysian", "MY"}, {"indonesian", "ID"},
    {"new zealander", "NZ"}, {"cypriot", "CY"}, {"maltese", "MT"}, {"hungarian", "HU"},
    {"romanian", "RO"}, {"serbian", "RS"}, {"croatian", "HR"}, {"slovak", "SK"},
    {"austrian", "AT"}, {"libyan", "LY"}, {"moroccan", "MA"}, {"algerian", "DZ"},
    {"tunisian", "TN"}, {"nigerian", "NG"}, {"kenyan", "KE"}, {"ethiopian", "ET"},
    {"somali", "SO"}, {"azerbaijani", "AZ"}, {"armenian", "AM"}, {"georgian", "GE"},
    {"jordanian", "JO"}, {"iranian", "IR"}, {"syrian", "SY"}, {"russian", "RU"},
    {"indian", "IN"}, {"australian", "AU"}, {"korean", "KR"}, {"soviet", "RU"},
};

typedef struct {
    char a2[4];
    char name[96], common[96], official[128];
} s_iso_t;

/* Reads a JSON string at p (after the opening quote) into out; returns the end. */
static const char *s_json_str(const char *p, const char *end, char *out, size_t cap)
{
    size_t o = 0;
    while (p < end && *p != '"') {
        char ch = *p++;
        if (ch == '\\' && p < end)
            ch = *p++;
        if (o + 1 < cap)
            out[o++] = ch;
    }
    out[o] = 0;
    return p < end ? p + 1 : p;
}

static const char *s_canon_for(xres_t *r, const s_iso_t *e)
{
    for (size_t k = 0; k < sizeof s_alias / sizeof *s_alias; k++)
        if (strcmp(s_alias[k].a2, e->a2) == 0)
            return s_res_canon(r, s_alias[k].canon);
    if (e->common[0])
        return s_res_canon(r, e->common);
    if (!strchr(e->name, ','))
        return s_res_canon(r, e->name);
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%s", e->name);
    *strchr(tmp, ',') = 0;
    return s_res_canon(r, tmp);
}

static void s_res_derive(xres_t *r, const char *fname, const char *canon, int pass)
{
    size_t n = strlen(fname);
    if (n < 3 || n > 40 || strchr(fname, ' '))
        return;
    char d[64];
    char last = fname[n - 1];
    bool vowel = strchr("aeiouy", last) != NULL;
    if (pass == 0) {
        if (last == 'a') {
            snprintf(d, sizeof d, "%sn", fname);          /* Syria -> Syrian */
            s_res_put(r, d, canon, true);
        }
        return;
    }
    if (!vowel) {
        snprintf(d, sizeof d, "%sian", fname);            /* Iran -> Iranian */
        s_res_put(r, d, canon, true);
        snprintf(d, sizeof d, "%si", fname);              /* Iraq -> Iraqi */
        s_res_put(r, d, canon, true);
        snprintf(d, sizeof d, "%sese", fname);            /* Sudan -> Sudanese */
        s_res_put(r, d, canon, true);
    } else {
        snprintf(d, sizeof d, "%.*sian", (int)(n - 1), fname); /* Italy -> Italian */
        s_res_put(r, d, canon, true);
        snprintf(d, sizeof d, "%.*san", (int)(n - 1), fname);  /* Mexico -> Mexican */
        s_res_put(r, d, canon, true);
    }
}

xres_t *extract_entity_res_new(const char *iso_path)
{
    xres_t *r = util_calloc(1, sizeof *r);
    if (!iso_path)
        iso_path = "/usr/share/iso-codes/json/iso_3166-1.json";
    s_iso_t *items = NULL;
    size_t n_items = 0;
    FILE *fp = fopen(iso_path, "rb");
    if (fp) {
        char *buf = NULL;
        size_t len = 0, cap = 0;
        for (;;) {
            if (len + 65536 > cap) {
                cap = cap ? cap * 2 : 262144;
                if (cap > 64u << 20)
                    break;
                buf = util_realloc(buf, cap);
            }
            size_t k = fread(buf + len, 1, cap - len - 1, fp);
            if (k == 0)
                break;
            len += k;
        }
        fclose(fp);
        const char *p = buf, *end = buf ? buf + len : NULL;
        s_iso_t cur;
        memset(&cur, 0, sizeof cur);
        int depth = 0;
        while (p && p < end) {
            char ch = *p++;
            if (ch == '{') {
                depth++;
                memset(&cur, 0, sizeof cur);
            } else if (ch == '}') {
                depth--;
                if (cur.a2[0] && cur.name[0]) {
                    items = util_realloc(items, (n_items + 1) * sizeof *items);
                    items[n_items++] = cur;
                }
                memset(&cur, 0, sizeof cur);
            } else if (ch == '"') {
                char key[32], val[160];
                p = s_json_str(p, end, key, sizeof key);
                while (p < end && (*p == ' ' || *p == ':' || *p == '\n' || *p == '\t'))
                    p++;
                if (p < end && *p == '"') {
                    p = s_json_str(p + 1, end, val, sizeof val);
                    if (strcmp(key, "alpha_2") == 0)
                        snprintf(cur.a2, sizeof cur.a2, "%.3s", val);
                    else if (strcmp(key, "name") == 0)
                        snprintf(cur.name, sizeof cur.name, "%s", val);
                    else if (strcmp(key, "common_name") == 0)
                        snprintf(cur.common, sizeof cur.common, "%s", val);
                    else if (strcmp(key, "official_name") == 0)
                        snprintf(cur.official, sizeof cur.official, "%s", val);
                }
            }
        }
        free(buf);
    }
    /* Names first, aliases, then demonyms (irregular, then derived), so a real name is
       never shadowed by a derived form. */
    for (size_t i = 0; i < n_items; i++) {
        const char *canon = s_canon_for(r, &items[i]);
        s_res_name(r, canon, canon);
        if (!strchr(items[i].name, ','))
            s_res_name(r, items[i].name, canon);
        if (items[i].common[0])
            s_res_name(r, items[i].common, canon);
        if (items[i].official[0])
            s_res_name(r, items[i].official, canon);
    }
    for (size_t k = 0; k < sizeof s_alias / sizeof *s_alias; k++) {
        const char *canon = s_res_canon(r, s_alias[k].canon);
        for (int j = 0; j < 6 && s_alias[k].alias[j]; j++)
            s_res_name(r, s_alias[k].alias[j], canon);
    }
    for (size_t k = 0; k < sizeof s_dem_irregular / sizeof *s_dem_irregular; k++) {
        const char *canon = NULL;
        for (size_t i = 0; i < n_items && !canon; i++)
            if (strcmp(items[i].a2, s_dem_irregular[k].a2) == 0)
                canon = s_canon_for(r, &items[i]);
        if (canon)
            s_res_put(r, s_dem_irregular[k].dem, canon, true);
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n_items; i++) {
            const char *canon = s_canon_for(r, &items[i]);
            char f[96];
            extract_text_fold((const uint8_t *)canon, strlen(canon), f, sizeof f);
            s_res_derive(r, f, canon, pass);
        }
    free(items);
    return r;
}

void extract_entity_res_destroy(xres_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xres_t *r = *self_p;
    for (size_t i = 0; i < r->cap; i++)
        free(r->slot[i].name);
    free(r->slot);
    for (size_t i = 0; i < r->n_canon; i++)
        free(r->canon[i]);
    free(r->canon);
    free(r);
    *self_p = NULL;
}
