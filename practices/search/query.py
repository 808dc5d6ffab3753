"""A visitor's search text as a PostgreSQL tsquery, analysed as the practices' texts are indexed.

The syntax is web search's: words are all required, "a phrase" keeps its words together, -word excludes a word,
`or` between words offers alternatives. Anything else (tsquery operators, brackets, NUL, markup) is ignored, so no
input can make the query fail. Each word may match
  - in Finnish: itself or its Voikko base forms and compound parts, its missing ä/ö restored when it is unknown
    ("perhetyo"), and, for a compound, a text having all of its parts ("päihdehuolto": päihde & huolto);
  - in Swedish and English: itself through their stemmers in the texts, and as written in the places' and
    themes' Swedish and English names (which are in every practice's index, whatever its language);
  - the last word, unless Voikko knows it as a complete word, also as the beginning of a word, for the visitor
    still typing ("perhet" finds "perhetyö").
A word that is a stop word in one of the languages ("och", "ja", "the") is left out, as PostgreSQL would.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db.models import Value

from . import analysis

CONFIGS = {"fi": "finnish_unaccent", "sv": "swedish_unaccent", "en": "english_unaccent"}
PREFIX_CONFIG = "simple_unaccent"

# Beyond this many words a query is cut: no real search needs more, and each word costs parsing time.
MAX_WORDS = 12
# A prefix shorter than this would match half the vocabulary.
MIN_PREFIX = 3

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_QUERY_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    """A word or a phrase of the query."""

    text: str
    phrase: bool = False
    negated: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """Alternatives (`or`), each a list of terms that must all match."""

    clauses: tuple[tuple[Term, ...], ...] = ()

    @property
    def terms(self) -> list[Term]:
        return [term for clause in self.clauses for term in clause]

    @property
    def words(self) -> list[str]:
        """The words searched for (not those excluded), in order: for highlighting and suggestions."""
        return [w for term in self.terms if not term.negated for w in _QUERY_WORD.findall(term.text)]

    def __bool__(self) -> bool:
        return bool(self.clauses)


def parse(text: str) -> ParsedQuery:
    clauses: list[list[Term]] = [[]]
    count = 0
    for negated_phrase, phrase, negated_word, raw in _TOKEN.findall(text or ""):
        if count >= MAX_WORDS:
            break
        if phrase or negated_phrase:
            phrase_words = _QUERY_WORD.findall(phrase)
            if phrase_words:
                clauses[-1].append(Term(" ".join(phrase_words), phrase=True, negated=bool(negated_phrase)))
                count += len(phrase_words)
            continue
        if raw.lower() == "or" and not negated_word:
            if clauses[-1]:
                clauses.append([])
            continue
        # Inner punctuation splits a token ("perhe&tuki", "SOS-kumppanuusmalli"): each piece is a word.
        for piece in _QUERY_WORD.findall(raw):
            clauses[-1].append(Term(piece, negated=bool(negated_word)))
            count += 1
    clauses = [clause for clause in clauses if clause]
    if clauses:
        last = clauses[-1][-1]
        # A word Voikko knows is complete; only one it does not know may still be being typed ("perhet").
        if not last.phrase and not last.negated and len(last.text) >= MIN_PREFIX and not analysis.is_finnish(last.text):
            clauses[-1][-1] = Term(last.text, prefix=True)
    return ParsedQuery(tuple(tuple(clause) for clause in clauses))


def _lexeme(word: str) -> str:
    """A word as a quoted tsquery operand (words are letters only, the quote is doubled for safety)."""
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


def finnish_alternatives(word: str, *, parts: bool = True) -> str:
    """The Finnish side of a word as to_tsquery text: the word, its spellings with ä/ö restored, their base forms,
    and for a compound all its parts together (a part alone is not enough: "päiväkoti" must not find "koti")."""
    spellings = [word.lower(), *analysis.restorations(word)]
    operands = list(dict.fromkeys(f for s in spellings for f in (s, *analysis.base_forms(s))))
    alternatives = [_lexeme(f) for f in operands]
    for spelling in spellings if parts else []:
        parts = analysis.compound_parts(spelling)
        if parts:
            alternatives.append(
                "(" + " & ".join("(" + " | ".join(_lexeme(p) for p in part) + ")" for part in parts) + ")"
            )
    return " | ".join(dict.fromkeys(alternatives))


@dataclass
class _SQL:
    parts: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)

    def tsquery(self, config: str, text: str, function: str = "to_tsquery") -> str:
        self.params.append(text)
        return f"{function}('{config}'::regconfig, %s)"


def _word_sql(sql: _SQL, term: Term, *, parts: bool) -> str:
    word = term.text
    stop_word = " OR ".join(f"numnode({sql.tsquery(config, _lexeme(word))}) = 0" for config in CONFIGS.values())
    # A word Voikko knows is Finnish: in the Swedish and English texts and names only the word itself matches,
    # not whatever their stemmers make of it ("Vantaa" must not find Swedish "väntande").
    foreign = (PREFIX_CONFIG, PREFIX_CONFIG) if analysis.is_finnish(word) else (CONFIGS["sv"], CONFIGS["en"])
    branches = [
        sql.tsquery(CONFIGS["fi"], finnish_alternatives(word, parts=parts)),
        sql.tsquery(foreign[0], _lexeme(word)),
        sql.tsquery(foreign[1], _lexeme(word)),
    ]
    if foreign[0] != PREFIX_CONFIG:
        # The Swedish and English names are indexed unstemmed: the word as written finds them.
        branches.append(sql.tsquery(PREFIX_CONFIG, _lexeme(word)))
    if term.prefix:
        branches.append(sql.tsquery(PREFIX_CONFIG, _lexeme(word) + ":*"))
    return f"(CASE WHEN {stop_word} THEN ''::tsquery ELSE ({' || '.join(branches)}) END)"


def _term_sql(sql: _SQL, term: Term, *, parts: bool) -> str:
    if term.phrase:
        expr = "(" + " || ".join(sql.tsquery(c, term.text, "phraseto_tsquery") for c in CONFIGS.values()) + ")"
    else:
        expr = _word_sql(sql, term, parts=parts)
    return f"(!!{expr})" if term.negated else expr


def tsquery_sql(parsed: ParsedQuery, *, parts: bool = True) -> tuple[str, list[str]]:
    """SQL of the tsquery (constant: PostgreSQL folds it once when planning) and its parameters. Without
    `parts`, a compound matches only as itself: the query that ranks, so that a text with the compound itself
    comes before one that only has its parts."""
    sql = _SQL()
    clauses = [
        "(" + " && ".join(_term_sql(sql, term, parts=parts) for term in clause) + ")" for clause in parsed.clauses
    ]
    return "(" + " || ".join(clauses) + ")", sql.params


class AnalysedQuery(SearchQuery):
    """A SearchQuery whose SQL is the analysed tsquery: usable in filter(search_vector=...) and SearchRank."""

    def __init__(self, parsed: ParsedQuery, *, parts: bool = True):
        self.parsed = parsed
        self.sql, params = tsquery_sql(parsed, parts=parts)
        self.sql_params = tuple(params)
        super().__init__(Value(""))

    def as_sql(self, compiler, connection, function=None, template=None):
        return self.sql, list(self.sql_params)

    @property
    def identity(self):
        return (type(self), self.sql, self.sql_params)


def any_word(parsed: ParsedQuery) -> ParsedQuery:
    """The same words, any of them enough: for a search whose words no practice has all of. Excluded words stay
    excluded from every alternative."""
    excluded = tuple(t for t in parsed.terms if t.negated)
    wanted = [t for t in parsed.terms if not t.negated]
    return ParsedQuery(tuple((term, *excluded) for term in wanted)) if wanted else parsed


def search_query(text: str, *, any_of_the_words: bool = False, parts: bool = True) -> AnalysedQuery | None:
    """The analysed query of a search text, or None when it has no word to search for. Match with it; rank
    with the one made with parts=False."""
    parsed = parse(text)
    if any_of_the_words:
        parsed = any_word(parsed)
    return AnalysedQuery(parsed, parts=parts) if parsed else None
