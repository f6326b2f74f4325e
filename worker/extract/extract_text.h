/*  extract_text: the first stage of the extractor. It turns the submitted bytes into a
    working text that is valid UTF-8 (decoding Windows-1252 when the bytes are not UTF-8,
    with a map back to the original offsets), cuts it into tokens with folded forms for
    keys (case and diacritics removed with utf8proc: "Erdoğan" and "ERDOGAN" fold alike),
    marks boilerplate that must not be extracted from, and computes the body's SimHash. */
#ifndef CC_EXTRACT_TEXT_H
#define CC_EXTRACT_TEXT_H

#include "extract_internal.h"

/* Makes c->w from c->doc: validates UTF-8; if invalid, decodes Windows-1252 and sets c->map
   and a warning. Control bytes (NUL included) become spaces so offsets are unchanged.
   Returns 0 or EXTRACT_EDECODE (bytes Windows-1252 leaves undefined). */
int extract_text_decode(xctx_t *c);

/* Cuts c->w into c->tok (words, numbers, punctuation, quote marks) and folds each. Marks
   the title line (TK_TITLE) and paragraph starts (TK_PARA). Can't fail. */
void extract_text_tokenize(xctx_t *c);

/* Marks boilerplate paragraphs (comment prompts, "Writing by ...; Editing by ...",
   standards footers, a repeated title line) with TK_SKIP. Can't fail. */
void extract_text_boilerplate(xctx_t *c);

/* Sets c->simhash from 3-word shingles of the body's non-boilerplate words. Can't fail. */
void extract_text_simhash(xctx_t *c);

/* Folds `n` bytes of valid UTF-8 at `s` for use in keys: lower case, diacritics stripped,
   Turkish dotless i as i, curly quotes and dashes as ASCII. Writes at most cap-1 bytes and
   a NUL to `out` (never splitting a character). Returns the length written. Can't fail. */
size_t extract_text_fold(const uint8_t *s, size_t n, char *out, size_t cap);

/* True when `n` bytes at `s` are well-formed UTF-8. */
bool extract_text_valid_utf8(const uint8_t *s, size_t n);

#endif
