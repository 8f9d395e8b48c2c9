"""Segmentation for labels: jieba with a user dictionary from ``patterns/metrics.yaml``, and a spaCy view.

jieba does the work in the hot path (trimming a free-written label such as
"一是 2020 年增加了一项英才荟专项费用" to its noun phrase "英才荟专项费用").
spaCy (``spacy.blank("zh")`` with the jieba segmenter, an ``EntityRuler`` built
from the metric terms, ``Doc``/``Span`` extensions for provenance) is built once
per process and used by :func:`annotate` to show an auditor how a sentence
was read; it is not run on every clause because it costs ~1 ms per call and
adds nothing the regexes do not already give.
"""

from __future__ import annotations

import functools
import logging

import regex

from . import labels

_HEAD = regex.compile(r"[\p{Han}A-Za-z0-9]+?(?=[、，,。；;：:（(\s]|以及|和|及|与|等|的|$)")

# POS tags that end a free label on the left: verbs, particles, numerals, measure words, punctuation.
_BREAK = ("v", "u", "m", "q", "p", "c", "x", "r", "d", "w", "eng", "y", "f", "t")
_KEEP_V = {"支出", "收入", "结余", "结转", "支持", "奖励", "补助", "建设", "维修", "运行", "维护", "购置", "采购", "服务", "发展", "管理", "创业", "创新", "转化", "推广", "认定", "培训"}


@functools.lru_cache(maxsize=1)
def _posseg():
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    for term in labels.dictionary_terms():
        jieba.add_word(term, freq=200000, tag="n")
    return pseg


def words(text: str) -> list[tuple[str, str]]:
    """(word, POS) pairs; metric terms stay whole (一般公共预算财政拨款, 公务用车购置和运行维护费)."""
    return [(w.word, w.flag) for w in _posseg().cut(text)]


def tail_phrase(text: str, max_chars: int = 24) -> str:
    """The noun phrase at the end of ``text``: what a number that follows it is about."""
    toks = words(text.rstrip())
    kept: list[str] = []
    for w, flag in reversed(toks):
        if not w.strip():
            if kept:
                break
            continue
        first = flag[:1]
        if (flag in _BREAK or first in ("v", "u", "m", "q", "p", "c", "x", "r", "d", "w", "y")) and w not in _KEEP_V:
            if kept:
                break
            continue  # trailing filler (为, 达到, 共) before the number
        kept.append(w)
        if sum(len(k) for k in kept) >= max_chars:
            break
    if kept and sum(len(k) for k in kept) <= 2:
        # "宣传/折页": a two-character noun keeps the verb-like modifier before it
        i = len(toks) - 1
        while i >= 0 and toks[i][0] != kept[-1]:
            i -= 1
        if i > 0 and toks[i - 1][1][:1] in ("v", "n", "a") and toks[i - 1][0].strip():
            kept.append(toks[i - 1][0])
    return "".join(reversed(kept)).strip()


@functools.lru_cache(maxsize=1)
def spacy_nlp():
    """A blank Chinese spaCy pipeline on jieba with an EntityRuler of metric terms (no model download)."""
    import spacy
    from spacy.tokens import Doc, Span

    _posseg()  # user dictionary into jieba first: the segmenter uses the global jieba
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler")
    pats = []
    r = labels.rules()
    for rule, _ in r.metrics:
        for term in rule.terms:
            pats.append({"label": "METRIC", "pattern": term, "id": rule.id})
    ruler.add_patterns(pats)
    for name, default in (("doc_id", None), ("source", None), ("offset", 0)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("metric", "rule", "value", "unit"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    # provenance: where a span sits in the Document's normalized text (Document.page_of / quote take it from there)
    if not Span.has_extension("doc_start"):
        Span.set_extension("doc_start", getter=lambda sp: sp.doc._.offset + sp.start_char)
        Span.set_extension("doc_end", getter=lambda sp: sp.doc._.offset + sp.end_char)
    return nlp


def annotate(doc, start: int, end: int, facts=()):
    """A spaCy Doc for ``doc.text[start:end]``: metric terms and the facts' quantities as entities."""
    nlp = spacy_nlp()
    sdoc = nlp(doc.text[start:end])
    sdoc._.doc_id, sdoc._.source, sdoc._.offset = doc.doc_id, doc.source, start
    ents = list(sdoc.ents)
    for f in facts:
        if start <= f.start and f.end <= end:
            span = sdoc.char_span(f.start - start, f.end - start, label="QUANTITY", alignment_mode="expand")
            if span is None:
                continue
            span._.metric, span._.rule, span._.value, span._.unit = f.metric, f.rule, f.value, f.unit
            ents = [e for e in ents if e.end <= span.start or e.start >= span.end] + [span]
    for e in ents:
        if e.label_ == "METRIC":
            e._.rule = e.ent_id_
    sdoc.ents = sorted(ents, key=lambda e: e.start)
    return sdoc


def head_phrase(text: str, max_chars: int = 12) -> str:
    """The noun phrase at the start of ``text``: what a count before it counts ("28个|展区以及…" → 展区)."""
    m = _HEAD.match(text[: max_chars * 2])
    if not m:
        return ""
    kept: list[str] = []
    for w, flag in words(m.group(0)):
        if kept and flag[:1] in ("v", "d", "p", "c", "a", "u") and flag != "vn":
            break  # "街道|累计服务": the verb starts what is done, not what is counted
        kept.append(w)
    return "".join(kept)[:max_chars]
