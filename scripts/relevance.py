"""Relevance of the library search on its test set (tests/library/relevance/): recall@5 and MRR.

Usage (from the repository root; DATABASE_URL names the server, a throwaway database is made next to it):

    python scripts/relevance.py            # every query, the misses listed
    python scripts/relevance.py --verbose  # and each query's first five results

It loads the set's practices (not the demo) into a fresh database through the ordinary saves, so they are
indexed as in production, runs each query as the library page does (with its "Did you mean" and some-words
fallbacks) and prints, per language and in all: recall@5 (the share of the expected practices found in the
first five) and MRR (the mean of 1/rank of the first expected practice). It measures and prints; the tests in
tests/library/test_relevance.py assert each query.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from scripts.bench_search import DEFAULT_URL, throwaway_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    with throwaway_database(os.environ.get("DATABASE_URL", DEFAULT_URL)) as url:
        os.environ["DATABASE_URL"] = url
        import django

        django.setup()
        from django.core.management import call_command

        from practices.search.analysis import analyser_status
        from tests.library import relevance

        call_command("migrate", verbosity=0)
        call_command("load_reference_data", verbosity=0)
        practices = relevance.load_practices()
        outcomes = relevance.evaluate()
        print(f"Finnish analysis: {analyser_status()}")
        print(f"{len(practices)} practices, {len(outcomes)} queries, top {relevance.TOP}.\n")
        for outcome in outcomes:
            if args.verbose or outcome.recall < 1:
                mark = "ok " if outcome.recall == 1 else "MISS"
                note = f"  [{outcome.corrected}]" if outcome.corrected else ""
                print(f"{mark} {outcome.query.lang} {outcome.query.q!r:38} {outcome.found}{note}")
        print()
        print(f"{'set':6} {'queries':>8} {'recall@5':>9} {'MRR':>6}")
        for lang in ("fi", "sv", "en", None):
            chosen = [o for o in outcomes if lang is None or o.query.lang == lang]
            recall = statistics.fmean(o.recall for o in chosen)
            mrr = statistics.fmean(o.reciprocal_rank for o in chosen)
            print(f"{lang or 'all':6} {len(chosen):>8} {recall:>9.3f} {mrr:>6.3f}")


if __name__ == "__main__":
    main()
