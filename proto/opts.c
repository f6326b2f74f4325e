/*  opts: --version, --log-format, and daemon flags from the environment and an ini file.
    See opts.h. */
#include "opts.h"
#include "util.h"
#include "version.h"

#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_ENV_PREFIX "CROSSCLAIM_"

static bool s_format_given;    /* --log-format or CROSSCLAIM_LOG_FORMAT was set */

/* Removes argv[i] .. argv[i + n - 1], keeping the NULL at the end. */
static void s_drop(int *argc, char **argv, int i, int n)
{
    memmove(argv + i, argv + i + n, (size_t)(*argc - i - n + 1) * sizeof *argv);
    *argc -= n;
}

void opts_common(const char *prog, int *argc, char **argv)
{
    util_log_init(prog);
    const char *format = getenv(S_ENV_PREFIX "LOG_FORMAT");
    bool from_flag = false;
    for (int i = 1; i < *argc;) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (strcmp(a, "--version") == 0) {
            printf("%s %s\n", prog, CC_VERSION);
            exit(0);
        }
        if (strcmp(a, "--log-format") == 0) {
            if (i + 1 >= *argc) {
                util_error("--log-format needs a value: text or json");
                exit(2);
            }
            format = argv[i + 1];
            from_flag = true;
            s_drop(argc, argv, i, 2);
        } else if (strncmp(a, "--log-format=", 13) == 0) {
            format = a + 13;
            from_flag = true;
            s_drop(argc, argv, i, 1);
        } else {
            i++;
        }
    }
    if (format && *format) {
        if (util_log_format(format) != 0) {
            util_error("--log-format wants text or json, not '%s'", format);
            exit(2);
        }
        s_format_given = true;
        if (from_flag)
            setenv(S_ENV_PREFIX "LOG_FORMAT", format, 1);
    }
}

/* ------------------------------------------------------------------ loading */

typedef struct {
    const struct option *flags;
    size_t nflags;
    char **value;         /* per flag: its value (owned), "" for a flag that is on, or NULL */
    const char *section;
    const char *path;
    char *file_format;    /* log-format from the file, owned */
    char err[256];
} s_load_t;

static bool s_takes_file(const struct option *f)
{
    return strcmp(f->name, "help") != 0 && strcmp(f->name, "config") != 0 &&
           strcmp(f->name, "version") != 0;
}

/* 1 for on, 0 for off, -1 for neither. */
static int s_bool(const char *v)
{
    static const char *on[] = {"1", "true", "yes", "on"}, *off[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, on[i]) == 0)
            return 1;
        if (strcasecmp(v, off[i]) == 0)
            return 0;
    }
    return -1;
}

/* Records `v` as flag k's value from `where` (for messages). 0 or -EINVAL. */
static int s_set(s_load_t *L, size_t k, const char *v, const char *where, char *err,
                 size_t errlen)
{
    const struct option *f = &L->flags[k];
    free(L->value[k]);
    L->value[k] = NULL;
    if (f->has_arg == no_argument) {
        int b = s_bool(v);
        if (b < 0) {
            snprintf(err, errlen, "%s: %s wants 1/true/yes/on or 0/false/no/off, not '%s'",
                     where, f->name, v);
            return -EINVAL;
        }
        if (b)
            L->value[k] = util_strdup("");
        return 0;
    }
    L->value[k] = util_strdup(v);
    return 0;
}

static int s_on_ini(void *user, const char *section, const char *name, const char *value)
{
    s_load_t *L = user;
    if (section[0] && strcmp(section, L->section) != 0)
        return 1;
    if (strcmp(name, "log-format") == 0) {
        free(L->file_format);
        L->file_format = util_strdup(value);
        return 1;
    }
    char why[256];
    for (size_t k = 0; k < L->nflags; k++) {
        if (strcmp(L->flags[k].name, name) == 0 && s_takes_file(&L->flags[k])) {
            if (s_set(L, k, value, L->path, why, sizeof why) == 0)
                return 1;
            if (!L->err[0])   /* ini_parse goes on: keep the first error's text */
                snprintf(L->err, sizeof L->err, "%s", why);
            return 0;
        }
    }
    if (L->err[0])
        return 0;
    snprintf(L->err, sizeof L->err, "unknown key '%s'%s%s%s (the keys are the flags of "
             "crossclaim-%s --help, without the dashes)", name, section[0] ? " in [" : "",
             section, section[0] ? "]" : "", L->section);
    return 0;
}

/* The variable for flag `name`: CROSSCLAIM_ and the name in upper case, '-' as '_'. */
static void s_env_name(const char *name, char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, S_ENV_PREFIX);
    for (const char *p = name; *p && o + 1 < cap; p++)
        out[o++] = *p == '-' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    out[o] = 0;
}

int opts_load(const char *section, const struct option *flags, int argc, char **argv,
              int *argc_out, char ***argv_out, char *err, size_t errlen)
{
    s_load_t L = {.flags = flags, .section = section};
    while (flags[L.nflags].name)
        L.nflags++;
    L.value = util_calloc(L.nflags, sizeof *L.value);
    int rc = 0;
    char **out = NULL;

    /* The file: --config FILE (the last one) or CROSSCLAIM_CONFIG. */
    const char *path = getenv(S_ENV_PREFIX "CONFIG");
    if (path && !*path)
        path = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--config") == 0) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "--config needs a FILE");
                rc = -EINVAL;
                goto leave;
            }
            path = argv[++i];
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            path = argv[i] + 9;
        }
    }
    if (path) {
        L.path = path;
        int line = ini_parse(path, s_on_ini, &L);
        if (line == -1) {
            snprintf(err, errlen, "cannot read the config file %s: %s", path, strerror(errno));
            rc = -EINVAL;
            goto leave;
        }
        if (line != 0) {
            snprintf(err, errlen, "%s:%d: %s", path, line,
                     L.err[0] ? L.err : line < 0 ? "out of memory" : "not a key = value line");
            rc = -EINVAL;
            goto leave;
        }
        if (L.file_format && !s_format_given && util_log_format(L.file_format) != 0) {
            snprintf(err, errlen, "%s: log-format wants text or json, not '%s'", path,
                     L.file_format);
            rc = -EINVAL;
            goto leave;
        }
    }

    /* The environment, over the file. */
    for (size_t k = 0; k < L.nflags; k++) {
        if (!s_takes_file(&flags[k]))
            continue;
        char name[128];
        s_env_name(flags[k].name, name, sizeof name);
        const char *v = getenv(name);
        if (v && *v && (rc = s_set(&L, k, v, name, err, errlen)) != 0)
            goto leave;
    }

    /* argv[0], the settings as flags, then the command line (without --config). */
    out = util_calloc((size_t)argc + 2 * L.nflags + 1, sizeof *out);
    int n = 0;
    out[n++] = util_strdup(argv[0]);
    for (size_t k = 0; k < L.nflags; k++) {
        if (!L.value[k])
            continue;
        size_t len = strlen(flags[k].name) + 3;
        out[n] = util_malloc(len);
        snprintf(out[n++], len, "--%s", flags[k].name);
        if (flags[k].has_arg != no_argument)
            out[n++] = util_strdup(L.value[k]);
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--config=", 9) == 0)
            continue;
        out[n++] = util_strdup(argv[i]);
    }
    out[n] = NULL;
    *argv_out = out;
    *argc_out = n;
leave:
    for (size_t k = 0; k < L.nflags; k++)
        free(L.value[k]);
    free(L.value);
    free(L.file_format);
    return rc;
}

void opts_free(char **argv)
{
    if (!argv)
        return;
    for (char **p = argv; *p; p++)
        free(*p);
    free(argv);
}

void opts_usage(FILE *out, const char *section, const struct option *flags)
{
    fprintf(out,
        "  --config FILE       read settings from an ini file (also CROSSCLAIM_CONFIG):\n"
        "                      `key = value` lines, the keys being the flags without\n"
        "                      dashes, before any section or in [%s]\n"
        "  --log-format F      log lines as text (default) or json, one object a line\n"
        "  --version           print the version and exit\n"
        "\n"
        "Every flag can also come from the environment; a flag wins over its variable,\n"
        "which wins over the config file. Flags without a value take 1 or 0:\n",
        section);
    int col = 0;
    for (const struct option *f = flags; f->name; f++) {
        if (!s_takes_file(f))
            continue;
        char name[128];
        s_env_name(f->name, name, sizeof name);
        if (col == 0)
            fputs("  ", out);
        fprintf(out, "%-30s", name);
        if (++col == 2) {
            fputc('\n', out);
            col = 0;
        }
    }
    fprintf(out, "%s  CROSSCLAIM_LOG_FORMAT\n", col ? "\n" : "");
}
