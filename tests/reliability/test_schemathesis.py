"""Property-based tests of the HTTP API from its own description: schemathesis reads `/openapi.json` from the app
and generates requests for every operation (valid and invalid parameters), checking that none is a server error
and that statuses, content types and bodies conform to what the description promises."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

EXAMPLES = 6        # per operation: the description has one operation per stored query, some fifty in all
generated: list[str] = []


@pytest.fixture(scope="session")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_description(case):
    """Every check but one: a stored query's parameters are described as strings and checked by the service
    (an id or an IRI under `{base}id/<kind>/`, a whole number of at most 12 digits, one line), so a
    "schema-valid" random string is rightly a 400, which the positive-data check would count as a failure."""
    generated.append(case.operation.label)
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_the_generated_cases_were_counted(figures):
    """Runs after the generated tests (same module, later in file order) and records how many there were."""
    if not generated:
        pytest.skip("the schemathesis tests were not selected in this run")
    figures.record("hostile.schemathesis_cases", len(generated))
    assert len(set(generated)) > 10
