"""`python -m assistant bench`: this assistant against the plain LangChain + Chroma setup, same corpus.

The corpus is the real articles of `sources/` plus synthetic articles of the genre (`synthetic`)
up to `--articles`. Each system runs in its own child process, one after the other, so that its
peak memory (`ru_maxrss`) is its own and the two never compete for the two cores:

* ours: `Assistant` (int8 embeddings by default, hybrid retrieval, extractive cited answers);
* baseline: what a LangChain tutorial reader writes — `RecursiveCharacterTextSplitter(1000, 200)`,
  sentence-transformers fp32 embeddings of the same model (no prompts, batch 32), a
  `langchain_chroma.Chroma` store, `similarity_search(k=4)` whose passages are the answer.

Both ingest the same files (timed from reading the files to the last vector written, model
already loaded), then answer the same fixed mix of questions (warm, in process), then are scored
on retrieval: `eval/questions.jsonl` (a hit is a top-k passage containing the question's evidence
string) and questions about the synthetic articles (a hit is a passage from the right article).

With `--devset DIR` (a folder with `articles/` and `questions.jsonl`, such as ../shared/devset), its
articles join the corpus and ours is also scored on answers: the development set's questions
answered among the synthetic distractors, and again on an index of the development articles alone,
so the two figures show what the distractors cost.

One JSON line goes to stdout and, with `--out`, to a file.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import PROJECT_ROOT, Settings, load_settings
from assistant.text.folding import comparable

if TYPE_CHECKING:  # the systems are imported in their child processes only
    from assistant.app.evaluation import EvalReport
    from assistant.app.service import Assistant
    from assistant.embedding.encoder import Embedder

EVAL_FILE = PROJECT_ROOT / "eval" / "questions.jsonl"
SYNTHETIC_QUESTIONS = 300  # scored per run (sampled across all synthetic articles)
TIMED_QUESTIONS = 200  # answer/retrieval latency sample
BASELINE_CHUNK, BASELINE_OVERLAP, BASELINE_K = 1000, 200, 4


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    pos = (len(ordered) - 1) * q
    low, high = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1048576.0


# ---------------------------------------------------------------- corpus and questions

def eval_questions() -> list[dict]:
    """The answerable, self-contained questions of eval/questions.jsonl that name their evidence."""
    from assistant.app.evaluation import load_questions

    return [q for q in load_questions(EVAL_FILE)
            if q["type"] != "unanswerable" and q.get("evidence") and not q.get("history")]


def build_corpus(work: Path, articles: int, real_sources: Path, seed: int = 7, devset: Path | None = None) -> dict:
    """Write the corpus into work/sources and the question sets into work/questions.json (with a
    development set: its articles also into work/devset-sources)."""
    from assistant.bench.synthetic import generate
    from assistant.ingest.loading import discover

    sources = work / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    real = sorted(discover(real_sources)) if real_sources.is_dir() else []
    dev_articles = sorted(discover(devset / "articles")) if devset else []
    if dev_articles:
        alone = work / "devset-sources"
        alone.mkdir(parents=True, exist_ok=True)
        for path in dev_articles:
            shutil.copy2(path, alone / path.name)
    real = (real + dev_articles)[:articles]
    for path in real:
        shutil.copy2(path, sources / path.name)
    evals = eval_questions()
    synthetic_questions: list[dict] = []
    for item in generate(max(0, articles - len(real)), seed=seed, avoid=[q["evidence"] for q in evals]):
        (sources / item.source).write_text(item.text, encoding="utf-8")
        synthetic_questions.extend(vars(q) for q in item.questions)
    rng = random.Random(seed)
    scored = rng.sample(synthetic_questions, min(SYNTHETIC_QUESTIONS, len(synthetic_questions)))
    # the timed mix: every kind of question, from both sets, plus questions the corpus cannot answer
    unanswerable = ["Chương trình phối hợp giữa Ban Kinh tế và Bộ Ngoại giao năm 2019 có nội dung gì?",
                    "Giá vàng hôm nay bao nhiêu?", "Ai là huấn luyện viên đội tuyển bóng đá quốc gia?"]
    timed = [q["question"] for q in evals] + [q["text"] for q in scored] + unanswerable
    timed = (timed * (TIMED_QUESTIONS // max(1, len(timed)) + 1))[:TIMED_QUESTIONS]
    rng.shuffle(timed)
    questions = {"eval": [{"question": q["question"], "evidence": q["evidence"]} for q in evals],
                 "synthetic": scored, "timed": timed}
    if devset and dev_articles:
        from assistant.app.evaluation import load_questions

        questions["devset"] = load_questions(devset / "questions.jsonl")
    (work / "questions.json").write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    return {"articles": len(real) + max(0, articles - len(real)), "real": len(real)}


def _quality(rank_lists: list[int | None]) -> dict:
    n = len(rank_lists)
    if not n:
        return {"n": 0, "hit@1": None, "hit@5": None, "mrr": None}
    return {"n": n, "hit@1": round(sum(r is not None and r < 1 for r in rank_lists) / n, 4),
            "hit@5": round(sum(r is not None and r < 5 for r in rank_lists) / n, 4),
            "mrr": round(sum(1.0 / (r + 1) for r in rank_lists if r is not None) / n, 4)}


def _score(questions: dict, search: Callable[[str], list[tuple[str, str]]]) -> dict:
    """`search(question) -> [(source, text)]` ranked, at least 5 long when the system has 5."""
    eval_ranks, syn_ranks = [], []
    for q in questions["eval"]:
        evidence = comparable(q["evidence"])
        found = [i for i, (_s, text) in enumerate(search(q["question"])[:5]) if evidence in comparable(text)]
        eval_ranks.append(found[0] if found else None)
    for q in questions["synthetic"]:
        found = [i for i, (source, _t) in enumerate(search(q["text"])[:5]) if source == q["source"]]
        syn_ranks.append(found[0] if found else None)
    return {"eval": _quality(eval_ranks), "synthetic": _quality(syn_ranks)}


def _timed(fn: Callable[[str], object], questions: list[str], warm: int = 5) -> list[float]:
    for q in questions[:warm]:
        fn(q)
    times = []
    for q in questions:
        started = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - started) * 1000.0)
    return times


def _latency(answer_ms: list[float], retrieval_ms: list[float]) -> dict:
    return {"answer_p50_ms": round(statistics.median(answer_ms), 1),
            "answer_p95_ms": round(_percentile(answer_ms, 0.95), 1),
            "retrieval_p50_ms": round(statistics.median(retrieval_ms), 1),
            "retrieval_p95_ms": round(_percentile(retrieval_ms, 0.95), 1)}


# ---------------------------------------------------------------- the two systems (child processes)

def run_ours(work: Path, settings: Settings) -> dict:
    from assistant.app.service import Assistant
    from assistant.embedding.encoder import Embedder

    started = time.perf_counter()
    embedder = Embedder(settings)
    embedder.embed_query("khởi động")
    load_s = time.perf_counter() - started
    questions = json.loads((work / "questions.json").read_text(encoding="utf-8"))
    assistant = Assistant(settings, embedder)
    try:
        started = time.perf_counter()
        report = assistant.ingest()
        ingest_s = time.perf_counter() - started
        chunks = report.total_chunks
        answer_ms = _timed(assistant.ask, questions["timed"])
        retrieval_ms = _timed(assistant.retriever.retrieve, questions["timed"])

        def search(question: str) -> list[tuple[str, str]]:
            return [(h.chunk.source, h.chunk.text) for h in assistant.retriever.retrieve(question, k=5).hits]

        quality = _score(questions, search)
        answers = _answers(assistant, questions, work, settings, embedder)
        return {"system": f"ours ({settings.precision})", "articles": report.total_articles,
                "rejected": len(report.rejected), "chunks": chunks, "model_load_s": round(load_s, 2),
                "ingest_s": round(ingest_s, 2), "passages_per_s": round(report.chunks_written / ingest_s, 2),
                "chars_per_s": round(assistant.indexer.catalog.chunk_chars() / ingest_s),
                **_latency(answer_ms, retrieval_ms), "peak_rss_mb": round(_peak_rss_mb(), 1),
                "index_mb": round(_dir_mb(Path(settings.index_dir)), 1), "quality": quality, **answers}
    finally:
        assistant.close()


def _answers(assistant: Assistant, questions: dict, work: Path, settings: Settings, embedder: Embedder) -> dict:
    """The development set's answers among the distractors and on its own articles alone."""
    if not questions.get("devset"):
        return {}
    from dataclasses import replace

    from assistant.app.evaluation import evaluate
    from assistant.app.service import Assistant

    def figures(report: EvalReport) -> dict:
        overall = report.summary()["overall"]
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in overall.items()}

    among = figures(evaluate(assistant, questions["devset"]))
    alone_settings = replace(settings, sources_dir=work / "devset-sources", index_dir=work / "devset-index")
    alone = Assistant(alone_settings, embedder)
    try:
        alone.ingest()
        small = figures(evaluate(alone, questions["devset"]))
    finally:
        alone.close()
    return {"devset": {"among_distractors": among, "alone": small,
                       "answer_drop": round(small["answer"] - among["answer"], 4),
                       "evidence_drop": round(small["evidence"] - among["evidence"], 4)}}


def run_baseline(work: Path, settings: Settings) -> dict:
    import numpy as np
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from sentence_transformers import SentenceTransformer

    from assistant.embedding.encoder import bundled_e5_folder

    folder = settings.model if Path(settings.model).is_dir() else str(bundled_e5_folder(settings))

    class SentenceTransformerEmbeddings(Embeddings):  # what HuggingFaceEmbeddings does
        def __init__(self, path: str):
            self.model = SentenceTransformer(path, device="cpu")

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return self.model.encode(texts, batch_size=32, normalize_embeddings=True,
                                     show_progress_bar=False).tolist()

        def embed_query(self, text: str) -> list[float]:
            return np.asarray(self.model.encode(text, normalize_embeddings=True)).tolist()

    started = time.perf_counter()
    embeddings = SentenceTransformerEmbeddings(folder)
    embeddings.embed_query("khởi động")
    load_s = time.perf_counter() - started
    questions = json.loads((work / "questions.json").read_text(encoding="utf-8"))
    index = work / "baseline-index"
    started = time.perf_counter()
    docs = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": p.name})
            for p in sorted((work / "sources").iterdir()) if p.suffix == ".txt"]
    splitter = RecursiveCharacterTextSplitter(chunk_size=BASELINE_CHUNK, chunk_overlap=BASELINE_OVERLAP)
    chunks = splitter.split_documents(docs)
    store = Chroma(collection_name="baseline", embedding_function=embeddings, persist_directory=str(index),
                   collection_metadata={"hnsw:space": "cosine"})
    for start in range(0, len(chunks), 500):
        store.add_documents(chunks[start:start + 500])
    ingest_s = time.perf_counter() - started

    def answer(question: str) -> str:  # the "stuff" context a tutorial chain would hand to an LLM
        return "\n\n".join(d.page_content for d in store.similarity_search(question, k=BASELINE_K))

    answer_ms = _timed(answer, questions["timed"])
    retrieval_ms = _timed(lambda q: store.similarity_search(q, k=BASELINE_K), questions["timed"])

    def search(question: str) -> list[tuple[str, str]]:
        return [(d.metadata["source"], d.page_content) for d in store.similarity_search(question, k=5)]

    quality = _score(questions, search)
    return {"system": "langchain-chroma + sentence-transformers fp32", "articles": len(docs), "chunks": len(chunks),
            "model_load_s": round(load_s, 2), "ingest_s": round(ingest_s, 2),
            "passages_per_s": round(len(chunks) / ingest_s, 2),
            "chars_per_s": round(sum(len(c.page_content) for c in chunks) / ingest_s),
            **_latency(answer_ms, retrieval_ms), "peak_rss_mb": round(_peak_rss_mb(), 1),
            "index_mb": round(_dir_mb(index), 1), "quality": quality}


def _child(system: str, work: Path, precision: str) -> dict:
    """Run one system in a fresh interpreter; its last stdout line is its JSON result."""
    command = [sys.executable, "-m", "assistant.bench.runner", system, str(work), precision]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
    if done.returncode != 0:
        raise RuntimeError(f"bench {system} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(settings: Settings, articles: int, out: Path | None = None, work: Path | None = None,
        keep: bool = False, baseline: bool = True, log: Callable[[str], object] = print,
        devset: Path | None = None) -> dict:
    own_work = work is None
    work = Path(work or tempfile.mkdtemp(prefix="assistant-bench-"))
    try:
        started = time.perf_counter()
        corpus = build_corpus(work, articles, Path(settings.sources_dir), devset=devset)
        log(f"corpus: {corpus['articles']} articles ({corpus['real']} real) in {time.perf_counter() - started:.1f} s")
        # models are built/exported once, outside the measured processes
        subprocess.run([sys.executable, "-m", "assistant.bench.runner", "prepare", str(work), settings.precision],
                       check=True, capture_output=True)
        ours = _child("ours", work, settings.precision)
        log(f"ours: {ours['chunks']} chunks in {ours['ingest_s']} s, answer p50 {ours['answer_p50_ms']} ms")
        if "devset" in ours:
            d = ours["devset"]
            log(f"development set: answer {d['among_distractors']['answer']:.2f} among {corpus['articles']} articles, "
                f"{d['alone']['answer']:.2f} alone")
        result = {"articles": ours["articles"], **{k: v for k, v in ours.items() if k != "articles"}}
        if baseline:
            base = _child("baseline", work, "fp32")
            log(f"baseline: {base['chunks']} chunks in {base['ingest_s']} s, answer p50 {base['answer_p50_ms']} ms")
            result["baseline"] = base
            result["ingest_ratio"] = round(ours["passages_per_s"] / base["passages_per_s"], 2)
            result["ingest_chars_ratio"] = round(ours["chars_per_s"] / base["chars_per_s"], 2)
            result["answer_ratio"] = round(ours["answer_p50_ms"] / base["answer_p50_ms"], 2)
        result["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
        line = json.dumps(result, ensure_ascii=False)
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            with open(out, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        print(line)
        return result
    finally:
        if own_work and not keep:
            shutil.rmtree(work, ignore_errors=True)


def _child_main(argv: list[str]) -> int:
    system, work, precision = argv[0], Path(argv[1]), argv[2]
    settings = load_settings(sources_dir=str(work / "sources"), index_dir=str(work / f"{system}-index"),
                             precision=precision)
    if system == "prepare":
        from assistant.embedding.encoder import Embedder, bundled_e5_folder

        Embedder(settings)
        if not Path(settings.model).is_dir():
            bundled_e5_folder(settings)
        return 0
    result = run_ours(work, settings) if system == "ours" else run_baseline(work, settings)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
