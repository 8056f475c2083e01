"""Full-text search over lesson passages, with the database's own engine.

SQLite: an FTS5 external-content table ``ai_lessonpassage_fts`` (porter stemming), kept in step
with ``ai_lessonpassage`` by triggers, ranked by bm25. PostgreSQL: a stored generated ``tsvector``
column ``search_vector`` (English configuration) with a GIN index, ranked by ts_rank. Both are
created by migration 0002. A question becomes an OR of its meaningful words, so a learner's
natural question finds passages that share any of them, best first.
"""

from __future__ import annotations

import re

MAX_TERMS = 16
MAX_QUESTION_CHARS = 1000

# Words that carry no meaning in a question; PostgreSQL's English dictionary drops these itself,
# FTS5 does not, and "what" or "the" would otherwise match almost every passage.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren as at be because been before
    being below between both but by can cannot could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in into is
    isn it its itself let me more most my myself no nor not of off on once only or other ought our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    please tell explain mean means does anyone something thing things""".split()
)


def query_terms(question: str) -> list[str]:
    """The question's meaningful words, lower-cased, de-duplicated, in order."""
    seen: list[str] = []
    for word in re.findall(r"\w+", question[:MAX_QUESTION_CHARS].lower()):
        word = word.strip("_")
        if len(word) < 2 or word in STOPWORDS or word in seen:
            continue
        seen.append(word)
        if len(seen) == MAX_TERMS:
            break
    return seen


def _sqlite_match(terms: list[str]) -> str:
    # Each term quoted: FTS5 treats it as a plain string, never as query syntax.
    return " OR ".join(f'"{term}"' for term in terms)


def _postgres_query(terms: list[str]) -> str:
    # \w-only terms cannot carry tsquery operators; quoting guards against any that slip through.
    return " | ".join("'" + term.replace("'", "") + "'" for term in terms)


def raw_search_sql(vendor: str) -> str:
    """The one full-text query per database; the bench times it bare against search_passages."""
    if vendor == "sqlite":
        return (
            "SELECT p.id, bm25(ai_lessonpassage_fts, 4.0, 2.0, 1.0) AS rank "
            "FROM ai_lessonpassage_fts JOIN ai_lessonpassage p ON p.id = ai_lessonpassage_fts.rowid "
            "WHERE ai_lessonpassage_fts MATCH %s AND p.course_id = %s "
            "ORDER BY rank, p.id LIMIT %s"
        )
    if vendor == "postgresql":
        return (
            # ts_rank, not ts_rank_cd: cover density costs ~7x more per matching passage, and
            # a question sharing a common word with most passages must rank them all.
            # Normalisation 1 divides by 1 + log(length), so long passages do not win by size.
            "SELECT p.id, ts_rank(p.search_vector, q, 1) AS rank "
            "FROM ai_lessonpassage p, to_tsquery('english', %s) q "
            "WHERE p.course_id = %s AND p.search_vector @@ q "
            "ORDER BY rank DESC, p.id LIMIT %s"
        )
    raise NotImplementedError(f"full-text search is not built for {vendor}")


def passage_search_sql(vendor: str) -> str:
    """The raw query as a subquery, joined back for what the page shows, so asking stays one
    round trip and the passages' text is read for the top rows only (not carried through the
    sort of every match)."""
    order = "hit.rank, p.id" if vendor == "sqlite" else "hit.rank DESC, p.id"
    return (
        "SELECT p.lesson_id, p.title, p.heading, p.text "  # noqa: S608 - constant SQL, no input
        f"FROM ({raw_search_sql(vendor)}) hit JOIN ai_lessonpassage p ON p.id = hit.id "
        f"ORDER BY {order}"
    )


def raw_query_param(vendor: str, terms: list[str]) -> str:
    return _sqlite_match(terms) if vendor == "sqlite" else _postgres_query(terms)
