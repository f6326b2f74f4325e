/*  json: a small append-only JSON writer into a growable buffer, shared by the export,
    the feed, the status replies and dev tools, so there is one place that escapes strings.

        json_t *j = json_new();
        json_obj_begin(j);
        json_key(j, "type"); json_str(j, "article");
        json_obj_end(j);
        fwrite(json_data(j), 1, json_len(j), stdout);

    Commas between members and elements are inserted automatically. None of these can
    fail: out of memory aborts. Invalid UTF-8 in strings is written as U+FFFD. */
#ifndef CC_JSON_H
#define CC_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef struct json_t json_t;

json_t *json_new(void);
void json_destroy(json_t **self_p);
void json_reset(json_t *self);            /* empties the buffer, keeps the memory */
const char *json_data(json_t *self);      /* NUL-terminated; valid until the next write */
size_t json_len(json_t *self);

void json_obj_begin(json_t *self);
void json_obj_end(json_t *self);
void json_arr_begin(json_t *self);
void json_arr_end(json_t *self);
void json_key(json_t *self, const char *key);
void json_str(json_t *self, const char *s);           /* NULL writes null */
void json_strn(json_t *self, const char *s, size_t n);
void json_int(json_t *self, int64_t v);
void json_num(json_t *self, double v);                /* integers print without ".0" */
void json_bool(json_t *self, bool v);
void json_null(json_t *self);
void json_raw(json_t *self, const char *s, size_t n); /* pre-encoded JSON value */
void json_newline(json_t *self);                      /* ends a JSON Lines record */

#endif
