"""`copydesk align A B`: the passages two articles share, as a coloured diff or as passages.jsonl records.

A and B are two files (one article each), or two article ids from the inputs given with
``--input``. The diff reads like wdiff: ``[-cut words-]{+new words+}``, coloured in a terminal.
"""

from __future__ import annotations

import argparse
import sys

import orjson
from rich.text import Text

from copydesk.align import AlignParams, PairAlignment, Passage
from copydesk.article import Article
from copydesk.errors import CopydeskError, Problems
from copydesk.ingest import read_corpus
from copydesk.passages import align_articles, passage_records
from copydesk.report.terminal import Terminal

CUT = "red strike"
NEW = "green underline"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "align",
        help="the passages two articles share, with their edits",
        description="Align two articles: two files, or two ids of articles read from --input.",
    )
    parser.add_argument("first", metavar="A", help="a file, or an article id when --input is given")
    parser.add_argument("second", metavar="B", help="a file, or an article id when --input is given")
    parser.add_argument(
        "--input", nargs="+", action="extend", metavar="PATH", help="files or directories holding articles A and B"
    )
    parser.add_argument("--json", action="store_true", help="print passages.jsonl records instead of the diff")
    parser.add_argument(
        "--min-words",
        type=int,
        default=AlignParams().min_words,
        metavar="N",
        help="drop passages shorter than N words (default %(default)s)",
    )
    parser.set_defaults(handler=_align)


def _align(args: argparse.Namespace, terminal: Terminal) -> int:
    if args.min_words < 1:
        raise CopydeskError("--min-words must be at least 1")
    params = AlignParams(min_words=args.min_words)
    first, second = _articles(args, terminal)
    [pair] = align_articles([first, second], [(0, 1)], params)
    if args.json:
        for record in passage_records([pair]):
            sys.stdout.buffer.write(orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n")
        sys.stdout.flush()
        return 0
    show_diff(terminal, first, second, pair.alignment, pair.a == first.id, params.min_words)
    return 0


def _articles(args: argparse.Namespace, terminal: Terminal) -> tuple[Article, Article]:
    """The two articles named on the command line (files, or ids of ``--input``)."""
    problems = terminal.problems(strict=False)
    if args.input:
        by_id = read_corpus(args.input, problems=problems).by_id()
        missing = [x for x in (args.first, args.second) if x not in by_id]
        if missing:
            known = ", ".join(sorted(by_id)[:5]) + (", ..." if len(by_id) > 5 else "")
            raise CopydeskError(
                f"no article with id {missing[0]!r} in {' '.join(args.input)} ({len(by_id)} articles: {known})"
            )
        return by_id[args.first], by_id[args.second]
    return _single(args.first, problems), _single(args.second, problems)


def _single(path: str, problems: Problems) -> Article:
    corpus = read_corpus([path], problems=problems)
    if len(corpus.articles) != 1:
        raise CopydeskError(
            f"{path}: holds {len(corpus.articles)} articles; name two ids and give the file with --input"
        )
    return corpus.articles[0]


def show_diff(
    terminal: Terminal, first: Article, second: Article, alignment: PairAlignment, a_first: bool, min_words: int
) -> None:
    """Print each passage of ``first`` with the edits that turn it into ``second``."""
    out = terminal.out
    share_1, share_2 = (alignment.share_a, alignment.share_b) if a_first else (alignment.share_b, alignment.share_a)
    out.print(Text.assemble(("A ", "bold"), (first.id, "cyan"), f"  {first.where}"))
    out.print(Text.assemble(("B ", "bold"), (second.id, "cyan"), f"  {second.where}"))
    if not alignment.passages:
        out.print(f"no shared passage of {min_words} words or more")
        return
    out.print(
        f"{len(alignment.passages)} passages, {alignment.words_reused} words reused: "
        f"{share_1:.0%} of A, {share_2:.0%} of B"
    )
    legend = Text("legend: ")
    legend.append("[-only in A-]", style=CUT)
    legend.append(" ")
    legend.append("{+only in B+}", style=NEW)
    out.print(legend)
    passages = sorted(alignment.passages, key=lambda p: p.a_start if a_first else p.b_start)
    for number, passage in enumerate(passages, start=1):
        (s1, e1), (s2, e2) = _spans(passage, a_first)
        out.print()
        out.print(
            Text(
                f"passage {number}: {passage.words} words, identity {passage.identity:.0%}, "
                f"A {s1}-{e1}, B {s2}-{e2}, {len(passage.edits)} edits",
                style="bold",
            )
        )
        out.print(diff_text(first.text, passage, a_first), soft_wrap=False)


def _spans(p: Passage, a_first: bool) -> tuple[tuple[int, int], tuple[int, int]]:
    a, b = (p.a_start, p.a_end), (p.b_start, p.b_end)
    return (a, b) if a_first else (b, a)


def diff_text(text: str, passage: Passage, a_first: bool) -> Text:
    """The passage as printed in A (``text``), each edit shown as ``[-A's words-]{+B's words+}``."""
    start, end = (passage.a_start, passage.a_end) if a_first else (passage.b_start, passage.b_end)
    out = Text()
    pos = start
    edits = [(e.a_start, e.a_text, e.b_text) if a_first else (e.b_start, e.b_text, e.a_text) for e in passage.edits]
    for at, mine, theirs in sorted(edits, key=lambda e: e[0]):
        out.append(text[pos:at])
        if mine:
            out.append(f"[-{mine}-]", style=CUT)
        if theirs:
            out.append(f"{{+{theirs}+}}", style=NEW)
        pos = at + len(mine)
    out.append(text[pos:end])
    return out
