from assistant.codes import scan
from assistant.retrieve import rrf
from assistant.service import Assistant
from assistant.text import tokenize


def test_rrf_rewards_agreement() -> None:
    scores = rrf([["a", "b", "c"], ["b", "a", "d"]], k=60)
    assert max(scores, key=scores.__getitem__) in {"a", "b"}
    assert scores["a"] == scores["b"] > scores["c"] > 0
    assert scores["c"] == scores["d"]


def test_tokenize_folds_plurals_and_drops_stopwords() -> None:
    assert tokenize("Are the stents and biopsies included?") == ["stent", "biopsy", "includ"]


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
    from assistant.retrieve import CodeAwareRetriever

    docs = CodeAwareRetriever(searcher=unit_assistant.searcher).invoke("CPT 52000")
    assert docs[0].metadata["code"] == "52000"
    assert docs[0].id
