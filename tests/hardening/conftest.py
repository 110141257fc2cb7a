from tests.documents.factories import orgs  # noqa: F401 - the documents fixture
