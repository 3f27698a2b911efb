import pytest

from assistant.retrieve import detect_codes, rrf
from assistant.service import Assistant
from assistant.text import tokenize

KNOWN = {"50570", "50572", "50574", "50576", "50580", "52000", "0596T"}


@pytest.mark.parametrize(
    ("text", "codes", "unknown"),
    [
        ("is ureteropyelography included in 50576?", ["50576"], []),
        ("CPT 52000 please", ["52000"], []),
        ("what about 50 576", ["50576"], []),
        ("codes 50570-50580", ["50570", "50572", "50574", "50576", "50580"], []),
        ("50570 to 50574", ["50570", "50572", "50574"], []),
        ("50574 through 50570", ["50570", "50572", "50574"], []),
        ("what is 99999?", [], ["99999"]),
        ("patient aged 50 123 days", [], []),
        ("0596t with 52000", ["0596T", "52000"], []),
        ("$50576.00 is a price, not a code", [], []),
    ],
)
def test_detect_codes(text: str, codes: list[str], unknown: list[str]) -> None:
    found = detect_codes(text, KNOWN)
    assert found.codes == codes
    assert found.unknown == unknown


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
    codes = detect_codes("50570-50576", unit_assistant.searcher.known_codes).codes
    assert codes == ["50570", "50574", "50576"]


def test_langchain_retriever_returns_documents(unit_assistant: Assistant) -> None:
    from assistant.retrieve import CodeAwareRetriever

    docs = CodeAwareRetriever(searcher=unit_assistant.searcher).invoke("CPT 52000")
    assert docs[0].metadata["code"] == "52000"
    assert docs[0].id
