/*  extract_text: decoding, tokens, folding, boilerplate, SimHash.

    The tokenizer walks the working text once. ASCII takes a fast path; other characters
    are classified with utf8proc. A token's folded form is written into the run's arena. */
#include "extract_text.h"
#include "util.h"

#include <ctype.h>
#include <string.h>
#include <utf8proc.h>

bool extract_text_valid_utf8(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t b = s[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* Control characters other than newline and tab become spaces, in place, so that NULs
   and the like can't cut strings short or confuse the tokenizer. */
static void s_blank_controls(uint8_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w[i] < 0x20 && w[i] != '\n' && w[i] != '\t')
            w[i] = (w[i] == '\r') ? '\n' : ' ';
        else if (w[i] == 0x7F)
            w[i] = ' ';
}

/* Copies n bytes of s to w, blanking controls as s_blank_controls does, while checking
   that s is UTF-8: one pass where there were three. Eight bytes at a time while none is
   a control, DEL or non-ASCII. Returns false (w then half written) when s is not UTF-8. */
static bool s_copy_utf8(uint8_t *w, const uint8_t *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t x, del;
            memcpy(&x, s + i, 8);
            del = x ^ (0x7F * ones);
            /* a high bit: non-ASCII; (x - 0x20) & ~x: a byte under 0x20; del: a 0x7F */
            if (!((x | ((x - 0x20 * ones) & ~x) | ((del - ones) & ~del)) & high)) {
                memcpy(w + i, &x, 8);
                i += 8;
                continue;
            }
        }
        uint8_t b = s[i];
        if (b < 0x80) {
            if (b < 0x20 && b != '\n' && b != '\t')
                b = (b == '\r') ? '\n' : ' ';
            else if (b == 0x7F)
                b = ' ';
            w[i++] = b;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return false;
        memcpy(w + i, s + i, (size_t)k);
        i += (size_t)k;
    }
    return true;
}

int extract_text_decode(xctx_t *c)
{
    const extract_doc_t *d = c->doc;
    uint8_t *w = extract_arena_alloc(c->arena, d->len + 1, 0);
    if (s_copy_utf8(w, d->text, d->len)) {
        w[d->len] = 0;
        c->w = w;
        c->wlen = d->len;
        c->map = NULL;
        c->body_w = d->body_start;
        c->encoding = "utf-8";
        return 0;
    }
    /* Windows-1252: at most 3 UTF-8 bytes per input byte. map[j] is the original offset
       of working byte j, and map[wlen] == len, so span ends map too. */
    w = extract_arena_alloc(c->arena, d->len * 3 + 1, 0);
    uint32_t *map = extract_arena_alloc(c->arena, (d->len * 3 + 1) * sizeof *map, 0);
    size_t j = 0;
    c->body_w = 0;
    for (size_t i = 0; i < d->len; i++) {
        if (i == d->body_start)
            c->body_w = j;
        uint8_t b = d->text[i];
        utf8proc_int32_t cp = b;
        if (b >= 0x80 && b < 0xA0) {
            cp = (utf8proc_int32_t)util_cp1252(b);
            if (!cp)
                return EXTRACT_EDECODE;
        }
        uint8_t tmp[4];
        utf8proc_ssize_t k = utf8proc_encode_char(cp, tmp);
        for (utf8proc_ssize_t m = 0; m < k; m++) {
            map[j] = (uint32_t)i;
            w[j++] = tmp[m];
        }
    }
    if (d->body_start >= d->len)
        c->body_w = j;
    map[j] = (uint32_t)d->len;
    w[j] = 0;
    s_blank_controls(w, j);
    c->w = w;
    c->wlen = j;
    c->map = map;
    c->encoding = "windows-1252";
    XVEC_PUSH(c->warn, "not valid UTF-8: decoded as Windows-1252");
    return 0;
}

/* Folds one code point into out; returns bytes written (0 when dropped). */
static size_t s_fold_cp(utf8proc_int32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)tolower(cp);
        return 1;
    }
    switch (cp) {
    case 0x0131: out[0] = 'i'; return 1;               /* Turkish dotless i */
    case 0x2018: case 0x2019: case 0x02BC: case 0x2032: out[0] = '\''; return 1;
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: out[0] = '"'; return 1;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212:
        out[0] = '-'; return 1;
    case 0x00A0: out[0] = ' '; return 1;
    default: break;
    }
    utf8proc_int32_t buf[8];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, buf, 8,
        UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_COMPAT, &last);
    if (n < 0 || n > 8) {
        return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
    }
    size_t w = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (buf[i] == 0x0131)
            buf[i] = 'i';
        w += (size_t)utf8proc_encode_char(buf[i], (utf8proc_uint8_t *)out + w);
        if (w > 24)
            break;
    }
    return w;
}

size_t extract_text_fold(const uint8_t *s, size_t n, char *out, size_t cap)
{
    size_t i = 0, o = 0;
    if (cap == 0)
        return 0;
    while (i < n) {
        if (s[i] < 0x80) {
            /* ASCII straight into out */
            if (o + 2 > cap)
                break;
            uint8_t b = s[i++];
            out[o++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (step <= 0) {
            i++;
            continue;
        }
        i += (size_t)step;
        char tmp[32];
        size_t k = s_fold_cp(cp, tmp);
        if (o + k + 1 > cap)
            break;
        memcpy(out + o, tmp, k);
        o += k;
    }
    out[o] = 0;
    return o;
}

/* Character classes the tokenizer needs. */
enum { C_OTHER, C_SPACE, C_NL, C_LETTER, C_UPPER, C_DIGIT, C_MARK, C_QUOTE, C_APOS, C_DASH };

/* Classes of the ASCII bytes, so the common case is one load. */
static const uint8_t s_ascii[128] = {
    ['\t'] = C_SPACE, ['\n'] = C_NL, [' '] = C_SPACE, ['"'] = C_QUOTE, ['\''] = C_APOS,
    ['-'] = C_DASH,
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
    ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
#define U_(ch) [ch] = C_UPPER
    U_('A'), U_('B'), U_('C'), U_('D'), U_('E'), U_('F'), U_('G'), U_('H'), U_('I'), U_('J'),
    U_('K'), U_('L'), U_('M'), U_('N'), U_('O'), U_('P'), U_('Q'), U_('R'), U_('S'), U_('T'),
    U_('U'), U_('V'), U_('W'), U_('X'), U_('Y'), U_('Z'),
#undef U_
#define L_(ch) [ch] = C_LETTER
    L_('a'), L_('b'), L_('c'), L_('d'), L_('e'), L_('f'), L_('g'), L_('h'), L_('i'), L_('j'),
    L_('k'), L_('l'), L_('m'), L_('n'), L_('o'), L_('p'), L_('q'), L_('r'), L_('s'), L_('t'),
    L_('u'), L_('v'), L_('w'), L_('x'), L_('y'), L_('z'),
#undef L_
};

static int s_class_cp(const uint8_t *w, size_t len, size_t i, size_t *step,
                      utf8proc_int32_t *cpo);

static inline int s_class(const uint8_t *w, size_t len, size_t i, size_t *step,
                          utf8proc_int32_t *cpo)
{
    uint8_t b = w[i];
    if (b < 0x80) {
        *step = 1;
        *cpo = b;
        return s_ascii[b];   /* C_OTHER is 0: the slots left out */
    }
    return s_class_cp(w, len, i, step, cpo);
}

/* The class of the non-ASCII character at w[i]. */
static int s_class_cp(const uint8_t *w, size_t len, size_t i, size_t *step,
                      utf8proc_int32_t *cpo)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(w + i, (utf8proc_ssize_t)(len - i), &cp);
    if (k <= 0) {
        *step = 1;
        *cpo = 0xFFFD;
        return C_OTHER;
    }
    *step = (size_t)k;
    *cpo = cp;
    switch (cp) {
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: return C_QUOTE;
    case 0x2018: case 0x2019: case 0x02BC: return C_APOS;
    case 0x2010: case 0x2011: return C_DASH;
    case 0x2028: case 0x2029: case 0x0085: return C_NL;
    default: break;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return C_UPPER;
    case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_ND: return C_DIGIT;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_CF: return C_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: return C_NL;
    default: return C_OTHER;
    }
}

static inline bool s_is_alpha(int k) { return k == C_LETTER || k == C_UPPER || k == C_MARK; }
static inline bool s_is_alnum(int k) { return s_is_alpha(k) || k == C_DIGIT; }

/* Pushes the token [s, e). An ASCII token's folded form goes at *fb, which the caller
   sized for every byte of the text plus a NUL per token, and *fb moves past it. */
static void s_push(xctx_t *c, char **fb, size_t s, size_t e, uint32_t flags)
{
    xtok_t t = {0};
    t.s = (uint32_t)s;
    t.e = (uint32_t)e;
    t.flags = flags;
    t.sent = -1;
    t.ent = -1;
    t.quote = -1;
    size_t n = e - s;
    /* Most tokens are ASCII: fold, hash and read the case in one pass, without
       utf8proc, and leave that for the first non-ASCII byte. */
    const uint8_t *w = c->w + s;
    char *f = *fb;
    int letters = 0, upper = 0, first = 0;
    bool hyphen = false;
    uint32_t h = 2166136261u;   /* extract_hash of the folded form */
    size_t q = 0;
    for (; q < n; q++) {
        uint8_t b = w[q];
        if (b >= 0x80)
            break;
        int k = s_ascii[b];
        hyphen |= b == '-';
        if (k == C_UPPER || k == C_LETTER) {
            bool up = k == C_UPPER;
            if (!letters)
                first = up ? 2 : 1;
            letters++;
            upper += up;
            b |= up ? 0x20 : 0;
        }
        f[q] = (char)b;
        h = (h ^ b) * 16777619u;
    }
    if (q == n) {
        *fb += n + 1;
        f[n] = 0;
        t.f = f;
        t.hash = h;
        if (hyphen)
            t.flags |= TK_HYPHEN;
        t.lex = extract_lex_index(f, t.hash);
        t.wc = t.lex ? extract_lex_entry(t.lex)->bits : 0;
        if (flags & TK_WORD) {
            if (first == 2)
                t.flags |= TK_CAP;
            if (letters >= 2 && upper == letters)
                t.flags |= TK_ALLCAP;
        }
        XVEC_PUSH(c->tok, t);
        return;
    }
    size_t cap = n * 3 + 8;
    f = extract_arena_alloc(c->arena, cap, 0);
    size_t fl = extract_text_fold(c->w + s, n, f, cap);
    t.f = f;
    t.hash = extract_hash(f, fl);
    if (memchr(f, '-', fl))
        t.flags |= TK_HYPHEN;
    t.lex = extract_lex_index(f, t.hash);
    t.wc = t.lex ? extract_lex_entry(t.lex)->bits : 0;
    if (flags & TK_WORD) {
        letters = upper = 0;
        size_t i = s, step;
        utf8proc_int32_t cp;
        while (i < e) {
            int k = s_class(c->w, c->wlen, i, &step, &cp);
            if (k == C_UPPER || k == C_LETTER) {
                if (!letters && k == C_UPPER)
                    t.flags |= TK_CAP;
                letters++;
                if (k == C_UPPER)
                    upper++;
            }
            i += step;
        }
        if (letters >= 2 && upper == letters)
            t.flags |= TK_ALLCAP;
    }
    XVEC_PUSH(c->tok, t);
}

void extract_text_tokenize(xctx_t *c)
{
    const uint8_t *w = c->w;
    size_t len = c->wlen, i = 0, step, step2;
    utf8proc_int32_t cp, cp2;
    uint32_t para = TK_PARA;
    c->tok.n = 0;
    extract_lex_init();
    /* Folded forms of ASCII tokens, packed: each token's bytes and a NUL, so at most
       twice the text. One allocation instead of one per token. */
    char *fb = extract_arena_alloc(c->arena, 2 * len + 2, 0);
    while (i < len) {
        int k = s_class(w, len, i, &step, &cp);
        uint32_t title = (c->body_w > 0 && i < c->body_w) ? TK_TITLE : 0;
        if (k == C_NL) {
            para = TK_PARA;
            i += step;
            continue;
        }
        if (k == C_SPACE) {
            i += step;
            continue;
        }
        size_t s = i;
        if (s_is_alpha(k)) {
            uint32_t fl = TK_WORD;
            i += step;
            while (i < len) {
                int k2 = s_class(w, len, i, &step, &cp);
                if (s_is_alnum(k2)) {
                    i += step;
                    continue;
                }
                if (k2 == C_DASH || k2 == C_APOS || (k2 == C_OTHER && cp == '.')) {
                    if (i + step >= len)
                        break;
                    int k3 = s_class(w, len, i + step, &step2, &cp2);
                    if (!s_is_alnum(k3))
                        break;
                    if (k2 == C_APOS) {
                        /* "'s" at a word end is a possessive: split it off. */
                        size_t after = i + step + step2;
                        if ((cp2 == 's' || cp2 == 'S')) {
                            size_t st3;
                            utf8proc_int32_t cp3;
                            int k4 = after < len ? s_class(w, len, after, &st3, &cp3) : C_SPACE;
                            if (!s_is_alnum(k4))
                                break;
                        }
                    }
                    if (cp == '.') {
                        /* "U.S." keeps its periods: letter '.' letter '.' */
                        size_t after = i + step + step2;
                        if (step2 != 1 || after >= len || w[after] != '.')
                            break;
                        fl |= TK_ABBR;
                        i = after + 1;
                        continue;
                    }
                    i += step;
                    continue;
                }
                break;
            }
            s_push(c, &fb, s, i, fl | para | title);
        } else if (k == C_DIGIT) {
            i += step;
            while (i < len) {
                int k2 = s_class(w, len, i, &step, &cp);
                if (k2 == C_DIGIT || k2 == C_LETTER) {
                    i += step;
                    continue;
                }
                if ((cp == ',' || cp == '.') && i + 1 < len && w[i + 1] >= '0' && w[i + 1] <= '9') {
                    i += step;
                    continue;
                }
                break;
            }
            s_push(c, &fb, s, i, TK_NUM | para | title);
        } else if (k == C_APOS && i + step < len && (w[i + step] == 's' || w[i + step] == 'S')
                   && c->tok.n && c->tok.v[c->tok.n - 1].e == s
                   && (i + step + 1 >= len || !isalnum(w[i + step + 1]))) {
            i += step + 1;
            s_push(c, &fb, s, i, TK_WORD | TK_POSS | title);
        } else if ((cp == '\'' || cp == '`') && i + 1 < len && w[i + 1] == cp) {
            /* '' and `` stand for double quotes in some wire copy */
            i += 2;
            s_push(c, &fb, s, i, TK_PUNCT | TK_QUOTE | para | title);
        } else if (k == C_QUOTE) {
            i += step;
            s_push(c, &fb, s, i, TK_PUNCT | TK_QUOTE | para | title);
        } else if (cp == '.' && i + 2 < len && w[i + 1] == '.' && w[i + 2] == '.') {
            i += 3;
            s_push(c, &fb, s, i, TK_PUNCT | para | title);
        } else {
            i += step;
            s_push(c, &fb, s, i, TK_PUNCT | para | title);
        }
        para = 0;
    }
    /* Some feeds put the lede on the first line: a long line ending in a period is body
       text, not a headline, so it is read like the body. */
    size_t words = 0, last = 0;
    for (size_t k = 0; k < c->tok.n && (c->tok.v[k].flags & TK_TITLE); k++) {
        words += (c->tok.v[k].flags & TK_WORD) != 0;
        last = k;
    }
    if (words >= 15 && xtok_punct(c, last, '.'))
        for (size_t k = 0; k <= last; k++)
            c->tok.v[k].flags &= ~(uint32_t)TK_TITLE;
}

/* Paragraph openings that mark text that is not part of the story. Folded forms. */
static const char *s_boiler_prefix[] = {
    "please enter your", "writing by", "editing by", "reporting by", "additional reporting",
    "compiled by", "our standards:", "the thomson reuters trust principles", "click here",
    "sign up for", "sign up to", "subscribe to", "follow us on", "share this", "read more:",
    "related coverage", "related:", "advertisement", "copyright", "all rights reserved",
    "(c) ", "\xc2\xa9", "leave a comment", "you must be logged in", "this article was",
    "log in to comment", "save my name", "notify me of", NULL};

static bool s_prefix_at(const char *fold, const char *p)
{
    return strncmp(fold, p, strlen(p)) == 0;
}

void extract_text_boilerplate(xctx_t *c)
{
    size_t n = c->tok.n;
    xtok_t *t = c->tok.v;
    bool first_body_para = true;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && !(t[j].flags & TK_PARA))
            j++;
        /* paragraph [i, j) */
        if (t[i].flags & TK_TITLE) {
            i = j;
            continue;
        }
        char buf[64];
        size_t e = t[j - 1].e, s = t[i].s;
        if (t[i].flags & TK_PUNCT && t[i].f[0] == '(' && i + 1 < j)
            s = t[i + 1].s;
        extract_text_fold(c->w + s, (e - s) < 60 ? e - s : 60, buf, sizeof buf);
        bool skip = false;
        for (const char **p = s_boiler_prefix; *p; p++)
            if (s_prefix_at(buf, *p)) {
                skip = true;
                break;
            }
        if (!skip && first_body_para && c->body_w > 0) {
            /* A title repeated as the first body line: compare folded token sequences. */
            size_t a = 0, b = i;
            while (a < n && (t[a].flags & TK_TITLE) && b < j && t[a].hash == t[b].hash) {
                a++;
                b++;
            }
            if (b == j && (a >= n || !(t[a].flags & TK_TITLE)) && a > 0)
                skip = true;
        }
        first_body_para = false;
        if (skip)
            for (size_t k = i; k < j; k++)
                t[k].flags |= TK_SKIP;
        i = j;
    }
}

static uint64_t s_mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Per-bit counts of set bits over the shingle hashes, bit-sliced: lane k of acc holds,
   in byte j, how many hashes had bit 8j+k set. Eight adds per shingle instead of 64
   branches; bytes are flushed into ones[] before they can overflow. */
typedef struct {
    uint64_t acc[8];
    uint32_t ones[64];
    uint32_t pending;         /* hashes added to acc since the last flush */
    uint32_t total;           /* hashes added in all */
} s_bitcount_t;

static void s_bitcount_flush(s_bitcount_t *bc)
{
    for (int k = 0; k < 8; k++) {
        for (int j = 0; j < 8; j++)
            bc->ones[8 * j + k] += (uint32_t)((bc->acc[k] >> (8 * j)) & 0xff);
        bc->acc[k] = 0;
    }
    bc->pending = 0;
}

static void s_bitcount_add(s_bitcount_t *bc, uint64_t sh)
{
    const uint64_t m = 0x0101010101010101ULL;
    /* written out: GCC at -O2 kept the loop and its counter */
    bc->acc[0] += sh & m;
    bc->acc[1] += (sh >> 1) & m;
    bc->acc[2] += (sh >> 2) & m;
    bc->acc[3] += (sh >> 3) & m;
    bc->acc[4] += (sh >> 4) & m;
    bc->acc[5] += (sh >> 5) & m;
    bc->acc[6] += (sh >> 6) & m;
    bc->acc[7] += (sh >> 7) & m;
    bc->total++;
    if (++bc->pending == 255)
        s_bitcount_flush(bc);
}

void extract_text_simhash(xctx_t *c)
{
    s_bitcount_t bc;
    memset(&bc, 0, sizeof bc);
    uint64_t h[3] = {0, 0, 0};
    size_t have = 0;
    for (size_t i = 0; i < c->tok.n; i++) {
        const xtok_t *t = &c->tok.v[i];
        if ((t->flags & (TK_TITLE | TK_SKIP)) || !(t->flags & (TK_WORD | TK_NUM)))
            continue;
        h[0] = h[1];
        h[1] = h[2];
        h[2] = s_mix64(t->hash + 0x9e3779b97f4a7c15ULL);
        if (++have < 3)
            continue;
        s_bitcount_add(&bc, s_mix64(h[0] * 31 + h[1] * 17 + h[2]));
    }
    if (have > 0 && have < 3)
        s_bitcount_add(&bc, s_mix64(h[0] * 31 + h[1] * 17 + h[2]));
    s_bitcount_flush(&bc);
    /* a bit is set when more shingles had it than not */
    uint64_t out = 0;
    for (int b = 0; b < 64; b++)
        if (2 * (uint64_t)bc.ones[b] > bc.total)
            out |= 1ULL << b;
    c->simhash = out;
}
