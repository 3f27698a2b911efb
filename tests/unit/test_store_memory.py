import pytest

from assistant.store import InMemoryStore
from tests.contract_store import StoreContract


class TestInMemoryStore(StoreContract):
    @pytest.fixture
    def store(self) -> InMemoryStore:
        return InMemoryStore()
