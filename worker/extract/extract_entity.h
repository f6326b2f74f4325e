/*  extract_entity: people, organizations and places as mention spans, linked within the
    article (short to long form, acronyms to their expansion) and keyed for use across
    articles.

    Keys: "per:<folded surname>" (so "Recep Tayyip Erdogan" and "Erdoğan" meet);
    "org:<folded acronym>" when the article defines one ("Syrian Observatory for Human
    Rights (SOHR)") or the name's initials make one of three letters or more, so an article
    that writes only "SOHR" meets one that spells it out; otherwise "org:<folded name>";
    "loc:<folded country>" for countries and their demonyms ("Turkish" -> "loc:turkey"),
    "loc:<folded name>" for other places; "veh:<folded name>" for a craft named as one
    ("the ferry Northern Star", "MV Northern Star", "aboard the Northern Star"). */
#ifndef CC_EXTRACT_ENTITY_H
#define CC_EXTRACT_ENTITY_H

#include "extract_internal.h"

/* Loads the country table from the iso-codes JSON at `iso_path` (NULL: the Debian path).
   A missing or unreadable file leaves a table of the built-in aliases only. Never NULL. */
xres_t *extract_entity_res_new(const char *iso_path);

/* Frees; does nothing on NULL; sets *self_p = NULL. */
void extract_entity_res_destroy(xres_t **self_p);

/* Number of names (countries, aliases, demonyms) the table holds. */
size_t extract_entity_res_size(const xres_t *r);

/* Canonical country name for a folded name or demonym ("turkish" -> "Turkey"), or NULL.
   *demonym says which it was. */
const char *extract_entity_country(const xres_t *r, const char *folded, bool *demonym);

/* The same for a folded name whose extract_hash is `hash` (a token's hash): no rehash. */
const char *extract_entity_country_hash(const xres_t *r, const char *folded, uint32_t hash,
                                        bool *demonym);

/* Registers the entity word lists (titles, organization and place words...) with
   extract_lex. Called once by extract_lex_init. */
void extract_entity_lex(void);

/* Finds mentions and builds entities into c->men and c->ent. Can't fail. */
void extract_entity_find(xctx_t *c);

/* True when folded word f is a generational suffix of a name ("jr", "sr", "ii", "iii",
   "iv"): a person's key keeps it after the surname ("per:trump jr"). */
bool extract_entity_suffix(const char *f);

/* Reads a person's key ("per:" [given " "] surname [" " suffix]): returns where its
   surname starts inside `key`, sets *len to the surname's length and *suffix to the
   generational suffix (pointing into `key`) or NULL; len and suffix may be NULL. So
   "per:joseph biden jr" gives "biden jr" as a string, *len 5 ("biden") and *suffix "jr";
   "per:whitcombe" gives "whitcombe", *len 9 and NULL. The "kind:" prefix is skipped
   whatever the kind, and any other key reads the same way: its last word, or the word
   before a trailing suffix. The result lives as long as `key`. This function can't
   fail. */
const char *extract_entity_key_surname(const char *key, size_t *len, const char **suffix);

/* The initials of entity e's name ("Woodmont Country Club" -> "wcc") into out; returns
   their count. The story terms key an organization by them, as its key was before three
   initials keyed only names whose article writes them. This function can't fail. */
size_t extract_entity_initials(const xctx_t *c, int e, char *out, size_t cap);

/* Entity index whose mention covers token i, or -1. */
int extract_entity_at(const xctx_t *c, size_t i);

/* True when folded word is a personal title ("president", "minister", "gen"). */
bool extract_entity_is_title(const char *f);

#endif
