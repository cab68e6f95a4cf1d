// Unicode general categories (L, M, N, P, S, Z, C) of code points, as java.util.regex's \p{L} and
// friends test them. Exact for ASCII and Latin-1; above, range tables cover the scripts and symbol
// blocks AWS inputs meet, and any other code point counts as a letter (most unlisted assigned code
// points are: CJK, Hangul, Indic and other scripts).
#pragma once

namespace xacct::model {

//! 'L', 'M', 'N', 'P', 'S', 'Z' or 'C' (other: controls, format characters, surrogates, private use).
char GeneralCategory(char32_t c);

}  // namespace xacct::model
