from assistant.codes import scan
from assistant.config import RetrievalSettings
from assistant.embed import HashingEmbeddings
from assistant.index import KnowledgeIndex
from assistant.models import Passage
from assistant.retrieve import HybridSearcher, rrf
from assistant.service import Assistant
from assistant.store import InMemoryStore
from assistant.text import Speller, tokenize, vocabulary


def test_rrf_rewards_agreement() -> None:
    scores = rrf([["a", "b", "c"], ["b", "a", "d"]], k=60)
    assert max(scores, key=scores.__getitem__) in {"a", "b"}
    assert scores["a"] == scores["b"] > scores["c"] > 0
    assert scores["c"] == scores["d"]


def test_tokenize_folds_plurals_and_drops_stopwords() -> None:
    assert tokenize("Are the stents and biopsies included?") == ["stent", "biops", "includ"]


def test_tokenize_meets_coder_shorthand_and_word_forms() -> None:
    assert tokenize("fulgurated") == tokenize("fulguration")
    assert tokenize("US guidance") == tokenize("ultrasound guidance")
    assert tokenize("the S&I") == tokenize("supervision and interpretation")
    assert tokenize("cath insertion") == tokenize("catheter inserted")


def test_named_code_passages_come_first(unit_assistant: Assistant) -> None:
    hits = unit_assistant.searcher.search("bladder endoscopy", ["50576"])
    assert hits[0].passage.code == "50576"
    assert "code" in hits[0].via


def test_range_pulls_each_code(unit_assistant: Assistant) -> None:
    codes = scan("50570-50576", unit_assistant.searcher.known_codes).codes
    assert codes == ["50570", "50574", "50576"]


def test_langchain_retriever_returns_documents(unit_assistant: Assistant) -> None:
    from assistant.retriever import CodeAwareRetriever

    docs = CodeAwareRetriever(searcher=unit_assistant.searcher).invoke("CPT 52000")
    assert docs[0].metadata["code"] == "52000"
    assert docs[0].id


def _passage(code: str, field: str, n: int, title: str, text: str) -> Passage:
    return Passage(
        id=f"{code}#{field}-{n}", text=text, code=code, title=title, family="test", field=field, file="t.md"
    )


def test_a_lookup_ranks_the_record_that_is_the_procedure_over_those_that_include_it() -> None:
    """Twenty records saying "clot evacuation is included" do not make one of them the clot
    evacuation code: a record counts its two best passages, an included item a quarter."""
    passages = [
        _passage("52001", "summary", 0, "Cystoscopy to wash out blood clots", "Clots are washed out."),
        _passage("52001", "body", 0, "Cystoscopy to wash out blood clots", "Evacuation of the clots."),
    ]
    for n in range(6):
        code, title = f"5231{n}", f"Cystoscopy with stone removal, kind {n}"
        passages += [_passage(code, "summary", 0, title, "Stones are removed through the scope.")]
        passages += [_passage(code, "body", i, title, f"Cystoscopy detail {i}.") for i in range(3)]
        passages += [
            _passage(code, "includes", i, title, "Evacuation of clots is included.") for i in range(4)
        ]
    embedder = HashingEmbeddings()
    store = InMemoryStore()
    store.add(passages, embedder.embed_documents([p.search_text for p in passages]), [p.id for p in passages])
    index = KnowledgeIndex(lambda: store, {}, {}, {}, _store=store)
    searcher = HybridSearcher(index, embedder, RetrievalSettings())
    assert searcher.rank_codes("cystoscopy with evacuation of clots")[0][0] == "52001"


def test_the_speller_fixes_typos_to_the_knowledge_base_but_leaves_english_words() -> None:
    speller = Speller(vocabulary(["fulguration of the connection", "fluoroscopy guidance"]))
    assert speller.fix("fulgeration with flouroscopy") == "fulguration with fluoroscopy"
    # "correction" is one letter from "connection"; it is an English word, so it stays.
    assert speller.fix("sorry, correction: 3 cm") == "sorry, correction: 3 cm"
    assert Speller(vocabulary(["connection"]), english=False).fix("correction") == "connection"
    # Inflections of English words stay too (GCIDE lists "correct", not "corrected").
    speller = Speller(vocabulary(["connected", "deployment", "stopper"]))
    assert speller.fix("path corrected the size; 5 implants deployed, bleeding stopped") == (
        "path corrected the size; 5 implants deployed, bleeding stopped"
    )


def test_the_embedder_is_made_once_and_never_for_a_table_question(unit_assistant: Assistant) -> None:
    from assistant.embed import HashingEmbeddings
    from assistant.retrieve import HybridSearcher

    made: list[HashingEmbeddings] = []

    def make() -> HashingEmbeddings:
        made.append(HashingEmbeddings())
        return made[-1]

    searcher = HybridSearcher(unit_assistant.index, make, unit_assistant.settings.retrieval)
    searcher.search("52000 with 52332", ["52000", "52332"], ranked_search=False)
    assert made == []
    searcher.search("ureteroscopy with a stent")
    searcher.search("cystoscopy and biopsy")
    assert len(made) == 1 and searcher.embedder is made[0]
